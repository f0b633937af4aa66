"""Adaptive pooling against real Keras (JAX): op values and gradients, the six layers' outputs and
configs, and `.keras` files both ways."""

import json

import numpy as np
import pytest

import nanokeras as nk
from tests.parity.ops_parity import check_forward, check_gradients

RNG = np.random.default_rng(0)
CASES = [((2, 10, 3), 4, "channels_last"), ((2, 5, 3), 3, "channels_last"), ((1, 3, 2), 5, "channels_last"),
         ((2, 13, 1), 6, "channels_last"), ((2, 7, 9, 3), (3, 4), "channels_last"),
         ((2, 3, 7, 9), (2, 5), "channels_first"), ((2, 8, 8, 1), 8, "channels_last"),
         ((1, 6, 5, 4, 2), (2, 3, 3), "channels_last"), ((1, 2, 5, 4, 6), (4, 2, 3), "channels_first")]


@pytest.mark.parametrize("mode", ["average", "max"])
@pytest.mark.parametrize("shape, output_size, data_format", CASES)
def test_ops_values_and_gradients(keras, mode, shape, output_size, data_format):
    x = RNG.normal(size=shape).astype("float32")

    def fn(ops_module, value):
        return getattr(ops_module, f"adaptive_{mode}_pool")(value, output_size, data_format=data_format)

    check_forward(keras, fn, (x,), rtol=1e-6, atol=1e-6)
    check_gradients(keras, fn, (x,), rtol=1e-5, atol=1e-6)


LAYERS = [("AdaptiveAveragePooling1D", (9, 3), 4), ("AdaptiveMaxPooling1D", (9, 3), (2,)),
          ("AdaptiveAveragePooling2D", (7, 9, 2), (3, 4)), ("AdaptiveMaxPooling2D", (7, 9, 2), 3),
          ("AdaptiveAveragePooling3D", (5, 4, 6, 2), 2), ("AdaptiveMaxPooling3D", (5, 4, 6, 2), (1, 2, 3))]


@pytest.mark.parametrize("name, input_shape, output_size", LAYERS)
def test_layers_outputs_and_configs(keras, name, input_shape, output_size):
    x = RNG.normal(size=(2,) + input_shape).astype("float32")
    for data_format in ("channels_last", "channels_first"):
        theirs = getattr(keras.layers, name)(output_size, data_format=data_format)
        ours = getattr(nk.layers, name)(output_size, data_format=data_format)
        np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=1e-6, atol=1e-6)
        assert ours.compute_output_shape((None,) + input_shape) == tuple(
            theirs.compute_output_shape((None,) + input_shape))
        their_config, our_config = (json.loads(json.dumps(c.get_config())) for c in (theirs, ours))
        their_config.pop("name"), our_config.pop("name")
        assert our_config == their_config
        assert type(getattr(nk.layers, name).from_config(theirs.get_config())) is getattr(nk.layers, name)


@pytest.mark.parametrize("direction", ["keras_to_nanokeras", "nanokeras_to_keras"])
def test_keras_files_both_ways(keras, tmp_path, direction):
    x = RNG.normal(size=(3, 8, 8, 2)).astype("float32")
    source, target = (keras, nk) if direction == "keras_to_nanokeras" else (nk, keras)
    model = source.Sequential([source.Input((8, 8, 2)), source.layers.Conv2D(3, 3),
                               source.layers.AdaptiveMaxPooling2D((2, 3)), source.layers.AdaptiveAveragePooling2D(1),
                               source.layers.Flatten(), source.layers.Dense(1)])
    path = str(tmp_path / "adaptive.keras")
    model.save(path)
    loaded = target.models.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)), np.asarray(model.predict(x, verbose=0)),
                               rtol=1e-5, atol=1e-6)
