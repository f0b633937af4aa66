"""Image preprocessing and augmentation layers: behaviour in training and inference, values, configs, errors."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers

IMAGES = np.random.default_rng(0).uniform(0, 255, (4, 6, 8, 3)).astype("float32")

RANDOM_LAYERS = [
    lambda: layers.RandomFlip(seed=1),
    lambda: layers.RandomRotation(0.2, seed=1),
    lambda: layers.RandomZoom(0.3, seed=1),
    lambda: layers.RandomTranslation(0.2, 0.3, seed=1),
    lambda: layers.RandomContrast(0.5, seed=1),
    lambda: layers.RandomBrightness(0.3, seed=1),
    lambda: layers.RandomInvert(seed=1),
    lambda: layers.Solarization(0.2, 0.5, seed=1),
    lambda: layers.RandomColorDegeneration(0.8, seed=1),
    lambda: layers.RandomPosterization((1, 4), seed=1),
]


@pytest.mark.parametrize("make", RANDOM_LAYERS)
def test_augmentation_happens_in_training_only(make):
    layer = make()
    assert not np.array_equal(layer(IMAGES), IMAGES)  # a direct call trains, as in Keras
    np.testing.assert_array_equal(layer(IMAGES, training=False), IMAGES)
    model = keras.Sequential([keras.Input((6, 8, 3)), make()])
    np.testing.assert_array_equal(model.predict(IMAGES, verbose=0), IMAGES)
    assert not np.array_equal(model(IMAGES, training=True), IMAGES)


@pytest.mark.parametrize("make", RANDOM_LAYERS)
def test_seeds_repeat_draws_and_single_images_work(make):
    a, b = make(), make()
    np.testing.assert_array_equal(a(IMAGES), b(IMAGES))
    assert not np.array_equal(a(IMAGES), b(IMAGES[::-1]))
    assert np.shape(a(IMAGES[0])) == IMAGES[0].shape


@pytest.mark.parametrize("make", RANDOM_LAYERS)
def test_config_round_trip(make):
    layer = make()
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    assert config["data_format"] == "channels_last" and config["seed"] == 1


def test_flip_values():
    x = np.arange(6, dtype="float32").reshape(1, 2, 3, 1)
    flips = {"flips": np.array([True]).reshape(1, 1, 1, 1)}
    horizontal = layers.RandomFlip("horizontal").transform_images(x, flips)[0, :, :, 0]
    np.testing.assert_array_equal(horizontal, [[2, 1, 0], [5, 4, 3]])
    both = layers.RandomFlip().transform_images(x, flips)[0, :, :, 0]
    np.testing.assert_array_equal(both, [[5, 4, 3], [2, 1, 0]])
    kept = layers.RandomFlip().transform_images(x, {"flips": np.array([False]).reshape(1, 1, 1, 1)})
    np.testing.assert_array_equal(kept, x)


def test_rotation_by_a_half_turn_and_translation_by_whole_pixels():
    x = np.arange(12, dtype="float32").reshape(1, 3, 4, 1)
    layer = layers.RandomRotation(0.5)
    from nanokeras.layers.preprocessing.image_preprocessing._affine import affine_matrix

    half_turn = affine_matrix(np.array([180.0]), np.ones(1), (np.zeros(1), np.zeros(1)), 3, 4)
    out = layer.transform_images(x, {"rotation_matrix": half_turn})
    np.testing.assert_allclose(out[0, :, :, 0], x[0, ::-1, ::-1, 0], atol=1e-4)
    shift = layers.RandomTranslation(0.5, 0.5, fill_mode="constant")
    out = shift.transform_images(x, {"translations": np.array([[1.0, 0.0]], "float32")})
    np.testing.assert_allclose(out[0, :, 1:, 0], x[0, :, :3, 0])
    np.testing.assert_allclose(out[0, :, 0, 0], 0)


def test_zoom_by_one_is_the_identity_and_contrast_brightness_clip():
    zoom = layers.RandomZoom(0.5)
    ones = np.ones((4, 1), "float32")
    np.testing.assert_allclose(zoom.transform_images(IMAGES, {"height_zoom": ones, "width_zoom": ones}), IMAGES,
                               rtol=1e-5)
    contrast = layers.RandomContrast(0.5).transform_images(IMAGES, {"contrast_factor": np.full((4, 1, 1, 1), 3.0)})
    assert contrast.min() >= 0 and contrast.max() <= 255 and contrast.max() == 255
    bright = layers.RandomBrightness(0.5, value_range=(0, 255)).transform_images(
        IMAGES, {"rgb_delta": np.full((4, 1, 1, 1), 100.0)})
    np.testing.assert_allclose(bright, np.clip(IMAGES + 100, 0, 255))


def test_contrast_and_brightness_factor_ranges_as_keras():
    assert layers.RandomContrast(0.2).factor == (0, 0.2)
    assert layers.RandomBrightness(0.2).factor == (-0.2, 0.2)
    assert layers.RandomBrightness((0.3, -0.1)).factor == (-0.1, 0.3)
    assert layers.RandomRotation(0.1).factor == (-0.1, 0.1)


def test_resizing_center_crop_random_crop():
    assert np.shape(layers.Resizing(3, 5)(IMAGES)) == (4, 3, 5, 3)
    assert np.shape(layers.Resizing(3, 5, crop_to_aspect_ratio=True)(IMAGES[0])) == (3, 5, 3)
    np.testing.assert_array_equal(layers.CenterCrop(2, 4)(IMAGES), IMAGES[:, 2:4, 2:6])
    assert np.shape(layers.CenterCrop(10, 4)(IMAGES)) == (4, 10, 4, 3)  # upscaled first
    crop = layers.RandomCrop(3, 5, seed=2)
    out = np.asarray(crop(IMAGES))
    assert out.shape == (4, 3, 5, 3)
    found = [(i, j) for i in range(4) for j in range(4) if np.array_equal(out, IMAGES[:, i:i + 3, j:j + 5])]
    assert len(found) == 1  # one window, the same for the whole batch
    assert np.shape(crop(IMAGES, training=False)) == (4, 3, 5, 3)
    assert np.shape(layers.RandomCrop(8, 8, seed=0)(IMAGES)) == (4, 8, 8, 3)  # larger than the input: resized
    assert isinstance(layers.RandomCrop(2, 2).get_config()["seed"], int)


def test_gradients_flow_through_augmentation():
    x = keras.Variable(IMAGES[:2] / 255)
    layer = layers.RandomRotation(0.1, fill_mode="constant", seed=0)
    weights = np.random.default_rng(1).standard_normal(IMAGES[:2].shape).astype("float32")
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(keras.ops.multiply(layer(x), weights))
    grad = np.asarray(tape.gradient(loss, x))
    assert grad.shape == x.shape and np.isfinite(grad).all() and np.abs(grad).sum() > 0


def test_integer_images_are_accepted():
    ints = IMAGES.astype("uint8")
    assert np.asarray(layers.RandomFlip(seed=0)(ints)).dtype == np.float32
    assert np.asarray(layers.Resizing(2, 2)(ints)).dtype == np.float32


@pytest.mark.parametrize("make,message", [
    (lambda: layers.RandomRotation(2.0), "factor"),
    (lambda: layers.RandomRotation(0.1, fill_mode="edge"), "fill_mode"),
    (lambda: layers.RandomZoom(-1.0), "height_factor"),
    (lambda: layers.RandomZoom(0.1, interpolation="bicubic"), "interpolation"),
    (lambda: layers.RandomTranslation(0.1, 1.5), "width_factor"),
    (lambda: layers.RandomFlip("diagonal"), "mode"),
    (lambda: layers.RandomContrast(1.5), "factor"),
    (lambda: layers.RandomBrightness(0.1, value_range=(0,)), "value_range"),
    (lambda: layers.Resizing(0, 3), "height"),
    (lambda: layers.Resizing(3, 3, interpolation="area"), "interpolation"),
    (lambda: layers.CenterCrop(3, -1), "width"),
    (lambda: layers.RandomCrop(3, 3, seed="x"), "seed"),
    (lambda: layers.RandomFlip(factor=0.5), "factor"),
])
def test_bad_configurations(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_wrong_rank_names_the_layer():
    with pytest.raises(ValueError, match="RandomFlip .*rank 3"):
        layers.RandomFlip()(np.ones((2, 3), "float32"))
