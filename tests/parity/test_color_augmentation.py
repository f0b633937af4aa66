"""RandomGrayscale, RandomInvert, Solarization and AutoContrast against real Keras: outputs where the
draw is certain, configs, and `.keras` files both ways."""

import json

import numpy as np
import pytest

import nanokeras as nk

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, size=(3, 5, 6, 3)).astype("float32")


def _same_output(keras, name, kwargs, x, training=True, rtol=1e-6, atol=1e-4):
    theirs = getattr(keras.layers, name)(**kwargs)
    ours = getattr(nk.layers, name)(**kwargs)
    np.testing.assert_allclose(np.asarray(ours(x, training=training)), np.asarray(theirs(x, training=training)),
                               rtol=rtol, atol=atol)
    their_config, our_config = (json.loads(json.dumps(c.get_config())) for c in (theirs, ours))
    their_config.pop("name"), our_config.pop("name")
    assert our_config == their_config


@pytest.mark.parametrize("name, kwargs", [
    ("RandomGrayscale", dict(factor=1.0)), ("RandomGrayscale", dict(factor=0.0)),
    ("RandomGrayscale", dict(factor=1.0, data_format="channels_first")),
    ("RandomInvert", dict(factor=(1.0, 1.0))), ("RandomInvert", dict(factor=(1.0, 1.0), value_range=(0, 1))),
    ("Solarization", dict()), ("Solarization", dict(value_range=(0, 1))),
    ("AutoContrast", dict()), ("AutoContrast", dict(value_range=(0, 1))),
])
def test_certain_draws_give_keras_outputs(keras, name, kwargs):
    x = IMAGES
    if kwargs.get("value_range") == (0, 1):
        x = IMAGES / 255.0
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(IMAGES, -1, 1))
    _same_output(keras, name, kwargs, x)
    _same_output(keras, name, kwargs, x[0])  # one image, no batch axis


@pytest.mark.parametrize("name", ["RandomGrayscale", "RandomInvert", "Solarization"])
def test_inference_passes_images_through(keras, name):
    _same_output(keras, name, {}, IMAGES, training=False)


def test_auto_contrast_keeps_flat_channels(keras):
    x = IMAGES.copy()
    x[1, :, :, 2] = 42.0
    _same_output(keras, "AutoContrast", {}, x)


@pytest.mark.parametrize("direction", ["keras_to_nanokeras", "nanokeras_to_keras"])
def test_keras_files_both_ways(keras, tmp_path, direction):
    source, target = (keras, nk) if direction == "keras_to_nanokeras" else (nk, keras)
    model = source.Sequential([source.Input((5, 6, 3)), source.layers.RandomGrayscale(0.3, seed=1),
                               source.layers.RandomInvert(0.2, seed=2), source.layers.Solarization(0.1, 0.4, seed=3),
                               source.layers.AutoContrast(), source.layers.Flatten(), source.layers.Dense(2)])
    path = str(tmp_path / "color.keras")
    model.save(path)
    loaded = target.models.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded.predict(IMAGES, verbose=0)), np.asarray(model.predict(IMAGES, verbose=0)),
                               rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name, kwargs", [
    ("RandomColorDegeneration", dict(factor=(1.0, 1.0))), ("RandomColorDegeneration", dict(factor=(-0.5, -0.5))),
    ("RandomColorDegeneration", dict(factor=(0.3, 0.3), value_range=(0, 1))),
    ("RandomPosterization", dict(factor=(2, 2))), ("RandomPosterization", dict(factor=(5, 5), value_range=(0, 1))),
])
def test_more_certain_draws(keras, name, kwargs):
    x = IMAGES / 255.0 if kwargs.get("value_range") == (0, 1) else IMAGES
    _same_output(keras, name, kwargs, x)
    _same_output(keras, name, kwargs, x[0])
    _same_output(keras, name, {"factor": kwargs["factor"]}, x, training=False)
