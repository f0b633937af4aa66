"""AugMix against real Keras: configs, inference, a given transformation of deterministic chains, and
`.keras` files both ways."""

import json

import numpy as np
import pytest

import nanokeras as nk

IMAGES = np.random.default_rng(0).uniform(0, 255, size=(3, 6, 7, 3)).astype("float32")


def _pair(keras, kwargs):
    return keras.layers.AugMix(**kwargs), nk.layers.AugMix(**kwargs)


@pytest.mark.parametrize("kwargs", [dict(), dict(value_range=(0, 1), num_chains=2, chain_depth=4, factor=0.6,
                                                 alpha=0.5, all_ops=False, interpolation="nearest", seed=3)])
def test_configs_are_keras(keras, kwargs):
    their_config, our_config = (json.loads(json.dumps(c.get_config())) for c in _pair(keras, kwargs))
    their_config.pop("name"), our_config.pop("name")
    assert our_config == their_config


def test_inference_passes_images_through(keras):
    theirs, ours = _pair(keras, dict(seed=1))
    np.testing.assert_allclose(np.asarray(ours(IMAGES, training=False)), np.asarray(theirs(IMAGES, training=False)))


def test_given_deterministic_chains_are_keras(keras):
    theirs, ours = _pair(keras, dict())
    steps = [[], [{"layer_name": "auto_contrast", "transformation": None}],
             [{"layer_name": "equalization", "transformation": {}},
              {"layer_name": "auto_contrast", "transformation": None}]]
    t = {"chain_mixing_weights": np.array([0.2, 0.5, 0.3], "float32"), "weight_sample": np.float32(0.35),
         "chain_transforms": steps}
    expected = np.asarray(theirs.transform_images(keras.ops.convert_to_tensor(IMAGES), t))
    np.testing.assert_allclose(ours.transform_images(IMAGES, t), expected, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("direction", ["keras_to_nanokeras", "nanokeras_to_keras"])
def test_keras_files_both_ways(keras, tmp_path, direction):
    source, target = (keras, nk) if direction == "keras_to_nanokeras" else (nk, keras)
    model = source.Sequential([source.Input((6, 7, 3)),
                               source.layers.AugMix(num_chains=2, factor=0.4, all_ops=False, seed=1),
                               source.layers.Flatten(), source.layers.Dense(2)])
    path = str(tmp_path / "aug_mix.keras")
    model.save(path)
    loaded = target.models.load_model(path)
    assert loaded.layers[0].get_config()["num_chains"] == 2
    np.testing.assert_allclose(np.asarray(loaded.predict(IMAGES, verbose=0)),
                               np.asarray(model.predict(IMAGES, verbose=0)), rtol=1e-4, atol=1e-4)
