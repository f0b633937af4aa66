"""`keras.ops.max_pool` / `average_pool`: values against a direct loop, gradients by finite differences."""

import itertools

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from nanokeras.ops.convolution_geometry import same_pads
from tests.ops.gradient_check import check_gradients, gradient_of


def reference_pool(x, pool, strides, padding, mode):
    """A direct pool over channels-last `x` (windows that hit padding count only real elements)."""
    rank = x.ndim - 2
    pads = [same_pads(n, p, s) if padding == "same" else (0, 0) for n, p, s in zip(x.shape[1:-1], pool, strides)]
    outs = [(n + lo + hi - p) // s + 1 for n, (lo, hi), p, s in zip(x.shape[1:-1], pads, pool, strides)]
    out = np.zeros((x.shape[0],) + tuple(outs) + (x.shape[-1],))
    for o in itertools.product(*[range(n) for n in outs]):
        key = [slice(None)]
        for oi, s, p, (lo, _), n in zip(o, strides, pool, pads, x.shape[1:-1]):
            start = oi * s - lo
            key.append(slice(max(start, 0), min(start + p, n)))
        window = x[tuple(key) + (slice(None),)].reshape(x.shape[0], -1, x.shape[-1])
        out[(slice(None),) + o] = window.max(axis=1) if mode == "max" else window.mean(axis=1)
    del rank
    return out


CONFIGS = [
    ((7,), 2, None, "valid"), ((7,), 3, 2, "same"), ((6,), 2, 1, "valid"),
    ((5, 6), (2, 2), None, "valid"), ((5, 5), 3, 1, "same"), ((6, 5), (2, 3), (2, 1), "same"),
    ((4, 5), 2, 3, "valid"), ((4, 4, 5), 2, None, "same"), ((3, 4, 4), (2, 1, 2), (1, 2, 2), "valid"),
]


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("spatial,pool,strides,padding", CONFIGS)
def test_pool_values_and_gradients(spatial, pool, strides, padding, data_format, mode):
    rank = len(spatial)
    x = np.random.default_rng(0).standard_normal((2,) + spatial + (3,))
    pool_t = tuple(np.broadcast_to(pool, (rank,)).tolist())
    strides_t = pool_t if strides is None else tuple(np.broadcast_to(strides, (rank,)).tolist())
    expected = reference_pool(x, pool_t, strides_t, padding, mode)
    op = ops.max_pool if mode == "max" else ops.average_pool
    xin = x if data_format == "channels_last" else np.moveaxis(x, -1, 1)
    out = op(xin, pool, strides, padding, data_format)
    if data_format == "channels_first":
        out = np.moveaxis(out, 1, -1)
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    check_gradients(lambda a: op(a, pool, strides, padding, data_format), xin)


@pytest.mark.parametrize("pool,strides", [(2, None), (3, 1)])
def test_max_pool_gives_a_tied_window_gradient_to_its_first_maximum(pool, strides):
    # As JAX, TensorFlow and PyTorch choose: one element per window, the first in row-major order.
    x = keras.Variable(np.zeros((1, 4, 4, 1), "float32"))
    with keras.GradientTape() as tape:
        y = ops.sum(ops.max_pool(x, pool, strides))
    grad = tape.gradient(y, x)[0, :, :, 0]
    if strides is None:
        np.testing.assert_array_equal(grad, [[1, 0, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]])
    else:  # 2x2 outputs of 3x3 windows starting at (0,0), (0,1), (1,0), (1,1)
        np.testing.assert_array_equal(grad, [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])


def test_tied_maxima_at_a_positive_value_and_a_unique_one_in_the_same_batch():
    x = np.array([[5.0, 5.0, 1.0, 7.0]], "float32").reshape(1, 4, 1)
    v = keras.Variable(x)
    with keras.GradientTape() as tape:
        y = ops.sum(ops.multiply(ops.max_pool(v, 2), np.array([[[2.0], [3.0]]], "float32")))
    np.testing.assert_array_equal(tape.gradient(y, v)[0, :, 0], [2, 0, 0, 3])


@pytest.mark.parametrize("mode", ["max", "average"])
def test_second_derivatives(mode):
    op = ops.max_pool if mode == "max" else ops.average_pool
    x = np.random.default_rng(3).standard_normal((1, 4, 5, 2))
    square = lambda a: ops.multiply(op(a, 2, 1, "same"), op(a, 2, 1, "same"))  # noqa: E731
    check_gradients(gradient_of(square), x, rtol=1e-4, atol=1e-6)


def test_integer_images_pool_as_floats():
    x = np.arange(16, dtype="uint8").reshape(1, 4, 4, 1)
    assert ops.average_pool(x, 2).dtype == np.float32
    assert ops.max_pool(x, 2)[0, 0, 0, 0] == 5


def test_strides_larger_than_the_pool_skip_elements():
    x = np.arange(7, dtype="float32").reshape(1, 7, 1)
    assert ops.max_pool(x, 2, 3)[0, :, 0].tolist() == [1.0, 4.0]
