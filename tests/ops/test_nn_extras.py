"""Activations, normalizations, pixel shuffles, unfold/fold and multi_hot of `keras.ops.nn`:
values against direct definitions, gradients vs finite differences, errors."""

import numpy as np
import pytest

from nanokeras import ops
from tests.ops.gradient_check import check_gradients, gradient_of


def rand(*shape, low=-2.0, high=2.0, seed=0):
    return np.random.default_rng(seed + sum(shape)).uniform(low, high, size=shape)


# Values kept away from the kinks (0.5, 1, -1), for finite differences.
AWAY = np.array([[-2.3, -0.8, -0.3, 0.2], [0.7, 1.6, -1.4, 0.1]])

CASES = [
    ("hard_shrink", ops.hard_shrink, [AWAY]),
    ("soft_shrink", lambda x: ops.soft_shrink(x, 0.4), [AWAY]),
    ("tanh_shrink", ops.tanh_shrink, [rand(3, 4)]),
    ("threshold", lambda x: ops.threshold(x, 0.35, -3.0), [AWAY]),
    ("sparse_plus", ops.sparse_plus, [AWAY]),
    ("sparse_sigmoid", ops.sparse_sigmoid, [AWAY]),
    ("squareplus", lambda x: ops.squareplus(x, 2), [rand(3, 4)]),
    ("sparsemax", ops.sparsemax, [rand(3, 5)]),
    ("sparsemax_axis0", lambda x: ops.sparsemax(x, axis=0), [rand(4, 3)]),
    ("normalize", ops.normalize, [rand(3, 4)]),
    ("normalize_order1_axis0", lambda x: ops.normalize(x, axis=0, order=1), [rand(3, 4)]),
    ("layer_normalization", lambda x, g, b: ops.layer_normalization(x, g, b), [rand(3, 4), rand(4, seed=1), rand(4, seed=2)]),
    ("layer_normalization_axes", lambda x, g: ops.layer_normalization(x, g, axis=(1, 2)), [rand(2, 3, 4), rand(3, 4, seed=1)]),
    ("rms_normalization", lambda x, s: ops.rms_normalization(x, s), [rand(3, 4), rand(4, seed=1)]),
    ("rms_normalization_axis0", lambda x: ops.rms_normalization(x, axis=0), [rand(3, 4)]),
    ("psnr", lambda a, b: ops.psnr(a, b, 2.0), [rand(2, 3), rand(2, 3, seed=1)]),
    ("depth_to_space", lambda x: ops.depth_to_space(x, 2), [rand(1, 2, 3, 8)]),
    ("depth_to_space_first", lambda x: ops.depth_to_space(x, 2, "channels_first"), [rand(2, 4, 2, 1)]),
    ("space_to_depth", lambda x: ops.space_to_depth(x, 2), [rand(1, 4, 2, 3)]),
    ("space_to_depth_first", lambda x: ops.space_to_depth(x, 2, "channels_first"), [rand(1, 2, 4, 4)]),
    ("unfold", lambda x: ops.unfold(x, 2, stride=2), [rand(1, 2, 4, 4)]),
    ("unfold_dilated_padded", lambda x: ops.unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), [rand(2, 1, 4, 5)]),
    ("fold", lambda x: ops.fold(x, (4, 4), 2, stride=1), [rand(1, 8, 9)]),
    ("fold_padded", lambda x: ops.fold(x, 5, 3, padding=1, stride=2), [rand(1, 9, 9)]),
]


@pytest.mark.parametrize("fn,inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradients_match_finite_differences(fn, inputs):
    check_gradients(fn, *inputs)


@pytest.mark.parametrize("name", ["sparsemax", "layer_normalization", "rms_normalization", "normalize", "fold"])
def test_second_derivatives(name):
    fn, inputs = {c[0]: c[1:] for c in CASES}[name]
    check_gradients(gradient_of(fn), *inputs, rtol=1e-4, atol=1e-5)


def test_activation_values():
    x = np.array([-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5])
    np.testing.assert_array_equal(ops.hard_shrink(x), np.where(np.abs(x) > 0.5, x, 0))
    np.testing.assert_array_equal(ops.soft_shrink(x), np.sign(x) * np.maximum(np.abs(x) - 0.5, 0))
    np.testing.assert_allclose(ops.sparse_plus(x), np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)))
    np.testing.assert_allclose(ops.sparse_sigmoid(x), np.clip((x + 1) / 2, 0, 1))
    np.testing.assert_allclose(ops.squareplus(x), (x + np.sqrt(x * x + 4)) / 2)
    np.testing.assert_array_equal(ops.threshold(x, 0.0, 7.0), np.where(x > 0, x, 7.0))
    assert (ops.sparsemax(rand(4, 6)) >= 0).all()
    assert ops.hard_shrink(np.array([1, 0], "int32")).dtype == np.float32


def test_normalization_values():
    x = rand(3, 4)
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(ops.layer_normalization(x, epsilon=1e-3), (x - mean) / np.sqrt(var + 1e-3), rtol=1e-10)
    np.testing.assert_allclose(ops.rms_normalization(x, epsilon=1e-3),
                               x / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-3), rtol=1e-10)
    np.testing.assert_allclose(ops.normalize(x, order=1), x / np.abs(x).sum(-1, keepdims=True), rtol=1e-10)
    assert ops.layer_normalization(x.astype("float16")).dtype == np.float16
    mse = np.mean((x - 2 * x) ** 2)
    np.testing.assert_allclose(ops.psnr(x, 2 * x, 1.0), -10 * np.log10(mse), rtol=1e-10)
    with pytest.warns(UserWarning, match="rms_scaling") as caught:
        np.testing.assert_allclose(ops.layer_normalization(x, rms_scaling=True, epsilon=0.0), x / np.sqrt(var))
    assert caught[0].filename == __file__  # the warning points at the caller's line


def test_pixel_shuffles_and_unfold_fold_are_inverses():
    x = rand(2, 4, 6, 8)
    np.testing.assert_array_equal(ops.space_to_depth(ops.depth_to_space(x, 2), 2), x)
    np.testing.assert_array_equal(ops.depth_to_space(ops.space_to_depth(x, 2, "channels_first"), 2, "channels_first"), x)
    patches = ops.unfold(x, 2, stride=2)
    np.testing.assert_array_equal(ops.fold(patches, (6, 8), 2, stride=2), x)
    counts = ops.fold(ops.unfold(np.ones((1, 1, 3, 3)), 2), (3, 3), 2)
    assert counts[0, 0].tolist() == [[1, 2, 1], [2, 4, 2], [1, 2, 1]]


def test_unfold_matches_a_direct_loop():
    x = rand(1, 2, 5, 5)
    out = ops.unfold(x, 3, dilation=1, padding=1, stride=2)
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    expected = np.stack([padded[0, :, i:i + 3, j:j + 3].reshape(-1) for i in (0, 2, 4) for j in (0, 2, 4)], axis=-1)
    np.testing.assert_array_equal(out[0], expected)


def test_multi_hot():
    assert ops.multi_hot(np.array([0, 2, 2]), 4).tolist() == [1.0, 0.0, 1.0, 0.0]
    assert ops.multi_hot(np.array([[0, 5], [1, 1]]), 3, dtype="int32").tolist() == [[1, 0, 0], [0, 1, 0]]


@pytest.mark.parametrize("call,error,match", [
    (lambda: ops.normalize(np.ones(3), order=0), ValueError, "order"),
    (lambda: ops.psnr(np.ones(3), np.ones(4), 1.0), ValueError, "must match"),
    (lambda: ops.depth_to_space(np.ones((1, 2, 2, 3)), 2), ValueError, "divisible"),
    (lambda: ops.space_to_depth(np.ones((1, 3, 2, 1)), 2), ValueError, "divisible"),
    (lambda: ops.depth_to_space(np.ones((2, 2, 4)), 2), ValueError, "4-D"),
    (lambda: ops.depth_to_space(np.ones((1, 2, 2, 4)), 2, "nhwc"), ValueError, "data_format"),
    (lambda: ops.unfold(np.ones((2, 4, 4)), 2), ValueError, "4D"),
    (lambda: ops.fold(np.ones((1, 7, 4)), 4, 2), ValueError, "divisible"),
    (lambda: ops.fold(np.ones((1, 8, 5)), 4, 2, stride=2), ValueError, "blocks"),
    (lambda: ops.layer_normalization(np.ones(3), scale=2), TypeError, "unexpected"),
])
def test_bad_arguments_are_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_sparsemax_follows_keras_formula():
    x = rand(5, 6)
    ordered = -np.sort(-x, axis=-1)
    running = np.cumsum(ordered, axis=-1)
    support = ordered - (running - 1) / np.arange(1, 7) > 0
    tau = (np.where(support, running, 0).sum(-1, keepdims=True) - 1) / support.sum(-1, keepdims=True)
    np.testing.assert_allclose(ops.sparsemax(x), np.maximum(x - tau, 0), rtol=1e-12)
    # With one value in the support it is the projection onto the simplex.
    assert ops.sparsemax(np.array([3.0, 0.5, -1.0])).tolist() == [1.0, 0.0, 0.0]
