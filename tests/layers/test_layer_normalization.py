import numpy as np
import pytest

import nanokeras as keras
from nanokeras import GradientTape

RNG = np.random.default_rng(1)


def test_layer_normalization_closed_form_last_axis():
    x = RNG.normal(size=(4, 6)).astype("float32")
    ln = keras.layers.LayerNormalization(epsilon=1e-3)
    ln(x)
    gamma, beta = RNG.normal(size=6).astype("float32"), RNG.normal(size=6).astype("float32")
    ln.set_weights([gamma, beta])
    m, v = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(ln(x), gamma * (x - m) / np.sqrt(v + 1e-3) + beta, rtol=1e-5, atol=1e-6)
    assert ln.get_config()["axis"] == [-1]


def test_layer_normalization_multiple_axes_and_rms_scaling():
    x = RNG.normal(size=(2, 3, 4)).astype("float32")
    ln = keras.layers.LayerNormalization(axis=[1, 2], center=False)
    y = np.asarray(ln(x))
    m, v = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(y, (x - m) / np.sqrt(v + 1e-3), rtol=1e-5, atol=1e-6)
    assert ln.gamma.shape == (3, 4) and ln.beta is None
    with pytest.warns(UserWarning, match="deprecated"):
        rms = keras.layers.LayerNormalization(rms_scaling=True)
    np.testing.assert_allclose(rms(x), x / np.sqrt(x.var(-1, keepdims=True) + 1e-3), rtol=1e-5)


def test_layer_normalization_gradients_match_finite_differences():
    keras.backend.set_floatx("float64")
    try:
        x = RNG.normal(size=(3, 5))
        ln = keras.layers.LayerNormalization()
        ln(x)
        ln.set_weights([RNG.normal(size=5), RNG.normal(size=5)])
        w = RNG.normal(size=(3, 5))
        xv = keras.Variable(x)
        with GradientTape() as tape:
            loss = keras.ops.sum(ln(xv) * w)
        g_x, g_gamma = tape.gradient(loss, [xv, ln.gamma])
        for var, grad in ((xv, g_x), (ln.gamma, g_gamma)):
            fd = np.zeros_like(var.value)
            for idx in np.ndindex(var.shape):
                orig = var.value[idx]
                var.value[idx] = orig + 1e-6
                plus = float(np.sum(np.asarray(ln(xv.value)) * w))
                var.value[idx] = orig - 1e-6
                minus = float(np.sum(np.asarray(ln(xv.value)) * w))
                var.value[idx] = orig
                fd[idx] = (plus - minus) / 2e-6
            np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-7)
    finally:
        keras.backend.set_floatx("float32")


def test_unit_normalization_values_zero_rows_and_axis_list():
    x = np.array([[3.0, 4.0], [0.0, 0.0]], dtype="float32")
    np.testing.assert_allclose(keras.layers.UnitNormalization()(x), [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)
    x3 = RNG.normal(size=(2, 3, 4)).astype("float32")
    y = np.asarray(keras.layers.UnitNormalization(axis=[1, 2])(x3))
    np.testing.assert_allclose(np.sqrt((y**2).sum((1, 2))), 1.0, rtol=1e-5)
    with pytest.raises(TypeError, match="axis"):
        keras.layers.UnitNormalization(axis="last")
    with pytest.raises(ValueError, match="out of bounds"):
        keras.layers.UnitNormalization(axis=3).compute_output_shape((None, 2))


def test_normalization_layers_config_round_trip():
    for layer in (keras.layers.LayerNormalization(axis=[1, 2], epsilon=1e-5, scale=False),
                  keras.layers.UnitNormalization(axis=[1])):
        assert type(layer).from_config(layer.get_config()).get_config() == layer.get_config()
    with pytest.raises(TypeError, match="axis"):
        keras.layers.LayerNormalization(axis=1.5)
