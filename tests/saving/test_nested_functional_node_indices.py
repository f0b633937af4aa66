"""Node indices of a nested functional model in configs: Keras 3's convention (calls counted from 0
in arguments, one more in outputs) is written, and files of both conventions load."""

import numpy as np

import nanokeras as keras
from nanokeras import layers


def _model():
    keras.utils.set_random_seed(1)
    inner_in = keras.Input((3,))
    inner = keras.Model(inner_in, layers.Dense(2)(inner_in), name="inner")
    x = keras.Input((3,))
    encoded = inner(x)
    return keras.Model(x, [encoded, layers.Dense(1, name="head")(encoded)])


def test_config_counts_a_nested_models_calls_as_keras_3():
    config = _model().get_config()
    head = next(layer for layer in config["layers"] if layer["name"] == "head")
    assert head["inbound_nodes"][0]["args"][0]["config"]["keras_history"] == ["inner", 0, 0]
    assert config["output_layers"][0] == ["inner", 1, 0]


def test_configs_of_earlier_nanokeras_counting_from_one_still_load():
    model = _model()
    config = model.get_config()
    head = next(layer for layer in config["layers"] if layer["name"] == "head")
    head["inbound_nodes"][0]["args"][0]["config"]["keras_history"][1] = 1  # how earlier files wrote it
    rebuilt = keras.Model.from_config(config)
    rebuilt.set_weights(model.get_weights())
    x = np.ones((2, 3), "float32")
    for a, b in zip(rebuilt.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_array_equal(a, b)
