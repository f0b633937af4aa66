"""`keras.Input` names its tensor as Keras does: the name given, else `keras_tensor_N`."""

import numpy as np
import pytest

import nanokeras as keras


def test_unnamed_input_tensor_gets_an_automatic_tensor_name():
    keras.backend.clear_session()
    x = keras.Input(shape=(3,))
    assert x.name == "keras_tensor"
    assert x._keras_history.operation.name == "input_layer"
    assert keras.layers.Dense(2)(x).name == "keras_tensor_1"


def test_named_input_keeps_its_name_and_dicts_match_tensor_names():
    a = keras.Input(shape=(3,), name="in_a")
    b = keras.Input(shape=(3,))
    model = keras.Model([a, b], keras.layers.Add()([a, b]))
    assert a.name == "in_a"
    out = model({"in_a": np.ones((1, 3)), b.name: np.ones((1, 3))})
    np.testing.assert_allclose(out, 2 * np.ones((1, 3)))
    with pytest.raises(ValueError, match="its inputs are named"):
        model({"in_a": np.ones((1, 3)), b._keras_history.operation.name: np.ones((1, 3))})
