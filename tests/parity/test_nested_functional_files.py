"""A functional model nested in another (the functional API guide's encoder/autoencoder, transfer
learning's `base_model(inputs)`): files move both ways between nanokeras and Keras 3. Keras counts
a nested model's calls from 0 in the calls' arguments, and one more in `input_layers`/`output_layers`."""

import json
import zipfile

import numpy as np
import pytest

import nanokeras as nk


def _nested(lib, shared):
    L = lib.layers
    inner_in = lib.Input((3,))
    inner = lib.Model(inner_in, L.Dense(2)(inner_in), name="inner")
    first, second = lib.Input((3,)), lib.Input((3,))
    a = inner(first)
    outputs = [a, L.Dense(1, name="head")(a)]
    inputs = [first]
    if shared:  # called twice: the second call's output feeds a layer, the first is an output
        inputs.append(second)
        outputs.append(L.Dense(1, name="second_head")(inner(second)))
    return lib.Model(inputs, outputs)


def _data(shared):
    x = [np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)]
    if shared:
        x.append(np.linspace(2, 0, 6, dtype="float32").reshape(2, 3))
    return x


def _predict(model, x):
    return [np.asarray(o) for o in model.predict(x, verbose=0)]


@pytest.mark.parametrize("shared", [False, True])
def test_keras_file_loads_with_the_same_predictions(keras, tmp_path, shared):
    theirs = _nested(keras, shared)
    theirs.save(tmp_path / "m.keras")
    ours = nk.models.load_model(tmp_path / "m.keras")
    for a, b in zip(_predict(ours, _data(shared)), _predict(theirs, _data(shared))):
        np.testing.assert_allclose(a, b, rtol=1e-6)


@pytest.mark.parametrize("shared", [False, True])
def test_nanokeras_file_loads_in_keras_with_the_same_predictions(keras, tmp_path, shared):
    ours = _nested(nk, shared)
    ours.save(tmp_path / "m.keras")
    theirs = keras.models.load_model(tmp_path / "m.keras")
    for a, b in zip(_predict(theirs, _data(shared)), _predict(ours, _data(shared))):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def _references(path):
    config = json.loads(zipfile.ZipFile(path).read("config.json"))["config"]
    calls = {layer["name"]: [node["args"][0]["config"]["keras_history"] for node in layer["inbound_nodes"]]
             for layer in config["layers"] if layer["inbound_nodes"]}
    return calls, config["output_layers"]


def test_node_indices_written_as_keras_writes_them(keras, tmp_path):
    keras.backend.clear_session()
    nk.backend.clear_session()
    _nested(keras, True).save(tmp_path / "k.keras")
    _nested(nk, True).save(tmp_path / "n.keras")
    theirs, ours = _references(tmp_path / "k.keras"), _references(tmp_path / "n.keras")
    assert ours == theirs


def _nested_text(lib):
    L = lib.layers
    ids = lib.Input((None,), dtype="int32")
    encoder = lib.Model(ids, L.GRU(2, return_sequences=True)(L.Embedding(50, 4, mask_zero=True)(ids)), name="encoder")
    first, second = lib.Input((None,), dtype="int32"), lib.Input((None,), dtype="int32")
    shared = L.Embedding(50, 3, mask_zero=True)
    lstm = L.LSTM(3)
    merged = L.Concatenate()([lstm(shared(first)), lstm(shared(second))])
    return lib.Model([first, second], [merged, L.SimpleRNN(2)(encoder(first))])


@pytest.mark.parametrize("options", [{}, {"expand_nested": True}, {"expand_nested": True, "show_trainable": True}])
def test_summary_of_nested_and_shared_layers_as_keras(keras, options):
    # Keras lists a nested model's layers (not its graph's ops) with no connections.
    def summary(lib):
        lib.backend.clear_session()
        lines = []
        _nested_text(lib).summary(print_fn=lambda line, **kwargs: lines.append(line), **options)
        return lines
    assert summary(nk) == summary(keras)
