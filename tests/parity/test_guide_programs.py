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
