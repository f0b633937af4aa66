"""Array manipulation, diagonals and products, creation: values against numpy, gradients vs finite differences."""

import numpy as np
import pytest

from nanokeras import ops
from tests.ops.gradient_check import check_gradients, gradient_of


def rand(*shape, low=-2.0, high=2.0, seed=0):
    return np.random.default_rng(seed + sum(shape)).uniform(low, high, size=shape)


CASES = [
    ("append_flat", ops.append, [rand(2, 3), rand(4, seed=1)]),
    ("append_axis", lambda a, b: ops.append(a, b, axis=0), [rand(2, 3), rand(1, 3, seed=1)]),
    ("array_split", lambda x: ops.array_split(x, 3, axis=1)[0] * 2.0 + ops.array_split(x, 3, axis=1)[2][:, :1],
     [rand(2, 5)]),
    ("array_split_indices", lambda x: ops.array_split(x, [1, 3])[1], [rand(4, 2)]),
    ("hsplit", lambda x: ops.hsplit(x, 2)[1], [rand(3, 4)]),
    ("vsplit", lambda x: ops.vsplit(x, [1])[1], [rand(3, 4)]),
    ("dsplit", lambda x: ops.dsplit(x, 2)[0], [rand(2, 2, 4)]),
    ("hstack", lambda a, b: ops.hstack([a, b]), [rand(2, 3), rand(2, 1, seed=1)]),
    ("hstack_vectors", lambda a, b: ops.hstack([a, b]), [rand(3), rand(2, seed=1)]),
    ("vstack", lambda a, b: ops.vstack([a, b]), [rand(3), rand(2, 3, seed=1)]),
    ("dstack", lambda a, b: ops.dstack([a, b]), [rand(2, 3), rand(2, 3, 2, seed=1)]),
    ("fliplr", ops.fliplr, [rand(2, 3)]),
    ("flipud", ops.flipud, [rand(3, 2)]),
    ("rot90", ops.rot90, [rand(2, 3)]),
    ("rot90_k3_axes", lambda x: ops.rot90(x, k=3, axes=(2, 0)), [rand(2, 3, 4)]),
    ("rot90_k2", lambda x: ops.rot90(x, k=-2), [rand(2, 3)]),
    ("roll_flat", lambda x: ops.roll(x, 2), [rand(2, 3)]),
    ("roll_axes", lambda x: ops.roll(x, (1, -1), axis=(0, 1)), [rand(3, 4)]),
    ("unstack", lambda x: ops.unstack(x, axis=1)[2] * 3.0 + ops.unstack(x, axis=1)[0], [rand(2, 3)]),
    ("copy", ops.copy, [rand(2, 3)]),
    ("get_item", lambda x: ops.get_item(x, (slice(1, None), 0)), [rand(3, 2)]),
    ("select", lambda a, b: ops.select([a > 0.5, b < 0.0], [a, b * 2.0], default=0.5), [rand(3, 4), rand(3, 4, seed=1)]),
    ("diag_vector", lambda x: ops.diag(x, 1), [rand(3)]),
    ("diag_matrix", lambda x: ops.diag(x, -1), [rand(3, 4)]),
    ("diagflat", lambda x: ops.diagflat(x, -2), [rand(2, 2)]),
    ("diagonal", lambda x: ops.diagonal(x, 1, 0, 2), [rand(3, 2, 4)]),
    ("trace", lambda x: ops.trace(x, -1, 1, 2), [rand(2, 3, 3)]),
    ("kron", ops.kron, [rand(2, 3), rand(2, 2, seed=1)]),
    ("kron_ranks", ops.kron, [rand(3), rand(2, 2, seed=1)]),
    ("inner", ops.inner, [rand(2, 3), rand(4, 3, seed=1)]),
    ("vdot", ops.vdot, [rand(2, 3), rand(6, seed=1)]),
    ("cross", ops.cross, [rand(4, 3), rand(4, 3, seed=1)]),
    ("cross_2d", ops.cross, [rand(4, 2), rand(4, 2, seed=1)]),
    ("cross_mixed_axes", lambda a, b: ops.cross(a, b, axisa=0, axisc=0), [rand(3, 4), rand(4, 2, seed=1)]),
    ("vander", ops.vander, [rand(4)]),
    ("vander_increasing", lambda x: ops.vander(x, 3, increasing=True), [rand(4, low=0.5)]),
    ("meshgrid", lambda a, b: ops.meshgrid(a, b)[0] * ops.meshgrid(a, b)[1], [rand(3), rand(2, seed=1)]),
]


@pytest.mark.parametrize("fn,inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradients_match_finite_differences(fn, inputs):
    check_gradients(fn, *inputs)


@pytest.mark.parametrize("name", ["rot90", "kron", "cross", "vander", "select"])
def test_second_derivatives(name):
    fn, inputs = {c[0]: c[1:] for c in CASES}[name]
    check_gradients(gradient_of(fn), *inputs, rtol=1e-4, atol=1e-5)


NUMPY_EQUIVALENTS = [
    (lambda m: m.append(np.arange(3), [[4, 5]])),
    (lambda m: m.array_split(np.arange(10), 3)),
    (lambda m: m.array_split(np.arange(10), [2, -3, 20])),
    (lambda m: m.hsplit(np.arange(12).reshape(2, 6), [1, 4])),
    (lambda m: m.vsplit(np.arange(12).reshape(4, 3), 2)),
    (lambda m: m.dsplit(np.arange(16).reshape(2, 2, 4), 2)),
    (lambda m: m.hstack([np.array(1), np.array([2, 3])])),
    (lambda m: m.vstack([np.arange(3), np.ones((2, 3))])),
    (lambda m: m.dstack([np.arange(3), np.arange(3)])),
    (lambda m: [m.rot90(np.arange(24).reshape(2, 3, 4), k, axes) for k in range(-1, 5) for axes in ((0, 1), (2, 1))]),
    (lambda m: [m.roll(np.arange(12).reshape(3, 4), s, axis=a) for s, a in ((5, None), (-1, 0), ((1, 2), (1, 0)), ((1, 2), 0))]),
    (lambda m: m.select([np.arange(5) < 2, np.arange(5) > 3], [np.arange(5), np.arange(5) * 10], default=-1)),
    (lambda m: m.unravel_index(np.array([1, 5, 7]), (2, 4))),
    (lambda m: [m.diag(np.arange(3), k) for k in (-2, 0, 1)] + [m.diag(np.arange(12).reshape(3, 4), k) for k in (-1, 0, 2)]),
    (lambda m: m.diagflat(np.arange(4).reshape(2, 2), 1)),
    (lambda m: [m.diagonal(np.arange(24).reshape(2, 3, 4), o, 2, 0) for o in (-1, 0, 2, 5)]),
    (lambda m: [m.trace(np.arange(24).reshape(2, 3, 4), o, 1, 2) for o in (-1, 0, 2)]),
    (lambda m: m.kron(np.arange(6).reshape(2, 3), np.arange(4).reshape(2, 1, 2))),
    (lambda m: m.inner(np.arange(6).reshape(2, 3), np.arange(3))),
    (lambda m: m.vdot(np.arange(6).reshape(2, 3), np.arange(6))),
    (lambda m: [_cross(m)(np.arange(6.0).reshape(2, 3), np.ones(3)), _cross(m)(np.arange(4.0).reshape(2, 2), np.ones(2)),
                _cross(m)(np.arange(6.0).reshape(3, 2), np.ones((2, 3)), axisa=0, axisb=1, axisc=0)]),
    (lambda m: [m.vander(np.array([1.0, 2.0, 3.0])), m.vander(np.array([1, 2, 3]), 2, increasing=True)]),
    (lambda m: m.meshgrid(np.arange(3), np.arange(2), np.arange(4))),
    (lambda m: m.meshgrid(np.arange(3), np.arange(2), indexing="ij")),
    (lambda m: [m.tri(3, 4, 1), m.logspace(0.0, 2.0, 5), m.geomspace(1.0, 100.0, 3)]),
    (lambda m: [m.bartlett(5), m.blackman(5), m.hamming(5), m.hanning(5), m.kaiser(5, 3.0)]),
]


def _cross(m):
    """`m.cross`, or for numpy a reference that still takes 2-vectors (numpy 2.5 refuses them): they are
    padded with a zero third component, and two 2-vectors give the z component alone, as numpy did."""
    if m is not np:
        return m.cross

    def reference(a, b, axisa=-1, axisb=-1, axisc=-1):
        a, b = np.moveaxis(np.asarray(a, float), axisa, -1), np.moveaxis(np.asarray(b, float), axisb, -1)
        both_planar = a.shape[-1] == 2 and b.shape[-1] == 2
        a, b = (np.concatenate([v, np.zeros(v.shape[:-1] + (1,))], -1) if v.shape[-1] == 2 else v for v in (a, b))
        out = np.cross(a, b)
        return out[..., 2] if both_planar else np.moveaxis(out, -1, axisc)

    return reference


def _flat(out):
    return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]


@pytest.mark.parametrize("call", NUMPY_EQUIVALENTS)
def test_values_match_numpy(call):
    expected, got = _flat(call(np)), _flat(call(ops))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.shape == e.shape
        np.testing.assert_allclose(g, e, rtol=1e-6)


def test_creation_dtypes_and_unspecified_values():
    assert ops.empty((2, 3)).dtype == np.float32 and ops.empty((2,), "int32").tolist() == [0, 0]
    assert ops.empty_like(np.ones(2, "int8")).dtype == np.int8
    assert ops.tri(2).dtype == np.float32 and ops.hanning(4).dtype == np.float32
    assert ops.array([1, 2]).dtype == np.int32 and ops.array([1, 2], "float64").dtype == np.float64
    assert ops.logspace(0, 2, 3).dtype == np.float32
    assert ops.trace(np.ones((2, 2), "int8")).dtype == np.int32
    assert ops.view(np.array([1.0], "float32"), "int32").item() == 1065353216
    assert ops.vander(np.array([1, 2], "int32")).dtype == np.int32


@pytest.mark.parametrize("call,error,match", [
    (lambda: ops.hsplit(np.ones((2, 5)), 2), ValueError, "equal parts"),
    (lambda: ops.vsplit(np.ones(4), 2), ValueError, "at least 2"),
    (lambda: ops.fliplr(np.ones(3)), ValueError, "at least 2"),
    (lambda: ops.rot90(np.ones((2, 2)), axes=(1, 1)), ValueError, "two different axes"),
    (lambda: ops.roll(np.ones((2, 2)), (1, 2, 3), axis=(0, 1)), ValueError, "broadcast"),
    (lambda: ops.select([np.ones(2)], [np.ones(2)]), TypeError, "boolean"),
    (lambda: ops.diag(np.ones((2, 2, 2))), ValueError, "1-D or 2-D"),
    (lambda: ops.diagonal(np.ones(3)), ValueError, "at least 2"),
    (lambda: ops.cross(np.ones(4), np.ones(3)), ValueError, "size 2 or 3"),
    (lambda: ops.inner(np.ones(2), np.ones(3)), ValueError, "last axes"),
    (lambda: ops.unstack(np.ones((2, 3)), num=3), ValueError, "num"),
    (lambda: ops.meshgrid(np.ones(2), indexing="yx"), ValueError, "indexing"),
])
def test_bad_arguments_are_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
