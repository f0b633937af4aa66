"""The compiled step equals the tape, bit for bit, for the sequence and attention layers.

The same check as tests/trainers/test_compiled_step.py (whose `_train_both` the first
cases reuse): each model is trained twice from the same weights, on the tape
(`jit_compile=False`) and compiled, and must really run compiled
(`compiled_step_reason == {}`) and end with identical weights, optimizer slots,
history, evaluation and predictions. Masked cases use integer ids with padding, so
the masks (and the masked loss) change from batch to batch.
"""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from tests.trainers.test_compiled_step import _adam_categorical, _sequential, _train_both


def _steps():
    return layers.Reshape((3, 2))  # the cases' 6 features as 3 steps of 2


SEQUENCE_CASES = [
    ("simple_rnn", lambda: keras.Sequential([_steps(), layers.SimpleRNN(4)])),
    ("lstm", lambda: keras.Sequential([_steps(), layers.LSTM(4)])),
    ("gru", lambda: keras.Sequential([_steps(), layers.GRU(4)])),
    ("gru_reset_before", lambda: keras.Sequential([_steps(), layers.GRU(4, reset_after=False)])),
    ("lstm_sequences_backwards", lambda: keras.Sequential([
        _steps(), layers.LSTM(4, return_sequences=True, go_backwards=True), layers.Flatten()])),
    ("lstm_dropouts", lambda: keras.Sequential([_steps(), layers.LSTM(4, dropout=0.3, recurrent_dropout=0.3)])),
    ("gru_unrolled", lambda: keras.Sequential([_steps(), layers.GRU(4, unroll=True)])),
    ("simple_rnn_relu", lambda: keras.Sequential([_steps(), layers.SimpleRNN(4, activation="relu")])),
    ("bidirectional_concat", lambda: keras.Sequential([_steps(), layers.Bidirectional(layers.LSTM(3))])),
    ("bidirectional_sum_sequences", lambda: keras.Sequential([
        _steps(), layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode="sum"), layers.Flatten()])),
    ("stacked_cells", lambda: keras.Sequential([_steps(), layers.RNN([layers.LSTMCell(3), layers.GRUCell(3)])])),
    ("time_distributed", lambda: keras.Sequential([
        _steps(), layers.TimeDistributed(layers.Dense(3)), layers.Flatten()])),
    ("masking", lambda: keras.Sequential([_steps(), layers.Masking(0.0), layers.LSTM(4)])),
]


@pytest.mark.parametrize("make", [c[1] for c in SEQUENCE_CASES], ids=[c[0] for c in SEQUENCE_CASES])
def test_each_sequence_layer(make):
    _train_both(_sequential(make), _adam_categorical, "onehot")


def _attention_model(kind):
    def build():
        inputs = keras.Input((6,))
        steps = layers.Reshape((3, 2))(inputs)
        if kind == "multi_head":
            attended = layers.MultiHeadAttention(2, 3, dropout=0.1)(steps, steps, use_causal_mask=True)
        else:
            dot = layers.Attention(use_scale=True, dropout=0.1)([steps, steps])
            additive = layers.AdditiveAttention()([steps, steps])
            attended = layers.Concatenate()([dot, additive])
        return keras.Model(inputs, layers.Dense(3, activation="softmax")(layers.Flatten()(attended)))
    return build


@pytest.mark.parametrize("kind", ["multi_head", "dot_and_additive"])
def test_attention_layers(kind):
    _train_both(_attention_model(kind), _adam_categorical, "onehot")


# ---------------------------------------------------------- masked ids
RNG = np.random.default_rng(0)
IDS = RNG.integers(1, 20, size=(45, 7))
IDS[:, :2] = 0
IDS[::3, :4] = 0
VAL_IDS = RNG.integers(1, 20, size=(16, 7))
VAL_IDS[:, :3] = 0
LABELS = RNG.integers(0, 2, size=(45, 1)).astype("float32")
VAL_LABELS = RNG.integers(0, 2, size=(16, 1)).astype("float32")
STEP_LABELS = RNG.integers(0, 2, size=(45, 7, 1)).astype("float32")
VAL_STEP_LABELS = RNG.integers(0, 2, size=(16, 7, 1)).astype("float32")


def _train_ids_both(build, x, y, val, batch_size=8, shuffle=True):
    results = []
    for jit_compile in (False, "auto"):
        keras.backend.clear_session()
        keras.utils.set_random_seed(7)
        model = build()
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"],
                      jit_compile=jit_compile)
        history = model.fit(x, y, batch_size=batch_size, epochs=3, validation_data=val, verbose=0, shuffle=shuffle)
        reasons = [model.compiled_step_reason]
        evaluation = model.evaluate(*val, batch_size=batch_size, verbose=0, return_dict=True)
        prediction = model.predict(val[0], batch_size=batch_size, verbose=0)
        reasons.append(model.compiled_step_reason)
        results.append((model, history.history, evaluation, prediction, reasons))
    (tape_model, tape_history, tape_eval, tape_pred, tape_reasons), (model, history, evaluation, prediction, reasons) \
        = results
    assert reasons == [{}, {}], reasons
    assert all(tape_reasons)
    for a, b in zip(tape_model.weights, model.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    for a, b in zip(tape_model.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    for logs, expected in ((history, tape_history), (evaluation, tape_eval)):
        assert list(logs) == list(expected)
        for key in expected:
            np.testing.assert_array_equal(logs[key], expected[key], err_msg=key)
    np.testing.assert_array_equal(prediction, tape_pred)
    return model


def _embedded(*rest, batch_size=None):
    def build():
        return keras.Sequential([keras.Input((7,), batch_size=batch_size, dtype="int32"),
                                 layers.Embedding(20, 4, mask_zero=batch_size is None), *[make() for make in rest]])
    return build


def test_masked_lstm():
    build = _embedded(lambda: layers.LSTM(3), lambda: layers.Dense(1, activation="sigmoid"))
    _train_ids_both(build, IDS, LABELS, (VAL_IDS, VAL_LABELS))


def test_masked_sequence_loss():
    build = _embedded(lambda: layers.GRU(3, return_sequences=True), lambda: layers.Dense(1, activation="sigmoid"))
    _train_ids_both(build, IDS, STEP_LABELS, (VAL_IDS, VAL_STEP_LABELS))


def test_masked_bidirectional():
    build = _embedded(lambda: layers.Bidirectional(layers.LSTM(3), merge_mode="ave"),
                      lambda: layers.Dense(1, activation="sigmoid"))
    _train_ids_both(build, IDS, LABELS, (VAL_IDS, VAL_LABELS))


def test_masked_multi_head_attention():
    def build():
        ids = keras.Input((7,), dtype="int32")
        embedded = layers.Embedding(20, 4, mask_zero=True)(ids)
        attended = layers.MultiHeadAttention(2, 2)(embedded, embedded)
        return keras.Model(ids, layers.Dense(1, activation="sigmoid")(layers.LSTM(2)(attended)))
    _train_ids_both(build, IDS, LABELS, (VAL_IDS, VAL_LABELS))


def test_stateful_lstm_keeps_its_states_across_batches():
    build = _embedded(lambda: layers.LSTM(3, stateful=True), lambda: layers.Dense(1, activation="sigmoid"),
                      batch_size=5)
    model = _train_ids_both(build, IDS, LABELS, (VAL_IDS[:15], VAL_LABELS[:15]), batch_size=5, shuffle=False)
    assert np.abs(model.layers[1].states[0].numpy()).sum() > 0
