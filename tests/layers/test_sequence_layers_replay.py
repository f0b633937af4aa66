"""The compiled step's contract for the sequence layers: a recorded training computation replays bit for bit.

Each model is recorded once on a tape with its batch held in `Constant`s (as the
compiled step does), then for several new batches the weights change in place (as
an optimizer's update), the batch is written into the same arrays, and the trace is
replayed. Values and gradients must equal, bit for bit, those of recording afresh;
dropout draws the same masks in both (the random state is rewound between them).
"""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers, ops
from nanokeras.backend import random as backend_random
from nanokeras.ops.tensor import Constant
from nanokeras.ops.trace import Trace
from nanokeras.trainers.step_program import is_replayable

RNG = np.random.default_rng(0)


def _ids(seed):
    ids = np.random.default_rng(seed).integers(1, 12, size=(4, 6)).astype("int32")
    ids[0, :2] = 0
    ids[2, -3:] = 0
    return ids


def _floats(seed):
    return np.random.default_rng(seed).normal(size=(4, 6, 5)).astype("float32")


def _sequence(*make):
    def build():
        return keras.Sequential([make_layer() for make_layer in make])
    return build


def _attention_model(layer, causal=False):
    def build():
        inputs = keras.Input((6,), dtype="int32")
        x = layers.Embedding(12, 4, mask_zero=True)(inputs)
        if isinstance(layer(), layers.MultiHeadAttention):
            out = layer()(x, x, use_causal_mask=causal)
        else:
            out = layer()([x, x], use_causal_mask=causal)
        return keras.Model(inputs, out)
    return build


CASES = [
    ("embedding_lstm_masked", _sequence(lambda: layers.Embedding(12, 4, mask_zero=True), lambda: layers.LSTM(3)), _ids),
    ("gru_dropout", _sequence(lambda: layers.GRU(3, dropout=0.3, recurrent_dropout=0.2, return_sequences=True)),
     _floats),
    ("gru_reset_before_backwards", _sequence(lambda: layers.GRU(3, reset_after=False, go_backwards=True)), _floats),
    ("simple_rnn_relu_state", _sequence(lambda: layers.Embedding(12, 4, mask_zero=True),
                                        lambda: layers.SimpleRNN(3, activation="relu", return_sequences=True,
                                                                 unroll=True)), _ids),
    ("lstm_per_gate_dropout", _sequence(lambda: layers.LSTM(3, recurrent_dropout=0.3, dropout=0.2)), _floats),
    ("bidirectional_masked", _sequence(lambda: layers.Embedding(12, 4, mask_zero=True),
                                       lambda: layers.Bidirectional(layers.LSTM(2, return_sequences=True))), _ids),
    ("bidirectional_ave", _sequence(lambda: layers.Bidirectional(layers.GRU(2), merge_mode="ave")), _floats),
    ("masking_lstm", _sequence(lambda: layers.Masking(0.0), lambda: layers.LSTM(3)), _floats),
    ("attention_causal", _attention_model(lambda: layers.Attention(use_scale=True), causal=True), _ids),
    ("additive_attention", _attention_model(lambda: layers.AdditiveAttention(dropout=0.2)), _ids),
    ("multi_head_attention", _attention_model(lambda: layers.MultiHeadAttention(2, 3, dropout=0.1), causal=True),
     _ids),
]


@pytest.mark.parametrize("build,data", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_model_replays_bit_for_bit_over_changing_batches(build, data):
    keras.utils.set_random_seed(1)
    model = build()
    model(data(0)[:1])
    assert all(is_replayable(layer) and layer._replay_blocker() is None for layer in model._flat_layers())
    batch = data(0)
    if batch.dtype.kind == "f":
        batch[1, 2:] = 0.0  # padding for `Masking`
    x = Constant(batch.copy())
    weights = model.trainable_weights
    seed = np.random.default_rng(5)

    def record():
        with keras.GradientTape() as tape:
            out = model(x, training=True)
            loss = ops.sum(ops.multiply(out, seed.normal(size=np.shape(out.value)).astype("float32")))
        return tape, loss

    tape, loss = record()
    trace = Trace(tape)
    assert trace.replayable, trace.unreplayable_ops()
    gradients = trace.gradients(loss, weights)
    for step in range(1, 4):
        for variable, gradient in zip(weights, gradients):
            variable.value -= 0.05 * gradient  # in place, as an optimizer updates
        new_batch = data(step)
        np.copyto(x.value, new_batch)
        generator_state = backend_random.global_generator().bit_generator.state
        seed = np.random.default_rng(5)
        trace.forward()
        gradients = trace.gradients(loss, weights)
        replayed = np.array(loss.value)
        backend_random.global_generator().bit_generator.state = generator_state
        seed = np.random.default_rng(5)
        fresh_tape, fresh_loss = record()
        expected = fresh_tape.gradient(fresh_loss, weights)
        np.testing.assert_array_equal(replayed, fresh_loss.value)
        for got, want in zip(gradients, expected):
            np.testing.assert_array_equal(got, want)
