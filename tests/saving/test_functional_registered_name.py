"""A functional model is written as Keras writes it: Keras does not export `Functional`, so its
files give the class name as registered name."""

import json

import numpy as np

import nanokeras as nk


def _functional():
    inputs = nk.Input((3,))
    return nk.Model(inputs, nk.layers.Dense(2)(inputs))


def test_functional_has_its_registered_name_and_sequential_none():
    written = nk.saving.serialize_keras_object(_functional())
    assert (written["module"], written["class_name"], written["registered_name"]) == (
        "keras.src.models.functional", "Functional", "Functional")
    assert json.loads(_functional().to_json())["registered_name"] == "Functional"
    assert nk.saving.serialize_keras_object(nk.Sequential([nk.layers.Dense(2)]))["registered_name"] is None


def test_a_nested_functional_model_round_trips(tmp_path):
    inner = _functional()
    inputs = nk.Input((3,))
    model = nk.Model(inputs, nk.layers.Dense(1)(inner(inputs)))
    layers = model.get_config()["layers"]
    assert [layer["registered_name"] for layer in layers if layer["class_name"] == "Functional"] == ["Functional"]
    path = str(tmp_path / "m.keras")
    model.save(path)
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(nk.saving.load_model(path).predict(x, verbose=0), model.predict(x, verbose=0))
