"""MixUp, CutMix, RandomErasing, RandomShear and RandomPerspective against real Keras: the same
transformation (drawn by either side) gives the same images and labels, configs, `.keras` files both ways."""

import json

import numpy as np
import pytest

import nanokeras as nk

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, size=(4, 6, 7, 3)).astype("float32")
LABELS = np.eye(4, dtype="float32")[[0, 1, 3, 2]]

CASES = [
    ("MixUp", dict(alpha=0.2, seed=1)), ("MixUp", dict(alpha=1.0, data_format="channels_first")),
    ("CutMix", dict(seed=1)), ("CutMix", dict(factor=(0.5, 1.0), data_format="channels_first")),
    ("RandomErasing", dict(factor=(1.0, 1.0), scale=(0.1, 0.5), seed=1)),
    ("RandomErasing", dict(factor=(1.0, 1.0), fill_value=30.0, value_range=(0, 100))),
    ("RandomErasing", dict(factor=(1.0, 1.0), scale=0.5, data_format="channels_first")),
    ("RandomShear", dict(x_factor=0.4, y_factor=0.3, seed=1)),
    ("RandomShear", dict(x_factor=(0.1, 0.5), fill_mode="constant", fill_value=7.0, interpolation="nearest")),
    ("RandomShear", dict(y_factor=0.5, fill_mode="wrap", data_format="channels_first")),
    ("RandomPerspective", dict(factor=(1.0, 1.0), scale=0.4, seed=1)),
    ("RandomPerspective", dict(scale=0.8, interpolation="nearest", fill_value=5.0)),
    ("RandomPerspective", dict(factor=(1.0, 1.0), data_format="channels_first")),
]


def _to_numpy(transformation):
    return {k: v if k == "input_shape" else np.asarray(v) for k, v in transformation.items()}


def _images(kwargs):
    if kwargs.get("data_format") == "channels_first":
        return np.ascontiguousarray(np.moveaxis(IMAGES, -1, 1))
    return IMAGES


def _layers(keras, name, kwargs):
    return getattr(keras.layers, name)(**kwargs), getattr(nk.layers, name)(**kwargs)


@pytest.mark.parametrize("name, kwargs", CASES)
def test_keras_transformations_give_keras_outputs(keras, name, kwargs):
    theirs, ours = _layers(keras, name, kwargs)
    x = _images(kwargs)
    for _ in range(3):
        transformation = theirs.get_random_transformation(x, training=True)
        expected = np.asarray(theirs.transform_images(x, transformation))
        got = ours.transform_images(x, _to_numpy(transformation))
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=2e-3)
        if name in ("MixUp", "CutMix"):
            np.testing.assert_allclose(ours.transform_labels(LABELS, _to_numpy(transformation)),
                                       np.asarray(theirs.transform_labels(LABELS, transformation)), rtol=1e-5,
                                       atol=1e-6)


@pytest.mark.parametrize("name, kwargs", CASES)
def test_our_transformations_give_keras_outputs(keras, name, kwargs):
    theirs, ours = _layers(keras, name, kwargs)
    x = _images(kwargs)
    transformation = ours.get_random_transformation(x, training=True)
    np.testing.assert_allclose(ours.transform_images(x, transformation),
                               np.asarray(theirs.transform_images(x, transformation)), rtol=1e-5, atol=2e-3)
    if name in ("MixUp", "CutMix"):
        np.testing.assert_allclose(ours.transform_labels(LABELS, transformation),
                                   np.asarray(theirs.transform_labels(LABELS, transformation)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["RandomShear", "RandomPerspective"])
def test_single_images(keras, name):
    kwargs = dict(factor=(1.0, 1.0), scale=0.5) if name == "RandomPerspective" else dict(x_factor=0.5, y_factor=0.2)
    theirs, ours = _layers(keras, name, kwargs)
    transformation = theirs.get_random_transformation(IMAGES[0], training=True)
    np.testing.assert_allclose(ours.transform_images(IMAGES[0], _to_numpy(transformation)),
                               np.asarray(theirs.transform_images(IMAGES[0], transformation)), rtol=1e-5, atol=2e-3)


@pytest.mark.parametrize("name, kwargs", [
    ("RandomErasing", dict(factor=0.0)), ("RandomPerspective", dict(factor=0.0)),
    ("RandomShear", dict()), ("CutMix", dict()),
])
def test_certain_draws(keras, name, kwargs):
    theirs, ours = _layers(keras, name, kwargs)
    x = IMAGES if name != "CutMix" else IMAGES[0]  # CutMix leaves a single image alone
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize("name, kwargs", CASES)
def test_inference_and_configs(keras, name, kwargs):
    theirs, ours = _layers(keras, name, kwargs)
    x = _images(kwargs)
    data = {"images": x, "labels": LABELS}
    np.testing.assert_array_equal(np.asarray(ours(x, training=False)), np.asarray(theirs(x, training=False)))
    ours_out, theirs_out = ours(dict(data), training=False), theirs(dict(data), training=False)
    for key in data:
        np.testing.assert_array_equal(np.asarray(ours_out[key]), np.asarray(theirs_out[key]))
    their_config, our_config = (json.loads(json.dumps(c.get_config())) for c in (theirs, ours))
    their_config.pop("name"), our_config.pop("name")
    assert our_config == their_config


@pytest.mark.parametrize("direction", ["keras_to_nanokeras", "nanokeras_to_keras"])
def test_keras_files_both_ways(keras, tmp_path, direction):
    source, target = (keras, nk) if direction == "keras_to_nanokeras" else (nk, keras)
    layers = source.layers
    model = source.Sequential([source.Input((6, 7, 3)), layers.MixUp(0.3, seed=1), layers.CutMix((0.2, 0.8), seed=2),
                               layers.RandomErasing(0.5, scale=(0.1, 0.2), fill_value=3.0, seed=3),
                               layers.RandomShear(x_factor=(0.1, 0.2), y_factor=(0.0, 0.3), seed=4),
                               layers.RandomPerspective(0.7, scale=0.2, seed=5), layers.Flatten(), layers.Dense(2)])
    path = str(tmp_path / "mixing.keras")
    model.save(path)
    loaded = target.models.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded.predict(IMAGES, verbose=0)), np.asarray(model.predict(IMAGES, verbose=0)),
                               rtol=1e-4, atol=1e-4)
    for ours, theirs in zip(loaded.layers, model.layers):
        their_config, our_config = (json.loads(json.dumps(c.get_config())) for c in (theirs, ours))
        assert our_config == their_config
