"""Parity with real Keras 3.15: automatic layer names after a `MultiHeadAttention` or
`GroupQueryAttention` is built (Keras builds a `Softmax` and a `Dropout` layer inside it)."""

import numpy as np
import pytest

import nanokeras as nk


def _names(lib, attention):
    lib.backend.clear_session()
    L = lib.layers
    inputs = lib.Input((5, 4))
    x = L.Dropout(0.1)(inputs)
    x = attention(L)(x, x)
    x = L.Dropout(0.1)(x)
    outputs = L.Softmax()(x)
    model = lib.Model(inputs, outputs)
    return [layer.name for layer in model.layers]


@pytest.mark.parametrize("attention", [lambda L: L.MultiHeadAttention(2, 2),
                                       lambda L: L.GroupQueryAttention(2, 4, 2)])
def test_layer_names_after_an_attention_layer(keras, attention):
    assert _names(nk, attention) == _names(keras, attention)
