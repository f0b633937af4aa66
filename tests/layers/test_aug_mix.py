"""AugMix: the drawn chains and weights, value ranges, training=False, seeds, layouts, config and saving."""

import numpy as np
import pytest

import nanokeras as keras

IMAGES = np.random.default_rng(0).uniform(0, 255, size=(4, 8, 9, 3)).astype("float32")


def test_draws_weights_and_chains():
    layer = keras.layers.AugMix(num_chains=4, chain_depth=2, all_ops=False, seed=0)
    for _ in range(5):
        t = layer.get_random_transformation(IMAGES.shape)
        assert t["chain_mixing_weights"].shape == (4,) and np.isclose(t["chain_mixing_weights"].sum(), 1)
        assert 0 <= t["weight_sample"] <= 1 and len(t["chain_transforms"]) == 4
        for steps in t["chain_transforms"]:
            assert len(steps) <= 2
            assert all(s["layer_name"] not in ("random_brightness", "random_contrast") for s in steps)


def test_mixes_the_chains():
    layer = keras.layers.AugMix(seed=0)
    t = {"chain_mixing_weights": np.array([0.25, 0.75]), "weight_sample": 0.4,
         "chain_transforms": [[], [{"layer_name": "auto_contrast", "transformation": None}]]}
    stretched = keras.layers.AutoContrast()(IMAGES)
    expected = 0.4 * IMAGES + 0.6 * (0.25 * IMAGES + 0.75 * np.asarray(stretched))
    np.testing.assert_allclose(layer.transform_images(IMAGES, t), expected, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("value_range", [(0, 255), (0, 1), (-1, 1)])
def test_values_stay_in_range(value_range):
    low, high = value_range
    x = low + IMAGES / 255.0 * (high - low)
    for seed in range(5):
        out = np.asarray(keras.layers.AugMix(value_range=value_range, factor=0.8, seed=seed)(x))
        assert out.shape == x.shape and np.all(np.isfinite(out)) and out.min() >= low and out.max() <= high


def test_training_false_seeds_unbatched_channels_first():
    np.testing.assert_array_equal(keras.layers.AugMix(seed=1)(IMAGES, training=False), IMAGES)
    a, b = keras.layers.AugMix(seed=3), keras.layers.AugMix(seed=3)
    for _ in range(2):
        np.testing.assert_array_equal(a(IMAGES), b(IMAGES))
    assert not np.array_equal(a(IMAGES), a(IMAGES))
    assert keras.layers.AugMix(seed=2)(IMAGES[0]).shape == IMAGES[0].shape
    first = np.ascontiguousarray(np.moveaxis(IMAGES, -1, 1))
    assert keras.layers.AugMix(seed=2, data_format="channels_first")(first).shape == first.shape


@pytest.mark.parametrize("kwargs, argument", [
    (dict(num_chains=0), "num_chains"), (dict(chain_depth=-1), "chain_depth"), (dict(factor=2), "factor"),
    (dict(alpha=0), "alpha"), (dict(all_ops="yes"), "all_ops"), (dict(interpolation="cubic"), "interpolation"),
    (dict(value_range=5), "value_range"),
])
def test_bad_arguments(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        keras.layers.AugMix(**kwargs)


def test_config_save_and_fit(tmp_path):
    layer = keras.layers.AugMix(value_range=(0, 1), num_chains=2, chain_depth=4, factor=(0.1, 0.5), alpha=0.5,
                                all_ops=False, interpolation="nearest", seed=5)
    clone = keras.layers.AugMix.from_config(layer.get_config())
    np.testing.assert_array_equal(clone(IMAGES / 255.0), layer(IMAGES / 255.0))
    model = keras.Sequential([keras.Input((8, 9, 3)), keras.layers.AugMix(seed=1), keras.layers.Flatten(),
                              keras.layers.Dense(2)])
    model.compile("adam", "mse")
    assert np.all(np.isfinite(model.fit(IMAGES, np.zeros((4, 2)), epochs=2, verbose=0).history["loss"]))
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(IMAGES, verbose=0), model.predict(IMAGES, verbose=0), rtol=1e-5)
