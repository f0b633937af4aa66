"""Snippets of keras.io guides run side by side with real Keras 3: same errors, shapes and prints."""

import numpy as np
import pytest

import nanokeras as nk


def _error_type(call):
    try:
        call()
    except Exception as error:  # the type is what is compared
        return type(error)
    return None


def test_unknown_call_keyword_on_symbolic_inputs(keras):
    theirs = _error_type(lambda: keras.layers.Dense(3)(keras.Input((2,)), foo=1))
    ours = _error_type(lambda: nk.layers.Dense(3)(nk.Input((2,)), foo=1))
    assert theirs is TypeError and ours is TypeError


@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN", "LSTMCell"])
def test_recurrent_config_keys_in_keras_order(keras, name):
    assert list(getattr(nk.layers, name)(3).get_config()) == list(getattr(keras.layers, name)(3).get_config())


def _unnamed_weight_names(lib):
    lib.utils.clear_session() if hasattr(lib.utils, "clear_session") else lib.backend.clear_session()

    class Linear(lib.layers.Layer):
        def __init__(self):
            super().__init__(name="linear")
            self.w = self.add_weight(shape=(2, 3))
            self.b = self.add_weight(shape=(3,), initializer="zeros")

        def call(self, inputs):
            return inputs @ self.w + self.b

    layer = Linear()
    metric = lib.metrics.Mean()
    return [(w.name, w.path) for w in layer.weights] + [lib.Variable(1.0).name, len(metric.variables)]


def test_unnamed_weights_are_numbered_as_in_keras(keras):
    assert _unnamed_weight_names(nk) == _unnamed_weight_names(keras)

