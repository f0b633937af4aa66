"""Statistics, quantiles, NaN-ignoring reductions, counting and searching against real Keras."""

import numpy as np
import pytest

from nanokeras import ops
from tests.parity.ops_parity import check_forward, check_gradients

rng = np.random.default_rng(0)
X = rng.uniform(-2, 2, size=(3, 4, 5)).astype("float32")
M = rng.uniform(-2, 2, size=(4, 6)).astype("float32")
N = M.copy()
N.flat[::4] = np.nan
V = rng.uniform(-2, 2, size=(6,)).astype("float32")
W = rng.uniform(-2, 2, size=(3,)).astype("float32")

DIFFERENTIABLE = [
    ("average", lambda m, x: m.average(x, axis=1), [X]),
    ("average_weights", lambda m, x, w: m.average(x, axis=1, weights=w), [M, np.abs(V) + 0.5]),
    ("ptp", lambda m, x: m.ptp(x, axis=(0, 2)), [X]),
    ("corrcoef", lambda m, x: m.corrcoef(x), [M]),
    ("cumprod", lambda m, x: m.cumprod(x, axis=1), [M]),
    ("cumprod_flat", lambda m, x: m.cumprod(x), [M[:2]]),
    ("diff", lambda m, x: m.diff(x, 2, axis=0), [M]),
    ("trapezoid", lambda m, y: m.trapezoid(y, dx=0.5, axis=0), [M]),
    ("correlate_valid", lambda m, a, b: m.correlate(a, b), [V, W]),
    ("correlate_same", lambda m, a, b: m.correlate(a, b, mode="same"), [V, W]),
    ("correlate_full", lambda m, a, b: m.correlate(a, b, mode="full"), [W, V]),
    ("quantile", lambda m, x: m.quantile(x, 0.3, axis=1), [M]),
    ("quantile_array", lambda m, x: m.quantile(x, np.array([0.1, 0.5, 0.95]), axis=2, keepdims=True), [X]),
    ("quantile_lower", lambda m, x: m.quantile(x, 0.45, method="lower"), [M]),
    ("quantile_higher", lambda m, x: m.quantile(x, 0.45, axis=0, method="higher"), [M]),
    ("quantile_midpoint", lambda m, x: m.quantile(x, 0.45, axis=1, method="midpoint"), [M]),
    ("quantile_nearest", lambda m, x: m.quantile(x, np.array([0.1, 0.5, 0.9]), axis=1, method="nearest"), [M]),
    ("percentile", lambda m, x: m.percentile(x, 60, axis=1), [M]),
    ("median", lambda m, x: m.median(x, axis=1), [M]),
    ("median_all", lambda m, x: m.median(x), [X]),
    ("nanmedian", lambda m, x: m.nanmedian(x, axis=1), [N]),
    ("nanquantile", lambda m, x: m.nanquantile(x, np.array([0.2, 0.8]), axis=0), [N]),
    ("nanpercentile", lambda m, x: m.nanpercentile(x, 30, axis=1), [N]),
    ("nansum", lambda m, x: m.nansum(x, axis=1), [N]),
    ("nanmean", lambda m, x: m.nanmean(x, axis=0), [N]),
    ("nanvar", lambda m, x: m.nanvar(x, axis=1), [N]),
    ("nanstd", lambda m, x: m.nanstd(x), [N]),
    ("nanmax", lambda m, x: m.nanmax(x, axis=1), [N]),
    ("nanmin", lambda m, x: m.nanmin(x, axis=0, keepdims=True), [N]),
    ("nanprod", lambda m, x: m.nanprod(x, axis=1), [N]),
    ("nancumsum", lambda m, x: m.nancumsum(x, axis=1), [N]),
    ("nancumprod", lambda m, x: m.nancumprod(x, axis=0), [N]),
    ("bincount_weights", lambda m, w: m.bincount(np.array([0, 2, 2, 4, 1, 0], "int32"), weights=w, minlength=6), [V]),
]

OTHERS = [
    ("quantile_with_nan", lambda m: m.quantile(N, 0.5, axis=1)),
    ("nanargmax", lambda m: m.nanargmax(N, axis=1)), ("nanargmin", lambda m: m.nanargmin(N, axis=0)),
    ("nanargmax_flat", lambda m: m.nanargmax(N)),
    ("median_int", lambda m: m.median(np.arange(6, dtype="int32"))),
    ("quantile_int", lambda m: m.quantile(np.arange(6, dtype="int32"), 0.25)),
    ("cumprod_int", lambda m: m.cumprod(np.array([1, 2, 3], "int32"))),
    ("nansum_int8", lambda m: m.nansum(np.ones(3, "int8"))),
    ("nansum_uint8", lambda m: m.nansum(np.ones(3, "uint8"))),
    ("average_int", lambda m: m.average(np.arange(6, dtype="int32").reshape(2, 3), axis=0)),
    ("correlate_int", lambda m: m.correlate(np.arange(4, dtype="int32"), np.arange(2, dtype="int32"))),
    ("bincount", lambda m: m.bincount(np.array([0, 1, 1, 5], "int32"))),
    ("bincount_minlength", lambda m: m.bincount(np.array([[0, 1], [1, 1]], "int32"), minlength=3)),
    ("digitize", lambda m: m.digitize(np.array([0.2, 1.5, 3.0], "float32"), np.array([0.0, 1.0, 2.0], "float32"))),
    ("searchsorted", lambda m: m.searchsorted(np.array([1.0, 2.0, 2.0, 3.0], "float32"), np.array([2.0, 0.5, 9.0],
                                                                                                 "float32"))),
    ("searchsorted_right", lambda m: m.searchsorted(np.array([1.0, 2.0, 2.0], "float32"), np.array([2.0], "float32"),
                                                    side="right")),
    ("unique", lambda m: m.unique(np.array([3, 1, 1, 2, 3], "int32"), return_index=True, return_inverse=True,
                                  return_counts=True)),
    ("unique_size", lambda m: m.unique(np.array([3, 1, 1, 2], "int32"), size=5, fill_value=9)),
    ("unique_axis", lambda m: m.unique(np.array([[1, 2], [1, 2], [0, 5]], "int32"), axis=0)),
    ("nonzero", lambda m: m.nonzero(np.array([[1, 0, 2], [0, 0, 3]], "int32"))),
    ("histogram", lambda m: m.histogram(np.array([1.0, 2.0, 2.5, 4.0, 9.0], "float32"), bins=4, range=(0.0, 8.0))),
    ("histogram_default", lambda m: m.histogram(M[0])),
]


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=[c[0] for c in DIFFERENTIABLE])
def test_values_match_keras(keras, case):
    check_forward(keras, case[1], case[2], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=[c[0] for c in DIFFERENTIABLE])
def test_gradients_match_jax(keras, case):
    import numpy

    _, fn, inputs = case
    finite = lambda m, *xs: m.nan_to_num(fn(m, *xs))  # noqa: E731  (NaN results of NaN inputs)
    check_gradients(keras, finite, inputs, rtol=1e-4, atol=1e-5)
    del numpy


@pytest.mark.parametrize("name,call", OTHERS, ids=[c[0] for c in OTHERS])
def test_other_results_match_keras(keras, name, call):
    check_forward(keras, call, [], rtol=1e-6)


def test_argpartition_partitions_as_keras(keras):
    x = np.array([[5.0, 1.0, 4.0, 2.0, 3.0], [0.0, 9.0, 8.0, 7.0, 1.0]], "float32")
    ours, theirs = ops.argpartition(x, 2, axis=1), np.asarray(keras.ops.argpartition(x, 2, axis=1))
    assert ours.dtype == theirs.dtype
    for row, o, t in zip(x, ours, theirs):
        assert row[o[2]] == row[t[2]] and set(row[o[:2]]) == set(row[t[:2]])
