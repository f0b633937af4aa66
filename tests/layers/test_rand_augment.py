"""RandAugment: the drawn operations, value ranges, training=False, seeds, layouts, config and saving."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.layers.preprocessing.image_preprocessing.rand_augment import OPERATIONS

IMAGES = np.random.default_rng(0).uniform(0, 255, size=(4, 8, 9, 3)).astype("float32")


def test_draws_num_ops_operations_among_eleven():
    layer = keras.layers.RandAugment(num_ops=3, seed=0)
    transformation = layer.get_random_transformation(IMAGES.shape)
    assert len(transformation["layer_idxes"]) == 3
    assert all(0 <= i < len(OPERATIONS) == 11 for i in transformation["layer_idxes"])
    assert set(transformation["transforms"]) == set(OPERATIONS) - {"auto_contrast"}


def test_applies_the_drawn_operations_in_turn():
    layer = keras.layers.RandAugment(num_ops=2, seed=0)
    transformation = layer.get_random_transformation(IMAGES.shape)
    transformation["layer_idxes"] = np.array([3, 3])  # brightness twice, with the same per-image deltas
    brightness = layer._operations["random_brightness"]
    once = brightness.transform_images(IMAGES, transformation["transforms"]["random_brightness"])
    twice = brightness.transform_images(once, transformation["transforms"]["random_brightness"])
    np.testing.assert_allclose(layer.transform_images(IMAGES, transformation), twice)
    transformation["layer_idxes"] = np.array([9])
    out = layer.transform_images(IMAGES, transformation)  # auto contrast: every channel spans 0..255
    np.testing.assert_allclose(out.min(axis=(1, 2)), 0, atol=1e-3)
    np.testing.assert_allclose(out.max(axis=(1, 2)), 255, atol=1e-3)


@pytest.mark.parametrize("value_range", [(0, 255), (0, 1), (-1, 1)])
def test_values_stay_in_range(value_range):
    low, high = value_range
    x = low + IMAGES / 255.0 * (high - low)
    for seed in range(8):
        out = np.asarray(keras.layers.RandAugment(value_range=value_range, num_ops=3, factor=0.8, seed=seed)(x))
        assert out.shape == x.shape and np.all(np.isfinite(out))
        assert out.min() >= low - 1e-4 * (high - low) and out.max() <= high + 1e-4 * (high - low)


def test_training_false_and_no_ops_pass_images_through():
    np.testing.assert_array_equal(keras.layers.RandAugment(seed=1)(IMAGES, training=False), IMAGES)
    np.testing.assert_array_equal(keras.layers.RandAugment(num_ops=0, seed=1)(IMAGES), IMAGES)


def test_seeds_reproduce_draws():
    a, b = keras.layers.RandAugment(seed=3), keras.layers.RandAugment(seed=3)
    for _ in range(3):
        np.testing.assert_array_equal(a(IMAGES), b(IMAGES))
    c = keras.layers.RandAugment(seed=3)
    outputs = [np.asarray(c(IMAGES)) for _ in range(4)]
    assert any(not np.array_equal(outputs[0], out) for out in outputs[1:])  # each call draws again


def test_unbatched_and_channels_first():
    out = keras.layers.RandAugment(seed=2)(IMAGES[0])
    assert out.shape == IMAGES[0].shape
    first = np.ascontiguousarray(np.moveaxis(IMAGES, -1, 1))
    layer = keras.layers.RandAugment(seed=2, data_format="channels_first")
    transformation = layer.get_random_transformation(first.shape)
    transformation["layer_idxes"] = np.array([9])
    out = layer.transform_images(first, transformation)
    np.testing.assert_allclose(out.min(axis=(2, 3)), 0, atol=1e-3)
    assert keras.layers.RandAugment(seed=2, data_format="channels_first")(first).shape == first.shape


@pytest.mark.parametrize("kwargs, argument", [
    (dict(num_ops=-1), "num_ops"), (dict(num_ops=1.5), "num_ops"), (dict(factor=1.5), "factor"),
    (dict(factor=-0.2), "factor"), (dict(interpolation="cubic"), "interpolation"),
    (dict(value_range=(0,)), "value_range"),
])
def test_bad_arguments(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        keras.layers.RandAugment(**kwargs)


def test_config_round_trip():
    layer = keras.layers.RandAugment(value_range=(0, 1), num_ops=3, factor=(0.1, 0.4), interpolation="nearest",
                                     seed=5)
    config = layer.get_config()
    assert config["factor"] == (0.1, 0.4) and config["num_ops"] == 3 and config["value_range"] == (0, 1)
    assert keras.layers.RandAugment(factor=0.3).factor == (0, 0.3)
    clone = keras.layers.RandAugment.from_config(config)
    np.testing.assert_array_equal(clone(IMAGES / 255.0), layer(IMAGES / 255.0))


def test_saved_model_and_fit(tmp_path):
    model = keras.Sequential([keras.Input((8, 9, 3)), keras.layers.RandAugment(seed=1), keras.layers.Flatten(),
                              keras.layers.Dense(2)])
    model.compile("adam", "mse")
    history = model.fit(IMAGES, np.zeros((4, 2), "float32"), epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded.layers[0], keras.layers.RandAugment)
    np.testing.assert_allclose(loaded.predict(IMAGES, verbose=0), model.predict(IMAGES, verbose=0), rtol=1e-5)
