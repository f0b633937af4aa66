"""Keras 2 functional configs record `rnn(x, initial_state=[h])` as a call on `[x, h]`."""

import json

import numpy as np

import nanokeras as keras


def _keras2_config():
    def layer(class_name, name, config, inbound):
        return {"class_name": class_name, "name": name, "config": dict(config, name=name), "inbound_nodes": inbound}

    return {"class_name": "Functional", "config": {
        "name": "model",
        "layers": [
            layer("InputLayer", "x", {"batch_input_shape": [None, 5, 3], "dtype": "float32"}, []),
            layer("LSTM", "encoder", {"units": 4, "return_sequences": True, "return_state": True},
                  [[["x", 0, 0, {}]]]),
            layer("GRU", "decoder", {"units": 4}, [[["encoder", 0, 0, {}], ["encoder", 0, 1, {}]]]),
        ],
        "input_layers": [["x", 0, 0]],
        "output_layers": [["decoder", 0, 0]],
    }}


def test_the_extra_tensors_of_an_rnn_call_become_its_initial_state():
    model = keras.models.model_from_json(json.dumps(_keras2_config()))
    decoder = model.get_layer("decoder")
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
    sequence, state, _ = keras.Model(model.inputs, model.get_layer("encoder").output)(x)
    expected = decoder(sequence, initial_state=[state])
    np.testing.assert_allclose(model(x), expected, atol=1e-6)
    assert not np.allclose(model(x), decoder(sequence))  # the state changes the result
