"""A layer whose `call` needs its mask works in a functional model: the mask reaches `call`
while the output is inferred on placeholders, as in Keras (it was None there)."""

import numpy as np

import nanokeras as keras
from nanokeras import layers, ops


class TemporalSoftmax(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        assert mask is not None
        weights = ops.expand_dims(ops.cast(mask, "float32"), -1)
        exp = ops.exp(inputs) * weights
        return exp / ops.sum(exp, axis=-1, keepdims=True)


def test_mask_reaches_call_on_symbolic_inputs():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)(inputs)
    x = layers.Dense(1)(x)
    outputs = TemporalSoftmax()(x)
    model = keras.Model(inputs, outputs)
    assert outputs.shape == (None, None, 1)
    with np.errstate(invalid="ignore"):  # the padded step is 0/0, as in Keras
        y = model(np.array([[1, 2, 0]]))
    assert y.shape == (1, 3, 1)


def test_node_records_the_graph_mask_as_its_mask_argument():
    # As in Keras: the embedding's mask is a `not_equal` node, and the call's `mask` is an edge.
    inputs = keras.Input(shape=(3,), dtype="int32")
    x = layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)(inputs)
    layer = TemporalSoftmax()
    layer(x)
    node = layer._inbound_nodes[0]
    mask = node.kwargs["mask"]
    assert mask is x._keras_mask
    assert mask._keras_history[0].name.startswith("not_equal")
    assert len(node.input_tensors) == 2


def test_layer_without_mask_parameter_unchanged():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)(inputs)
    assert layers.Dense(2)(x).shape == (None, None, 2)


def test_mask_recorded_only_for_a_lone_tensor_in_the_compute_dtype():
    # As in Keras: any other call converts its arguments first and records no mask.
    ids = keras.Input(shape=(5,), dtype="int32")
    embedded = layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)(ids)
    with_training = layers.LSTM(3, return_sequences=True)
    with_training(embedded, training=True)
    other_dtype = TemporalSoftmax(dtype="float64")
    other_dtype(embedded)
    lone = TemporalSoftmax()
    lone(embedded)
    assert "mask" not in with_training._inbound_nodes[0].kwargs
    assert "mask" not in other_dtype._inbound_nodes[0].kwargs
    assert lone._inbound_nodes[0].kwargs["mask"] is embedded._keras_mask
