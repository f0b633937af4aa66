"""Building an attention layer takes the automatic names of the `Softmax` and `Dropout` layers
Keras builds inside it, so the layers a program creates next are named as in Keras (`dropout_1`
after a `MultiHeadAttention`), and `summary()` prints the same names."""

import numpy as np
import pytest

import nanokeras as keras


@pytest.mark.parametrize("make", [lambda: keras.layers.MultiHeadAttention(2, 4),
                                  lambda: keras.layers.GroupQueryAttention(2, 4, 2)])
def test_built_attention_takes_the_softmax_and_dropout_names(make):
    keras.backend.clear_session()
    x = np.ones((2, 3, 4), "float32")
    layer = make()
    assert keras.layers.Dropout(0.1).name == "dropout"  # unbuilt: nothing taken yet
    layer(x, x)
    assert keras.layers.Dropout(0.1).name == "dropout_2"
    assert keras.layers.Softmax().name == "softmax_1"


def test_dropout_after_a_transformer_block_is_named_as_keras():
    keras.backend.clear_session()
    inputs = keras.Input((5, 4))
    x = keras.layers.Dropout(0.1)(inputs)
    x = keras.layers.MultiHeadAttention(2, 2)(x, x)
    outputs = keras.layers.Dropout(0.1)(x)
    model = keras.Model(inputs, outputs)
    assert [layer.name for layer in model.layers[1:]] == ["dropout", "multi_head_attention", "dropout_2"]
