"""RandomHue, RandomSaturation, RandomColorJitter, RandomSharpness, RandomGaussianBlur, Equalization:
closed-form values, draws, argument checks, gradients, layouts, inference and saving."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, (4, 5, 6, 3)).astype("float32")


def _finite_difference_check(layer, transformation, x, eps=1e-6, tolerance=1e-6):
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
    np.testing.assert_allclose(analytic, numeric, rtol=tolerance, atol=tolerance)


def _pixel(layer, rgb):
    return np.asarray(layer(np.array(rgb, "float32").reshape(1, 1, 1, 3)))[0, 0, 0]


# RandomHue

def test_hue_half_turn_and_no_turn():
    layer = layers.RandomHue((1.0, 1.0))  # +-1/2 turn: the same either way
    np.testing.assert_allclose(_pixel(layer, [255, 0, 0]), [0, 255, 255], atol=1e-4)
    np.testing.assert_allclose(_pixel(layer, [0, 255, 0]), [255, 0, 255], atol=1e-4)
    np.testing.assert_allclose(_pixel(layer, [200, 100, 50]), [50, 150, 200], atol=1e-3)  # max + min - x
    np.testing.assert_allclose(layers.RandomHue((0.0, 0.0))(IMAGES), IMAGES, atol=1e-3)
    third = layers.RandomHue((0.5, 0.5))._augment(np.array([255.0, 0, 0]).reshape(1, 1, 1, 3),
                                                  {"factor": np.array([1 / 3])})[0]
    np.testing.assert_allclose(third.ravel(), [0, 255, 0], atol=1e-9)  # a third of a turn: red to green


def test_hue_draws_both_signs_within_half_the_factor():
    layer = layers.RandomHue((0.2, 0.6), seed=1)
    delta = layer.get_random_transformation((400, 2, 2, 3))["factor"]
    assert delta.shape == (400,)
    assert np.all((np.abs(delta) >= 0.1 - 1e-7) & (np.abs(delta) <= 0.3 + 1e-7))
    assert 0.35 < np.mean(delta > 0) < 0.65
    assert layers.RandomHue(0.4).factor == (0, 0.4)  # one number f: (0, f)


def test_hue_gradient():
    layer = layers.RandomHue(0.5, value_range=(0, 1))
    x = RNG.uniform(0.05, 0.95, (2, 3, 3, 3))
    _finite_difference_check(layer, {"factor": np.array([0.37, -0.21])}, x)
    layer = layers.RandomHue(0.5)
    _finite_difference_check(layer, {"factor": np.array([0.1, 0.45])}, x * 255, eps=1e-4)


# RandomSaturation

def test_saturation_values():
    gray = layers.RandomSaturation((0.0, 0.0))
    np.testing.assert_allclose(_pixel(gray, [200, 100, 50]), [200, 200, 200])  # saturation 0: the value
    np.testing.assert_allclose(layers.RandomSaturation((0.5, 0.5))(IMAGES), IMAGES, rtol=1e-5, atol=1e-3)
    double = layers.RandomSaturation((2 / 3, 2 / 3))  # u / (1 - u) = 2: saturation 0.75 -> 1.5
    np.testing.assert_allclose(_pixel(double, [200, 100, 50]), [200, 0, -100], rtol=1e-5, atol=1e-3)
    clipped = layers.RandomSaturation((2 / 3, 2 / 3), value_range=(0, 1))  # (Keras clips the saturation there)
    np.testing.assert_allclose(_pixel(clipped, [200 / 255, 100 / 255, 50 / 255]), [200 / 255, 200 / 3 / 255, 0], atol=1e-5)


def test_saturation_draws_and_factor():
    layer = layers.RandomSaturation(0.3, seed=2)
    assert layer.factor == (-0.3, 0.3)  # Keras's reading: one number f gives (-f, f)
    factor = layer.get_random_transformation((300, 2, 2, 3))["factor"]
    u = factor / (1 + factor)  # the inverse of u / (1 - u)
    assert factor.shape == (300,) and np.all((u >= -0.3 - 1e-5) & (u <= 0.3 + 1e-5))


def test_saturation_gradient():
    x = RNG.uniform(0.05, 0.95, (2, 3, 3, 3))
    layer = layers.RandomSaturation(0.5, value_range=(0, 1))
    _finite_difference_check(layer, {"factor": np.array([0.6, 2.5])}, x)  # the second clips some pixels at 1
    _finite_difference_check(layers.RandomSaturation(0.5), {"factor": np.array([1.7, 0.2])}, x * 255, eps=1e-4)


# RandomColorJitter

def test_color_jitter_steps_in_order():
    layer = layers.RandomColorJitter(brightness_factor=(0.1, 0.1), saturation_factor=(0.0, 0.0))
    np.testing.assert_allclose(_pixel(layer, [100, 50, 0]), [125.5, 125.5, 125.5])  # brightness, then gray
    np.testing.assert_array_equal(layers.RandomColorJitter()(IMAGES), IMAGES)  # no step
    both = layers.RandomColorJitter(hue_factor=(1.0, 1.0), contrast_factor=(0.0, 0.0))
    np.testing.assert_allclose(both(IMAGES), layers.RandomHue((1.0, 1.0))(IMAGES), atol=1e-3)


def test_color_jitter_draws_and_gradient():
    layer = layers.RandomColorJitter(value_range=(0, 1), brightness_factor=0.1, contrast_factor=0.3,
                                     saturation_factor=(0.3, 0.7), hue_factor=0.2, seed=4)
    x = RNG.uniform(0.2, 0.8, (2, 3, 3, 3))
    transformation = layer.get_random_transformation(x.shape)
    assert len(transformation["steps"]) == 4
    # One stream for the steps: the contrast is not drawn from a fresh copy of the brightness's stream.
    alone = layers.RandomContrast(0.3, seed=4).get_random_transformation(x.shape)["contrast_factor"]
    assert not np.allclose(transformation["steps"][1]["contrast_factor"], alone)
    _finite_difference_check(layer, transformation, x)


# RandomSharpness

def test_sharpness_values():
    x = np.full((1, 3, 3, 1), 130.0, "float32")
    smoothed = np.asarray(layers.RandomSharpness((0.0, 0.0))(x))[0, :, :, 0]
    # Zeros past the border: a corner keeps 8/13 of its value, an edge 10/13, the center all of it.
    np.testing.assert_allclose(smoothed, 130 * np.array([[8, 10, 8], [10, 13, 10], [8, 10, 8]]) / 13, rtol=1e-6)
    np.testing.assert_allclose(layers.RandomSharpness((0.5, 0.5))(IMAGES), IMAGES)
    sharpened = np.asarray(layers.RandomSharpness((1.0, 1.0))(x))[0, :, :, 0]  # 2x - smooth(x), clipped
    np.testing.assert_allclose(sharpened, np.clip(2 * 130 - smoothed, 0, 255), rtol=1e-6)
    assert layers.RandomSharpness(0.3).factor == (0, 0.3)


def test_sharpness_gradient():
    layer = layers.RandomSharpness(0.5)
    x = RNG.uniform(0, 255, (2, 4, 3, 2))
    _finite_difference_check(layer, {"factor": np.array([0.1, 0.9])}, x, eps=1e-4)  # some clipped at 255
    channels_first = layers.RandomSharpness(0.5, data_format="channels_first")
    _finite_difference_check(channels_first, {"factor": np.array([0.2, 0.7])}, x, eps=1e-4)


# RandomGaussianBlur

def test_gaussian_blur_values():
    x = np.zeros((1, 5, 5, 1), "float32")
    x[0, 2, 2, 0] = 100.0
    blurred = np.asarray(layers.RandomGaussianBlur((1.0, 1.0), kernel_size=(3, 5), sigma=(1.0, 1.0))(x))[0, :, :, 0]
    across = np.exp(-0.5 * np.arange(-1, 2) ** 2 / (1 + 1e-6) ** 2)
    down = np.exp(-0.5 * np.arange(-2, 3) ** 2 / (1 + 1e-6) ** 2)
    expected = np.zeros((5, 5))
    expected[:, 1:4] = 100 * np.outer(down / down.sum(), across / across.sum())  # 3 wide, 5 high
    np.testing.assert_allclose(blurred, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(layers.RandomGaussianBlur((0.0, 0.0))(IMAGES), IMAGES)  # never blurred
    np.testing.assert_array_equal(layers.RandomGaussianBlur((0.0, 0.0), value_range=(0, 100))(IMAGES),
                                  np.clip(IMAGES, 0, 100))  # but always clipped, as in Keras


def test_gaussian_blur_draws_and_config():
    layer = layers.RandomGaussianBlur(0.5, sigma=(0.5, 3.0), seed=3)
    transformation = layer.get_random_transformation((500, 2, 2, 3))
    assert 0.15 < transformation["should_apply_blur"].mean() < 0.35  # p ~ U(0, 0.5): a quarter on average
    assert transformation["blur_factor"].shape == (2,)
    assert np.all((transformation["blur_factor"] > 0.5) & (transformation["blur_factor"] < 3.0 + 1e-5))
    config = layers.RandomGaussianBlur().get_config()
    assert (config["factor"], config["kernel_size"], config["sigma"]) == ((0, 1.0), (3, 3), (0, 1.0))


def test_gaussian_blur_gradient():
    layer = layers.RandomGaussianBlur(kernel_size=(5, 3))
    transformation = {"should_apply_blur": np.array([True, False]), "blur_factor": np.array([0.8, 1.3])}
    x = RNG.uniform(0, 255, (2, 4, 6, 2))
    x[0, 0, 0, 0] = 300.0  # clipped
    _finite_difference_check(layer, transformation, x, eps=1e-4)
    channels_first = layers.RandomGaussianBlur(kernel_size=3, data_format="channels_first")
    _finite_difference_check(channels_first, transformation, x, eps=1e-4)


# Equalization

def test_equalization_values():
    x = np.array([10.0, 10.0, 20.0, 30.0], "float32").reshape(1, 1, 4, 1)
    np.testing.assert_array_equal(layers.Equalization()(x).ravel(), [0, 0, 128, 255])  # round(255 * 1/2)
    np.testing.assert_array_equal(layers.Equalization()(np.full((1, 2, 2, 1), 7.0, "float32")), 7.0)  # flat
    unit = layers.Equalization(value_range=(0, 1))(x / 255)
    np.testing.assert_allclose(np.asarray(unit).ravel(), [0, 0, 128 / 255, 1], rtol=1e-6)
    # One histogram per channel over the whole batch (as Keras does), not per image.
    batch = np.concatenate([x, x + 100], axis=0)
    np.testing.assert_array_equal(np.asarray(layers.Equalization()(batch)).reshape(2, 4),
                                  [[0, 0, 42, 85], [170, 170, 212, 255]])


def test_equalization_gradient():
    x = np.concatenate([RNG.uniform(0, 255, (2, 3, 3, 1)), np.full((2, 3, 3, 1), 9.0)], axis=-1)
    out, backward = layers.Equalization()._augment(x, {})
    np.testing.assert_array_equal(out[..., 1], 9.0)
    g = RNG.standard_normal(x.shape)
    np.testing.assert_array_equal(backward(g), np.stack([np.zeros_like(g[..., 0]), g[..., 1]], axis=-1))


# All of them

ALL = [
    ("RandomHue", dict(factor=(1.0, 1.0))), ("RandomSaturation", dict(factor=(0.2, 0.2))),
    ("RandomColorJitter", dict(brightness_factor=(0.1, 0.1), saturation_factor=(0.7, 0.7), hue_factor=(0.4, 0.4))),
    ("RandomSharpness", dict(factor=(0.9, 0.9))), ("RandomGaussianBlur", dict(factor=(1.0, 1.0), sigma=(0.6, 0.6))),
    ("Equalization", dict()),
]


@pytest.mark.parametrize("name, kwargs", ALL)
def test_inference_layouts_single_images_and_saving(tmp_path, name, kwargs):
    layer = getattr(layers, name)(**kwargs)
    np.testing.assert_array_equal(layer(IMAGES, training=False), IMAGES)
    out = np.asarray(layer(IMAGES))
    if name != "RandomColorJitter" and not name.startswith("RandomHue"):  # (these draw a sign per image)
        np.testing.assert_allclose(layer(IMAGES[0]), np.asarray(layer(IMAGES[:1]))[0], rtol=1e-5, atol=1e-3)
        first = getattr(layers, name)(data_format="channels_first", **kwargs)
        np.testing.assert_allclose(np.moveaxis(np.asarray(first(np.moveaxis(IMAGES, -1, 1))), 1, -1), out,
                                   rtol=1e-5, atol=1e-3)
    copy = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert type(copy) is type(layer) and copy.get_config() == layer.get_config()
    model = keras.Sequential([keras.Input((5, 6, 3)), layer, layers.Flatten(), layers.Dense(2)])
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded.layers[0]) is type(layer)
    np.testing.assert_allclose(loaded.predict(IMAGES, verbose=0), model.predict(IMAGES, verbose=0), rtol=1e-6)


@pytest.mark.parametrize("name, kwargs", ALL)
def test_gradient_through_the_tape_and_fit(name, kwargs):
    layer = getattr(layers, name)(**kwargs)
    variable = keras.Variable(IMAGES[:2])
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(variable))
    grad = np.asarray(tape.gradient(loss, variable))
    assert grad.shape == IMAGES[:2].shape and np.isfinite(grad).all()
    model = keras.Sequential([keras.Input((5, 6, 3)), getattr(layers, name)(**kwargs), layers.Flatten(),
                              layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(IMAGES / 255, np.zeros((4, 1)), verbose=0, epochs=2, batch_size=2)
    assert model.compiled_step_reason == {}  # the compiled step replays the draw


def test_hue_and_jitter_layouts_with_a_set_draw():
    x = IMAGES.astype("float64")
    last = layers.RandomHue(0.5)
    first = layers.RandomHue(0.5, data_format="channels_first")
    transformation = {"factor": np.array([0.1, -0.2, 0.3, 0.05])}
    np.testing.assert_allclose(np.moveaxis(first._augment(np.moveaxis(x, -1, 1), transformation)[0], 1, -1),
                               last._augment(x, transformation)[0])
    assert np.asarray(last(IMAGES[0])).shape == IMAGES[0].shape
    jitter = layers.RandomColorJitter(hue_factor=0.5, saturation_factor=0.6, data_format="channels_first")
    assert np.asarray(jitter(np.moveaxis(IMAGES, -1, 1))).shape == (4, 3, 5, 6)


@pytest.mark.parametrize("make, match", [
    (lambda: layers.RandomHue(1.5), r"`factor`.*\[0, 1\].*1\.5"),
    (lambda: layers.RandomHue(0.5, value_range=5), "value_range"),
    (lambda: layers.RandomSaturation(-2), r"`factor`.*\[-1, 1\]"),
    (lambda: layers.RandomSaturation(0.2, value_range=(0, 1, 2)), "value_range"),
    (lambda: layers.RandomColorJitter(hue_factor=2), "hue_factor"),
    (lambda: layers.RandomColorJitter(brightness_factor="a"), "brightness_factor"),
    (lambda: layers.RandomColorJitter(value_range="0-255"), "value_range"),
    (lambda: layers.RandomSharpness(-0.1), r"`factor`.*\[0, 1\]"),
    (lambda: layers.RandomSharpness(0.1, value_range=None), "value_range"),
    (lambda: layers.RandomGaussianBlur(kernel_size=4), "kernel_size.*odd.*4"),
    (lambda: layers.RandomGaussianBlur(kernel_size=(3, 5, 7)), "kernel_size"),
    (lambda: layers.RandomGaussianBlur(sigma=2.0), r"sigma.*2\.0"),
    (lambda: layers.RandomGaussianBlur(sigma=(1.5, 3.0)), "sigma"),
    (lambda: layers.RandomGaussianBlur(factor=2), "factor"),
    (lambda: layers.Equalization(bins=0), "bins.*positive.*0"),
    (lambda: layers.Equalization(bins=2.5), "bins"),
    (lambda: layers.Equalization(value_range=(1,)), "value_range"),
])
def test_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("name", ["RandomHue", "RandomSaturation"])
def test_rgb_only(name):
    with pytest.raises(ValueError, match="3 channels"):
        getattr(layers, name)((0.5, 0.5))(np.ones((1, 2, 2, 1), "float32"))
