"""A functional model's config records the arguments Keras fills in on a symbolic call made
without them: `training` (the default of the layer's `call`, where not None) and `mask`."""

import json

import numpy as np

import nanokeras as nk


def _kwargs(model):
    return {layer["name"]: [node["kwargs"] for node in layer["inbound_nodes"]]
            for layer in json.loads(model.to_json())["config"]["layers"]}


def test_single_tensor_calls_record_training_default_and_mask():
    inputs = nk.Input((5, 4))
    h = nk.layers.LSTM(3, return_sequences=True, name="lstm")(inputs)
    h = nk.layers.Dropout(0.1, name="drop")(h)
    h = nk.layers.GlobalAveragePooling1D(name="pool")(h)
    h = nk.layers.Dense(2, name="dense")(h)
    recorded = _kwargs(nk.Model(inputs, h))
    assert recorded["lstm"] == [{"training": False, "mask": None}]
    assert recorded["drop"] == [{"training": False}]
    assert recorded["pool"] == [{"mask": None}]
    assert recorded["dense"] == [{}]


def test_calls_keras_converts_first_record_nothing_filled():
    a, b = nk.Input((5, 4)), nk.Input((5, 4), dtype="float64")
    h0, c0 = nk.Input((3,)), nk.Input((3,))
    outputs = [nk.layers.Dropout(0.1, name="drop64")(b), nk.layers.LSTM(3, name="lstm")(a, initial_state=[h0, c0]),
               nk.layers.GlobalAveragePooling1D(name="pool64")(b)]
    recorded = _kwargs(nk.Model([a, b, h0, c0], outputs))
    assert recorded["drop64"] == [{}]
    assert recorded["pool64"] == [{}]
    assert list(recorded["lstm"][0]) == ["initial_state"]


def test_recorded_training_does_not_fix_the_mode_after_loading(tmp_path):
    inputs = nk.Input((200,))
    model = nk.Model(inputs, nk.layers.Dropout(0.5)(inputs))
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = nk.saving.load_model(path)
    x = np.ones((1, 200), "float32")
    np.testing.assert_array_equal(loaded(x), x)
    dropped = np.asarray(loaded(x, training=True))
    assert 0 < np.sum(dropped == 0) < 200
