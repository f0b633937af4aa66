"""RandomHue, RandomSaturation, RandomColorJitter, RandomSharpness, RandomGaussianBlur and Equalization
against real Keras: outputs where the draw is certain, configs, and `.keras` files both ways."""

import json

import numpy as np
import pytest

import nanokeras as nk

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, size=(3, 5, 6, 3)).astype("float32")


def _configs(*layers):
    configs = [json.loads(json.dumps(layer.get_config())) for layer in layers]
    for config in configs:
        config.pop("name")
    return configs


def _same_output(keras, name, kwargs, x, training=True, atol=3e-4):
    theirs = getattr(keras.layers, name)(**kwargs)
    ours = getattr(nk.layers, name)(**kwargs)
    # (HSV round trips and convolutions sum in other orders: a few float32 ulps of 255.)
    np.testing.assert_allclose(np.asarray(ours(x, training=training)), np.asarray(theirs(x, training=training)),
                               rtol=1e-6, atol=atol)
    our_config, their_config = _configs(ours, theirs)
    assert our_config == their_config


CERTAIN = [
    ("RandomHue", dict(factor=(1.0, 1.0))), ("RandomHue", dict(factor=(0.0, 0.0))),
    ("RandomHue", dict(factor=(1.0, 1.0), value_range=(0, 1))),
    ("RandomSaturation", dict(factor=(0.0, 0.0))), ("RandomSaturation", dict(factor=(0.7, 0.7))),
    ("RandomSaturation", dict(factor=(-0.3, -0.3))), ("RandomSaturation", dict(factor=(0.9, 0.9), value_range=(0, 1))),
    ("RandomSharpness", dict(factor=(0.0, 0.0))), ("RandomSharpness", dict(factor=(1.0, 1.0))),
    ("RandomSharpness", dict(factor=(0.2, 0.2), data_format="channels_first")),
    ("RandomGaussianBlur", dict(factor=(1.0, 1.0), sigma=(0.7, 0.7))),
    ("RandomGaussianBlur", dict(factor=(1.0, 1.0), sigma=(1.0, 1.0), kernel_size=(3, 5))),
    ("RandomGaussianBlur", dict(factor=(1.0, 1.0), sigma=(0.5, 0.5), kernel_size=5, data_format="channels_first")),
    ("RandomGaussianBlur", dict(factor=(0.0, 0.0), value_range=(0, 100))),
    ("Equalization", dict()), ("Equalization", dict(bins=16)), ("Equalization", dict(value_range=(0, 1))),
    ("Equalization", dict(data_format="channels_first")),
    ("RandomColorJitter", dict(brightness_factor=(0.1, 0.1), contrast_factor=(0.0, 0.0), saturation_factor=(0.7, 0.7),
                               hue_factor=(1.0, 1.0))),
    ("RandomColorJitter", dict(brightness_factor=(-0.2, -0.2), hue_factor=(1.0, 1.0), value_range=(0, 1))),
    ("RandomColorJitter", dict(saturation_factor=(0.3, 0.3), value_range=(0, 1))),
]


@pytest.mark.parametrize("name, kwargs", CERTAIN)
def test_certain_draws_give_keras_outputs(keras, name, kwargs):
    x = IMAGES / 255.0 if kwargs.get("value_range") == (0, 1) else IMAGES
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    _same_output(keras, name, kwargs, x)
    _same_output(keras, name, kwargs, x[0])  # one image, no batch axis
    _same_output(keras, name, kwargs, x, training=False)


def test_equalization_keeps_flat_channels(keras):
    x = IMAGES.copy()
    x[:, :, :, 1] = 42.0
    _same_output(keras, "Equalization", {}, x)


@pytest.mark.parametrize("name, kwargs", [
    ("RandomHue", dict(factor=0.3)), ("RandomHue", dict(factor=[0.2, 0.6], value_range=[0, 1], seed=3)),
    ("RandomSaturation", dict(factor=0.3)), ("RandomSaturation", dict(factor=(0.6, 0.2), value_range=(1, 0))),
    ("RandomSharpness", dict(factor=0.4, seed=1)), ("RandomGaussianBlur", dict()),
    ("RandomGaussianBlur", dict(factor=0.5, kernel_size=(3, 7), sigma=(0.2, 4.0), seed=5)),
    ("Equalization", dict(bins=64, value_range=(-1, 1))),
    ("RandomColorJitter", dict()),
    ("RandomColorJitter", dict(value_range=(0, 1), brightness_factor=0.2, contrast_factor=(0.1, 0.4),
                               saturation_factor=0.5, hue_factor=[0.1, 0.2], seed=7)),
])
def test_configs(keras, name, kwargs):
    our_config, their_config = _configs(getattr(nk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs))
    assert our_config == their_config


@pytest.mark.parametrize("direction", ["keras_to_nanokeras", "nanokeras_to_keras"])
def test_keras_files_both_ways(keras, tmp_path, direction):
    source, target = (keras, nk) if direction == "keras_to_nanokeras" else (nk, keras)
    augmentations = [
        source.layers.RandomHue(0.3, seed=1), source.layers.RandomSaturation((0.4, 0.6), seed=2),
        source.layers.RandomColorJitter(brightness_factor=0.1, hue_factor=0.2, seed=3),
        source.layers.RandomSharpness(0.4, value_range=[0, 255], seed=4),
        source.layers.RandomGaussianBlur(0.5, kernel_size=5, sigma=(0.5, 2.0), seed=5),
    ]  # (not Equalization: real Keras cannot put it in a model; see the next test)
    model = source.Sequential([source.Input((5, 6, 3)), *augmentations, source.layers.Flatten(),
                               source.layers.Dense(2)])
    path = str(tmp_path / "color.keras")
    model.save(path)
    loaded = target.models.load_model(path)
    for original, copy in zip(augmentations, loaded.layers):
        assert type(copy).__name__ == type(original).__name__
        assert _configs(copy) == _configs(original)
    np.testing.assert_allclose(np.asarray(loaded.predict(IMAGES, verbose=0)), np.asarray(model.predict(IMAGES, verbose=0)),
                               rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("direction", ["keras_to_nanokeras", "nanokeras_to_keras"])
def test_equalization_serialized_both_ways(keras, direction):
    source, target = (keras, nk) if direction == "keras_to_nanokeras" else (nk, keras)
    layer = source.layers.Equalization(bins=128, value_range=(0, 1))
    serialized = json.loads(json.dumps(source.saving.serialize_keras_object(layer)))
    copy = target.saving.deserialize_keras_object(serialized)
    assert type(copy).__name__ == "Equalization" and _configs(copy) == _configs(layer)
    x = IMAGES / 255.0
    np.testing.assert_allclose(np.asarray(copy(x)), np.asarray(layer(x)), rtol=1e-6, atol=1e-6)
