"""`predict` two batches at a time (trainers/parallel_predict.py) gives bit for bit the sequential
loop's outputs, and steps aside where batch order or callbacks matter."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.trainers import parallel_predict


@pytest.fixture
def two_cores(monkeypatch):
    monkeypatch.setattr(parallel_predict, "available_cores", lambda: 2)
    monkeypatch.setattr(parallel_predict, "MIN_WORK_PER_BATCH", 0)


def _mlp():
    return keras.Sequential([keras.Input((12,)), keras.layers.Dense(16, activation="relu"),
                             keras.layers.Dense(4, activation="softmax")])


def _convnet():
    return keras.Sequential([keras.Input((8, 8, 2)), keras.layers.Conv2D(4, 3, activation="relu"),
                             keras.layers.BatchNormalization(), keras.layers.MaxPooling2D(),
                             keras.layers.Flatten(), keras.layers.Dense(3)])


def _masked_lstm():
    return keras.Sequential([keras.Input((6,), dtype="int32"), keras.layers.Embedding(9, 4, mask_zero=True),
                             keras.layers.LSTM(5), keras.layers.Dense(2)])


def _attention_two_outputs():
    inputs = keras.Input((5, 4))
    attended = keras.layers.MultiHeadAttention(2, 3)(inputs, inputs)
    pooled = keras.layers.GlobalAveragePooling1D()(keras.layers.LayerNormalization()(attended))
    return keras.Model(inputs, [keras.layers.Dense(2, name="a")(pooled), keras.layers.Dense(1, name="b")(pooled)])


def _data(model, n, rng):
    shape = tuple(model.inputs[0].shape[1:])
    if model.inputs[0].dtype.startswith("int"):
        return rng.integers(0, 9, size=(n,) + shape).astype("int32")
    return rng.normal(size=(n,) + shape).astype("float32")


@pytest.mark.parametrize("make", [_mlp, _convnet, _masked_lstm, _attention_two_outputs])
def test_outputs_are_bit_identical_to_the_sequential_loop(make, two_cores, monkeypatch):
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(1)
    model = make()
    x = _data(model, 53, rng)  # 6 full batches of 8 and a short one of 5
    parallel = model.predict(x, batch_size=8, verbose=0)
    assert model._compiled_steps.lanes, "the parallel path did not run"
    twin = make()
    twin.set_weights(model.get_weights())
    monkeypatch.setattr(parallel_predict, "available_cores", lambda: 1)
    sequential = twin.predict(x, batch_size=8, verbose=0)
    assert not twin._compiled_steps.lanes
    for got, expected in zip(keras.tree.flatten(parallel), keras.tree.flatten(sequential)):
        np.testing.assert_array_equal(got, expected)
    # A second call reuses the two programs, and still agrees.
    again = model.predict(x, batch_size=8, verbose=0)
    for got, expected in zip(keras.tree.flatten(again), keras.tree.flatten(sequential)):
        np.testing.assert_array_equal(got, expected)


def test_progress_bar_advances_in_order(two_cores, capsys):
    model = _mlp()
    x = np.random.default_rng(1).normal(size=(40, 12)).astype("float32")
    model.predict(x, batch_size=8, verbose=1)
    assert model._compiled_steps.lanes
    assert "5/5" in capsys.readouterr().out


def test_a_callback_watching_batches_keeps_the_sequential_loop(two_cores):
    seen = []

    class Watch(keras.callbacks.Callback):
        def on_predict_batch_end(self, batch, logs=None):
            seen.append(batch)

    model = _mlp()
    model.predict(np.zeros((40, 12), "float32"), batch_size=8, verbose=0, callbacks=[Watch()])
    assert seen == [0, 1, 2, 3, 4]
    assert not model._compiled_steps.lanes


def test_stateful_layers_keep_the_batch_order(two_cores):
    model = keras.Sequential([keras.Input(batch_shape=(4, 3, 2)), keras.layers.SimpleRNN(3, stateful=True)])
    x = np.random.default_rng(2).normal(size=(16, 3, 2)).astype("float32")
    first = model.predict(x, batch_size=4, verbose=0)
    assert not model._compiled_steps.lanes
    model.layers[0].reset_states()
    np.testing.assert_array_equal(model.predict(x, batch_size=4, verbose=0), first)


def test_small_work_or_one_core_stays_sequential(monkeypatch):
    model = _mlp()
    model.predict(np.zeros((40, 12), "float32"), batch_size=8, verbose=0)  # 340 weights x 8 rows
    assert not model._compiled_steps.lanes
    monkeypatch.setattr(parallel_predict, "MIN_WORK_PER_BATCH", 0)
    monkeypatch.setattr(parallel_predict, "available_cores", lambda: 1)
    model.predict(np.zeros((40, 12), "float32"), batch_size=8, verbose=0)
    assert not model._compiled_steps.lanes


def test_an_error_in_a_worker_reaches_the_caller(two_cores, monkeypatch):
    from nanokeras.trainers import step_program

    model = _mlp()
    x = np.zeros((40, 12), "float32")
    model.predict(x, batch_size=8, verbose=0)
    calls = []

    def failing_run(self, batch):
        calls.append(1)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(step_program._PredictProgram, "run", failing_run)
    with pytest.raises(RuntimeError, match="disk on fire"):
        model.predict(x, batch_size=8, verbose=0)
    assert calls
