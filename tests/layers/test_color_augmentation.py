"""RandomGrayscale, RandomInvert, Solarization, AutoContrast: closed-form values, draws, gradients."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, (16, 4, 5, 3)).astype("float32")


def _finite_difference_check(layer, transformation, x, eps=1e-3):
    x = x.astype("float64")
    out, backward = layer._augment(x, transformation)
    weights = RNG.standard_normal(out.shape)
    analytic = backward(weights)
    numeric = np.zeros_like(x)
    flat = x.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        up = np.sum(layer._augment(x, transformation)[0] * weights)
        flat[i] = saved - eps
        down = np.sum(layer._augment(x, transformation)[0] * weights)
        flat[i] = saved
        numeric.reshape(-1)[i] = (up - down) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-5)


def test_grayscale_values_share_and_gradient():
    gray = np.asarray(layers.RandomGrayscale(1.0)(IMAGES))
    expected = IMAGES @ np.array([0.2989, 0.5870, 0.1140], "float32")
    np.testing.assert_allclose(gray, np.repeat(expected[..., None], 3, axis=-1), rtol=1e-5)
    half = np.asarray(layers.RandomGrayscale(0.5, seed=3)(np.repeat(IMAGES, 8, axis=0)))
    turned = np.all(np.isclose(half[..., 0], half[..., 1]) & np.isclose(half[..., 1], half[..., 2]), axis=(1, 2))
    assert 0.3 < turned.mean() < 0.7
    layer = layers.RandomGrayscale()
    _finite_difference_check(layer, {"apply": np.array([True, False])}, RNG.uniform(0, 1, (2, 2, 2, 3)))
    with pytest.raises(ValueError, match="between 0 and 1"):
        layers.RandomGrayscale(1.5)
    with pytest.raises(ValueError, match="3 channels"):
        layers.RandomGrayscale(1.0)(np.ones((1, 2, 2, 1), "float32"))


def test_invert_values_and_gradient():
    np.testing.assert_allclose(layers.RandomInvert((1.0, 1.0))(IMAGES), 255 - IMAGES)
    np.testing.assert_allclose(layers.RandomInvert((1.0, 1.0), value_range=(0, 1))(IMAGES / 255), 1 - IMAGES / 255,
                               rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(layers.RandomInvert((0.0, 0.0))(IMAGES), IMAGES)
    layer = layers.RandomInvert()
    _finite_difference_check(layer, {"apply_inversion": np.array([True, False])}, RNG.uniform(0, 255, (2, 2, 2, 3)))


def test_solarization_values_and_gradient():
    np.testing.assert_allclose(layers.Solarization()(IMAGES), 255 - IMAGES, rtol=1e-6)
    layer = layers.Solarization(value_range=(0, 1))
    x = np.random.default_rng(11).uniform(0, 1, (2, 3, 3, 1))
    transformation = {"additions": np.array([10.0, 0.0]).reshape(2, 1, 1, 1),
                      "thresholds": np.array([120.0, 200.0]).reshape(2, 1, 1, 1)}
    out = layer._augment(x, transformation)[0]
    r = np.clip(x * 255 + transformation["additions"], 0, 255)
    np.testing.assert_allclose(out, np.where(r < transformation["thresholds"], r, 255 - r) / 255, rtol=1e-6)
    _finite_difference_check(layer, transformation, x)
    with pytest.raises(ValueError, match="in the range"):
        layers.Solarization(addition_factor=2)
    with pytest.raises(ValueError, match="value_range"):
        layers.Solarization(value_range=5)


def test_auto_contrast_stretches_and_trains():
    x = np.array([[50.0, 100.0], [75.0, 60.0]], "float32").reshape(1, 2, 2, 1)
    np.testing.assert_allclose(layers.AutoContrast()(x)[0, :, :, 0], [[0.0, 255.0], [127.5, 51.0]], rtol=1e-6)
    model = keras.Sequential([keras.Input((2, 2, 1)), layers.AutoContrast()])  # in predict too: not random
    np.testing.assert_allclose(model.predict(x, verbose=0), layers.AutoContrast()(x))
    variable = keras.Variable(RNG.uniform(0, 1, (2, 3, 3, 3)))
    weights = RNG.standard_normal((2, 3, 3, 3))
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layers.AutoContrast(value_range=(0, 1))(variable) * weights)
    grad = np.asarray(tape.gradient(loss, variable))
    assert grad.shape == (2, 3, 3, 3) and np.isfinite(grad).all()
    model = keras.Sequential([keras.Input((4, 5, 3)), layers.AutoContrast(), layers.Flatten(), layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(IMAGES, np.zeros((16, 1)), verbose=0)
    assert model.compiled_step_reason == {}


def test_color_degeneration_values_and_gradient():
    gray = np.asarray(layers.RandomGrayscale(1.0)(IMAGES))
    np.testing.assert_allclose(layers.RandomColorDegeneration((1.0, 1.0))(IMAGES), gray, rtol=1e-5)
    np.testing.assert_allclose(layers.RandomColorDegeneration((0.0, 0.0))(IMAGES), IMAGES)
    saturated = np.asarray(layers.RandomColorDegeneration((-1.0, -1.0))(IMAGES))
    np.testing.assert_allclose(saturated, np.clip(2 * IMAGES - gray, 0, 255), rtol=1e-5, atol=1e-3)
    layer = layers.RandomColorDegeneration(0.5, value_range=(0, 1))
    x = np.random.default_rng(5).uniform(0.4, 0.6, (2, 2, 2, 3))  # no value near the clip
    _finite_difference_check(layer, {"factor": np.array([0.4, -0.3]).reshape(2, 1, 1, 1)}, x)
    assert layers.RandomColorDegeneration(0.5).factor == (-0.5, 0.5)  # Keras's reading of one number


def test_posterization_values():
    x = np.array([0.0, 30.0, 64.0, 100.0, 191.9, 255.0], "float32").reshape(1, 1, 6, 1)
    np.testing.assert_array_equal(layers.RandomPosterization((2, 2))(x).ravel(), [0, 0, 64, 64, 128, 192])
    np.testing.assert_array_equal(layers.RandomPosterization((8, 8))(x).ravel(), [0, 30, 64, 100, 191, 255])
    layer = layers.RandomPosterization(4, seed=1)
    assert layer.factor == (1, 4)
    bits = 8 - layer.get_random_transformation((500, 2, 2, 3))["shift_factor"]
    assert set(bits.tolist()) == {1, 2, 3}  # `upper` excluded, as Keras's randint
    with pytest.raises(ValueError, match=r"\[1, 8\]"):
        layers.RandomPosterization(9)
    variable = keras.Variable(IMAGES[:2])
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layers.RandomPosterization((3, 3))(variable))
    np.testing.assert_array_equal(tape.gradient(loss, variable), np.zeros_like(IMAGES[:2]))
