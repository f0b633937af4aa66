"""Merge layers: values, broadcasting across ranks, shape validation, configs, gradients."""

import numpy as np
import pytest

import nanokeras as keras

RNG = np.random.default_rng(0)
A = RNG.normal(size=(4, 3)).astype("float32")
B = RNG.normal(size=(4, 3)).astype("float32")
C = RNG.normal(size=(4, 3)).astype("float32")


@pytest.mark.parametrize("cls, fn, expected", [
    (keras.layers.Add, keras.layers.add, A + B + C),
    (keras.layers.Multiply, keras.layers.multiply, A * B * C),
    (keras.layers.Average, keras.layers.average, (A + B + C) / 3),
    (keras.layers.Maximum, keras.layers.maximum, np.maximum(np.maximum(A, B), C)),
    (keras.layers.Minimum, keras.layers.minimum, np.minimum(np.minimum(A, B), C)),
])
def test_elementwise_values_and_functional_forms(cls, fn, expected):
    np.testing.assert_allclose(cls()([A, B, C]), expected, rtol=1e-6)
    a, b, c = keras.Input((3,)), keras.Input((3,)), keras.Input((3,))
    model = keras.Model([a, b, c], fn([a, b, c]))
    np.testing.assert_allclose(model([A, B, C]), expected, rtol=1e-6)


def test_subtract_exactly_two():
    np.testing.assert_allclose(keras.layers.Subtract()([A, B]), A - B)
    with pytest.raises(ValueError, match="exactly 2"):
        keras.layers.subtract([keras.Input((3,)), keras.Input((3,)), keras.Input((3,))])


def test_merge_broadcasts_lower_rank_inputs():
    x = RNG.normal(size=(2, 3, 4)).astype("float32")
    y = RNG.normal(size=(2, 4)).astype("float32")
    np.testing.assert_allclose(keras.layers.Add()([x, y]), x + y[:, None, :], rtol=1e-6)
    assert keras.layers.Add().compute_output_shape([(None, 3, 4), (None, 4)]) == (None, 3, 4)


def test_merge_shape_validation():
    with pytest.raises(ValueError, match="incompatible shapes"):
        keras.layers.add([keras.Input((3,)), keras.Input((4,))])
    with pytest.raises(ValueError, match="list of inputs"):
        keras.layers.Add()(keras.Input((3,)))


def test_concatenate_axes_and_validation():
    x, y = np.ones((2, 3, 4), "float32"), np.zeros((2, 3, 5), "float32")
    assert keras.layers.Concatenate()([x, y]).shape == (2, 3, 9)
    assert keras.layers.Concatenate(axis=1)([x, x]).shape == (2, 6, 4)
    out = keras.layers.concatenate([keras.Input((3, 4)), keras.Input((None, 4))], axis=1)
    assert out.shape == (None, None, 4)
    with pytest.raises(ValueError, match="matching shapes"):
        keras.layers.concatenate([keras.Input((3, 4)), keras.Input((2, 5))])
    assert keras.layers.Concatenate(axis=1).get_config()["axis"] == 1


def test_dot_values_shapes_and_normalize():
    out = keras.layers.Dot(axes=1)([A, B])
    np.testing.assert_allclose(out, np.sum(A * B, axis=1, keepdims=True), rtol=1e-5)
    cos = keras.layers.Dot(axes=1, normalize=True)([A, B])
    expected = np.sum(A * B, 1) / np.linalg.norm(A, axis=1) / np.linalg.norm(B, axis=1)
    np.testing.assert_allclose(cos[:, 0], expected, rtol=1e-5)
    x = RNG.normal(size=(2, 3, 4)).astype("float32")
    y = RNG.normal(size=(2, 5, 4)).astype("float32")
    out = keras.layers.Dot(axes=(2, 2))([x, y])
    np.testing.assert_allclose(out, np.einsum("bik,bjk->bij", x, y), rtol=1e-5)
    assert keras.layers.Dot(axes=(2, 2)).compute_output_shape([(None, 3, 4), (None, 5, 4)]) == (None, 3, 5)
    with pytest.raises(ValueError, match="Incompatible input shapes"):
        keras.layers.dot([keras.Input((3,)), keras.Input((4,))], axes=1)
    with pytest.raises(TypeError, match="axes"):
        keras.layers.Dot(axes="x")
    assert keras.layers.Dot(axes=(1, 2), normalize=True).get_config()["axes"] == (1, 2)


def test_merge_gradients_match_finite_differences():
    x = RNG.normal(size=(2, 3)).astype("float64")
    y = RNG.normal(size=(2, 3)).astype("float64")
    layer = keras.layers.Dot(axes=1, normalize=True, dtype="float64")
    xv = keras.Variable(x, dtype="float64")
    with keras.GradientTape() as tape:
        out = keras.ops.sum(layer([xv, y]))
    grad = np.asarray(tape.gradient(out, xv))
    eps = 1e-6
    numeric = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        p, m = x.copy(), x.copy()
        p[i] += eps
        m[i] -= eps
        numeric[i] = (np.sum(layer([p, y])) - np.sum(layer([m, y]))) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)
