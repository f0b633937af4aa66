"""Statistics, quantiles, NaN-ignoring reductions, counting and searching: values vs numpy, gradients, errors."""

import warnings

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from tests.ops.gradient_check import check_gradients, gradient_of


def rand(*shape, low=-2.0, high=2.0, seed=0):
    return np.random.default_rng(seed + sum(shape)).uniform(low, high, size=shape)


def with_nans(x):
    x = np.array(x)
    x.flat[::3] = np.nan
    return x


CASES = [
    ("average", lambda x: ops.average(x, axis=1), [rand(3, 4)]),
    ("average_weights", lambda x, w: ops.average(x, axis=0, weights=w), [rand(3, 4), rand(3, low=0.5, seed=1)]),
    ("average_full_weights", lambda x, w: ops.average(x, weights=w), [rand(3, 4), rand(3, 4, low=0.5, seed=1)]),
    ("ptp", lambda x: ops.ptp(x, axis=1, keepdims=True), [rand(3, 4)]),
    ("corrcoef", ops.corrcoef, [rand(3, 5)]),
    ("cumprod", lambda x: ops.cumprod(x, axis=1), [rand(3, 4)]),
    ("cumprod_flat", ops.cumprod, [rand(2, 3)]),
    ("cumprod_with_zero", lambda x: ops.cumprod(ops.multiply(x, np.array([1.0, 0.0, 1.0, 1.0]))), [rand(4)]),
    ("diff", lambda x: ops.diff(x, 2, axis=0), [rand(4, 3)]),
    ("trapezoid", lambda y: ops.trapezoid(y, dx=0.5), [rand(3, 4)]),
    ("trapezoid_points", lambda y, x: ops.trapezoid(y, x, axis=0), [rand(4, 3), np.sort(rand(4, seed=1))]),
    ("correlate_valid", ops.correlate, [rand(6), rand(3, seed=1)]),
    ("correlate_same", lambda a, b: ops.correlate(a, b, "same"), [rand(5), rand(4, seed=1)]),
    ("correlate_full_swapped", lambda a, b: ops.correlate(a, b, "full"), [rand(3), rand(5, seed=1)]),
    ("quantile", lambda x: ops.quantile(x, 0.3, axis=1), [rand(3, 5)]),
    ("quantile_many", lambda x: ops.quantile(x, np.array([0.1, 0.9]), axis=(0, 2), keepdims=True), [rand(2, 3, 4)]),
    ("quantile_midpoint", lambda x: ops.quantile(x, 0.4, method="midpoint"), [rand(3, 4)]),
    ("percentile", lambda x: ops.percentile(x, 75, axis=0), [rand(5, 3)]),
    ("median", lambda x: ops.median(x, axis=-1), [rand(3, 4)]),
    ("nanmedian", lambda x: ops.nanmedian(x, axis=1), [with_nans(rand(3, 5))]),
    ("nanquantile", lambda x: ops.nanquantile(x, 0.7), [with_nans(rand(3, 4))]),
    ("nanpercentile", lambda x: ops.nanpercentile(x, [20, 60], axis=0), [with_nans(rand(4, 3))]),
    ("nansum", lambda x: ops.nansum(x, axis=1), [with_nans(rand(3, 4))]),
    ("nanmean", lambda x: ops.nanmean(x, axis=0), [with_nans(rand(3, 4))]),
    ("nanvar", lambda x: ops.nanvar(x, axis=1, keepdims=True), [with_nans(rand(3, 4))]),
    ("nanstd", ops.nanstd, [with_nans(rand(3, 4))]),
    ("nanmax", lambda x: ops.nanmax(x, axis=1), [with_nans(rand(3, 4))]),
    ("nanmin", lambda x: ops.nanmin(x, axis=0), [with_nans(rand(3, 4))]),
    ("nanprod", lambda x: ops.nanprod(x, axis=1), [with_nans(rand(3, 4))]),
    ("nancumsum", lambda x: ops.nancumsum(x, axis=1), [with_nans(rand(3, 4))]),
    ("nancumprod", lambda x: ops.nancumprod(x, axis=0), [with_nans(rand(3, 4))]),
    ("bincount_weights", lambda w: ops.bincount(np.array([0, 2, 2, 4]), weights=w, minlength=6), [rand(4)]),
    ("bincount_rows", lambda w: ops.bincount(np.array([[0, 1, 1], [2, 0, 0]]), weights=w), [rand(2, 3)]),
]


def _finite(fn):
    """The case's function with NaN results (of NaN inputs) replaced, for finite differences."""
    return lambda *xs: ops.nan_to_num(fn(*xs))


@pytest.mark.parametrize("fn,inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradients_match_finite_differences(fn, inputs):
    with np.errstate(invalid="ignore"):
        check_gradients(_finite(fn), *inputs)


@pytest.mark.parametrize("name", ["cumprod", "cumprod_with_zero", "quantile", "nanvar", "corrcoef", "correlate_same"])
def test_second_derivatives(name):
    fn, inputs = {c[0]: c[1:] for c in CASES}[name]
    check_gradients(gradient_of(_finite(fn)), *inputs, rtol=1e-4, atol=1e-5)


X = np.random.default_rng(3).standard_normal((3, 4, 5))
XN = with_nans(X)
XN[1, 2, :] = np.nan  # a slice of NaNs alone

NUMPY_EQUIVALENTS = [
    lambda m: [m.average(X, axis=a) for a in (None, 1)] + [m.average(X, axis=2, weights=np.arange(1.0, 6.0))],
    lambda m: [m.ptp(X, axis=a) for a in (None, 0, (1, 2))],
    lambda m: [m.corrcoef(X[0]), m.corrcoef(X[0, 0])],
    lambda m: [m.cumprod(X, axis=a) for a in (None, 1)] + [m.cumprod(np.array([1, 2, 3], "int32"))],
    lambda m: [m.diff(X, n, axis=a) for n in (0, 1, 3) for a in (0, -1)],
    lambda m: [m.trapezoid(X), m.trapezoid(X, dx=0.25, axis=1), m.trapezoid(X, np.arange(5.0) ** 2)],
    lambda m: [m.correlate(a, b, mode) for mode in ("valid", "same", "full")
               for a, b in ((np.arange(5.0), np.array([1.0, 2.0, 3.0])), (np.arange(3.0), np.arange(6.0)))],
    lambda m: [m.quantile(X, q, axis=a, method=meth, keepdims=k) for q in (0.0, 0.35, [0.5, 1.0])
               for a in (None, 2, (0, 1)) for meth in ("linear", "lower", "higher", "midpoint", "nearest")
               for k in (False, True)],
    lambda m: [m.percentile(X, 40, axis=1), m.median(X), m.median(X, axis=(0, 2), keepdims=True)],
    lambda m: [m.quantile(XN, 0.5, axis=2)],
    lambda m: [m.nanquantile(XN, [0.2, 0.7], axis=a) for a in (None, 2, (1, 2))] + [m.nanmedian(XN, axis=2)]
    + [m.nanpercentile(XN, 90, axis=0, keepdims=True)],
    lambda m: [getattr(m, f)(XN, axis=a, keepdims=k) for f in ("nansum", "nanmean", "nanvar", "nanstd", "nanmax",
                                                               "nanmin", "nanprod")
               for a in (None, 2, (0, 2)) for k in (False, True)],
    lambda m: [m.nancumsum(XN, axis=a) for a in (None, 1)] + [m.nancumprod(XN, axis=a) for a in (None, 2)],
    lambda m: [m.bincount(np.array([0, 1, 1, 5])), m.bincount(np.array([0, 1]), minlength=4),
               m.bincount(np.array([0, 1, 1]), weights=np.array([0.5, 1.0, 2.0]))],
    lambda m: [m.digitize(np.array([0.2, 1.5, 3.0]), np.array([0.0, 1.0, 2.0])),
               m.searchsorted(np.array([1.0, 2.0, 2.0, 3.0]), np.array([2.0, 0.5, 9.0])),
               m.searchsorted(np.array([1.0, 2.0, 2.0, 3.0]), np.array([2.0]), side="right")],
    lambda m: list(m.unique(np.array([3, 1, 1, 2, 3]), return_index=True, return_inverse=True, return_counts=True))[:1]
    + [m.unique(np.array([[1, 2], [1, 2], [0, 5]]), axis=0)],
    lambda m: list(m.nonzero(np.array([[1, 0, 2], [0, 0, 3]]))),
    lambda m: list(m.histogram(np.array([1.0, 2.0, 2.5, 4.0, 9.0]), bins=4, range=(0.0, 8.0))),
]


@pytest.mark.parametrize("call", NUMPY_EQUIVALENTS)
def test_values_match_numpy(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's own warnings on slices of NaNs alone
        expected = call(np)
    got = call(ops)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert np.shape(g) == np.shape(e)
        np.testing.assert_allclose(np.asarray(g, np.float64), np.asarray(e, np.float64), rtol=1e-9, atol=1e-12)


def test_nan_argmax_and_argmin_give_minus_one_for_all_nan_slices():
    assert ops.nanargmax(XN, axis=2)[1, 2] == -1 and ops.nanargmin(XN, axis=2)[1, 2] == -1
    expected = np.nanargmax(np.where(np.isnan(XN), -np.inf, XN), axis=2)
    np.testing.assert_array_equal(np.where(ops.nanargmax(XN, axis=2) >= 0, ops.nanargmax(XN, axis=2), expected),
                                  expected)
    assert ops.nanargmax(XN, axis=2).dtype == np.int32


def test_our_code_warns_nothing_on_slices_of_nans_alone():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(ops.nanmean(XN, axis=2)[1, 2]) and np.isnan(ops.nanmax(XN, axis=2)[1, 2])
        assert np.isnan(ops.nanmedian(XN, axis=2)[1, 2]) and np.isnan(ops.nanvar(XN, axis=2)[1, 2])


def test_dtypes():
    i = np.arange(6, dtype="int32").reshape(2, 3)
    assert ops.median(i).dtype == np.float32 and ops.quantile(np.ones(3, "bool"), 0.5).dtype == np.float32
    assert ops.nansum(np.ones(3, "int8")).dtype == np.int32 and ops.nansum(np.ones(3, "uint8")).dtype == np.uint32
    assert ops.cumprod(np.array([True, True])).dtype == np.int32
    assert ops.bincount(np.array([0, 1])).dtype == np.int32
    assert ops.histogram(np.ones(3, "float32"))[0].dtype == np.float32
    assert ops.correlate(np.arange(3, dtype="int32"), np.arange(2, dtype="int32")).dtype == np.float32
    assert ops.average(i).dtype == np.float32
    assert ops.unique(np.array([2, 1]), return_counts=True)[1].dtype == np.int32


def test_unique_with_a_size_cuts_or_pads_as_on_jax():
    assert ops.unique(np.array([3, 1, 1, 2]), size=5, fill_value=9).tolist() == [1, 2, 3, 9, 9]
    values, counts = ops.unique(np.array([3, 1, 1, 2]), size=2, return_counts=True)
    assert values.tolist() == [1, 2] and counts.tolist() == [2, 1]


def test_argpartition_puts_the_kth_value_in_place():
    x = np.array([5.0, 1.0, 4.0, 2.0, 3.0])
    order = ops.argpartition(x, 2)
    assert x[order[2]] == 3.0 and set(x[order[:2]]) == {1.0, 2.0} and order.dtype == np.int32


def test_data_dependent_quantile_positions_replay_with_new_nans():
    from nanokeras.ops.tensor import Constant
    from nanokeras.ops.trace import Trace

    data = Constant(np.array([[1.0, np.nan, 3.0, 4.0], [2.0, 5.0, np.nan, np.nan]]))
    w = keras.Variable(np.ones((2, 4)))
    with keras.GradientTape() as tape:
        out = ops.nanmedian(ops.multiply(data, w), axis=1)
        ops.sum(out)
    trace = Trace(tape)
    data.value[...] = [[np.nan, np.nan, 1.0, 2.0], [1.0, 2.0, 3.0, 10.0]]
    trace.forward()
    np.testing.assert_allclose(out.value, [1.5, 2.5])


@pytest.mark.parametrize("call,error,match", [
    (lambda: ops.quantile(np.ones(3), 1.5), ValueError, r"\[0, 1\]"),
    (lambda: ops.percentile(np.ones(3), 150), ValueError, r"\[0, 100\]"),
    (lambda: ops.quantile(np.ones(3), 0.5, method="cubic"), ValueError, "method"),
    (lambda: ops.quantile(np.ones((2, 2)), 0.5, axis=(0, 0)), ValueError, "repeats"),
    (lambda: ops.average(np.ones((2, 3)), axis=1, weights=np.ones(2)), ValueError, "weights"),
    (lambda: ops.correlate(np.ones((2, 2)), np.ones(2)), ValueError, "1-D"),
    (lambda: ops.correlate(np.ones(3), np.ones(2), "wide"), ValueError, "mode"),
    (lambda: ops.diff(np.ones(3), -1), ValueError, "non-negative"),
    (lambda: ops.bincount(np.array([-1, 2])), ValueError, "negative"),
    (lambda: ops.bincount(np.ones(3)), ValueError, "integers"),
    (lambda: ops.searchsorted(np.ones((2, 2)), np.ones(2)), ValueError, "1-D"),
    (lambda: ops.searchsorted(np.ones(2), np.ones(2), side="middle"), ValueError, "side"),
    (lambda: ops.histogram(np.ones(3), bins=0), ValueError, "bins"),
    (lambda: ops.histogram(np.ones((3, 2))), ValueError, "1-D"),
    (lambda: ops.argpartition(np.ones(3), 5), ValueError, "kth"),
    (lambda: ops.corrcoef(np.ones((2, 2, 2))), ValueError, "1-D or 2-D"),
])
def test_bad_arguments_are_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
