"""More `keras.ops.nn` functions against real Keras: values, dtypes, jax.grad."""

import numpy as np
import pytest

from nanokeras import ops
from tests.parity.ops_parity import check_forward, check_gradients

rng = np.random.default_rng(0)


def f(*shape):
    return rng.uniform(-2, 2, size=shape).astype("float32")


X = np.array([[-2.3, -0.8, -0.3, 0.2, 0.5], [0.7, 1.6, -1.4, 0.1, -1.0]], "float32")  # includes kinks
IMG = f(2, 4, 6, 8)

CASES = [
    ("hard_shrink", lambda m, x: m.hard_shrink(x), [X]),
    ("soft_shrink", lambda m, x: m.soft_shrink(x, 0.4), [X]),
    ("tanh_shrink", lambda m, x: m.tanh_shrink(x), [X]),
    ("threshold", lambda m, x: m.threshold(x, 0.2, -1.0), [X]),
    ("sparse_plus", lambda m, x: m.sparse_plus(x), [X]),
    ("sparse_sigmoid", lambda m, x: m.sparse_sigmoid(x), [X]),
    ("squareplus", lambda m, x: m.squareplus(x, 3), [X]),
    ("normalize", lambda m, x: m.normalize(x), [X]),
    ("normalize_l1", lambda m, x: m.normalize(x, axis=0, order=1), [X]),
    ("layer_normalization", lambda m, x, g, b: m.layer_normalization(x, g, b), [X, f(5), f(5)]),
    ("layer_normalization_axes", lambda m, x, g: m.layer_normalization(x, g, axis=(1, 2), epsilon=1e-3),
     [f(2, 3, 4), f(3, 4)]),
    ("rms_normalization", lambda m, x, s: m.rms_normalization(x, s), [X, f(5)]),
    ("rms_normalization_axis", lambda m, x: m.rms_normalization(x, axis=0, epsilon=1e-2), [X]),
    ("psnr", lambda m, a, b: m.psnr(a, b, 2.0), [f(3, 4), f(3, 4)]),
    ("depth_to_space", lambda m, x: m.depth_to_space(x, 2), [IMG]),
    ("depth_to_space_first", lambda m, x: m.depth_to_space(x, 2, data_format="channels_first"), [IMG]),
    ("space_to_depth", lambda m, x: m.space_to_depth(x, 2), [IMG]),
    ("space_to_depth_first", lambda m, x: m.space_to_depth(x, 2, data_format="channels_first"), [IMG]),
    ("unfold", lambda m, x: m.unfold(x, 2, stride=2), [IMG]),
    ("unfold_all_options", lambda m, x: m.unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), [IMG]),
    ("fold", lambda m, x: m.fold(x, (4, 4), 2), [f(1, 8, 9)]),
    ("fold_options", lambda m, x: m.fold(x, 5, 3, padding=1, stride=2), [f(2, 9, 9)]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_values_match_keras(keras, case):
    check_forward(keras, case[1], case[2], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_gradients_match_jax(keras, case):
    check_gradients(keras, case[1], case[2], rtol=1e-4, atol=1e-4)


def test_multi_hot_and_crossentropies_in_nn_match_keras(keras):
    check_forward(keras, lambda m: m.nn.multi_hot(np.array([[0, 2], [1, 1]], "int32"), 4), [])
    check_forward(keras, lambda m: m.nn.multi_hot(np.array([0, 3, 3], "int32"), 5, dtype="int32"), [])
    y, p = np.array([[0.0, 1.0]], "float32"), np.array([[0.3, 0.7]], "float32")
    for name in ("binary_crossentropy", "categorical_crossentropy"):
        check_forward(keras, lambda m: getattr(m.nn, name)(y, p), [], rtol=1e-6)
    check_forward(keras, lambda m: m.nn.sparse_categorical_crossentropy(np.array([1], "int32"), p), [], rtol=1e-6)


def test_sparsemax_matches_keras(keras):
    several = np.array([[1.0, 0.8, -1.0], [0.0, 3.0, 1.5], [0.3, 0.2, 0.25]], "float32")
    check_forward(keras, lambda m, x: m.sparsemax(x), [several])
    check_forward(keras, lambda m, x: m.sparsemax(x, axis=0), [several])
    check_gradients(keras, lambda m, x: m.sparsemax(x), [several + 0.01])
