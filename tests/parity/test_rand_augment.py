"""RandAugment against real Keras: configs, certain draws (no operations, inference, a forced
deterministic operation), and `.keras` files both ways."""

import json

import numpy as np
import pytest

import nanokeras as nk

IMAGES = np.random.default_rng(0).uniform(0, 255, size=(3, 6, 7, 3)).astype("float32")


def _configs(keras, kwargs):
    theirs, ours = keras.layers.RandAugment(**kwargs), nk.layers.RandAugment(**kwargs)
    their_config, our_config = (json.loads(json.dumps(c.get_config())) for c in (theirs, ours))
    their_config.pop("name"), our_config.pop("name")
    return theirs, ours, their_config, our_config


@pytest.mark.parametrize("kwargs", [dict(), dict(value_range=(0, 1), num_ops=3, factor=0.3, seed=4),
                                    dict(factor=(0.2, 0.7), interpolation="nearest")])
def test_configs_are_keras(keras, kwargs):
    _, _, their_config, our_config = _configs(keras, kwargs)
    assert our_config == their_config


@pytest.mark.parametrize("kwargs, training", [(dict(num_ops=0), True), (dict(), False)])
def test_certain_outputs_are_keras(keras, kwargs, training):
    theirs, ours, _, _ = _configs(keras, kwargs)
    np.testing.assert_allclose(np.asarray(ours(IMAGES, training=training)),
                               np.asarray(theirs(IMAGES, training=training)), rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize("index, name", [(9, "AutoContrast"), (10, "Equalization")])
def test_forced_deterministic_operation_is_keras(keras, index, name):
    theirs, ours, _, _ = _configs(keras, dict(num_ops=1, seed=0))
    their_t = theirs.get_random_transformation(IMAGES)
    our_t = ours.get_random_transformation(IMAGES.shape)
    their_t["layer_idxes"] = keras.ops.convert_to_tensor(np.array([index], "int32"))
    our_t["layer_idxes"] = np.array([index])
    expected = np.asarray(theirs.transform_images(keras.ops.convert_to_tensor(IMAGES), their_t))
    np.testing.assert_allclose(ours.transform_images(IMAGES, our_t), expected, rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(expected, np.asarray(getattr(keras.layers, name)()(IMAGES)), rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("direction", ["keras_to_nanokeras", "nanokeras_to_keras"])
def test_keras_files_both_ways(keras, tmp_path, direction):
    source, target = (keras, nk) if direction == "keras_to_nanokeras" else (nk, keras)
    model = source.Sequential([source.Input((6, 7, 3)),
                               source.layers.RandAugment(num_ops=3, factor=0.4, seed=1, interpolation="nearest"),
                               source.layers.Flatten(), source.layers.Dense(2)])
    path = str(tmp_path / "rand_augment.keras")
    model.save(path)
    loaded = target.models.load_model(path)
    assert loaded.layers[0].get_config()["num_ops"] == 3
    np.testing.assert_allclose(np.asarray(loaded.predict(IMAGES, verbose=0)),
                               np.asarray(model.predict(IMAGES, verbose=0)), rtol=1e-4, atol=1e-4)
