"""nanokeras/playground/streaming_callback.py: a real fit streams frames at a bounded rate and obeys the buttons."""

import threading
import time

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.playground.controls import TrainingCancelled, TrainingControls
from nanokeras.playground.streaming_callback import StreamingCallback

X = np.random.default_rng(0).normal(size=(400, 2)).astype("float32")
Y = (X[:, 0] * X[:, 1] > 0).astype("int32")


def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="tanh"),
                              keras.layers.Dropout(0.1), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy"])
    return model


def _fit(callback, epochs=3, batch_size=1, model=None):
    model = model or _model()
    history = model.fit(X, Y, validation_data=(X[:50], Y[:50]), epochs=epochs, batch_size=batch_size,
                        verbose=0, callbacks=[callback] if callback else None)
    return model, history.history


def test_frames_are_asked_for_at_most_max_fps():
    times = []
    callback = StreamingCallback(TrainingControls(), publish_frame=lambda: times.append(time.monotonic()),
                                 max_fps=20)
    start = time.monotonic()
    _fit(callback, epochs=3)  # 1200 steps
    duration = time.monotonic() - start
    assert len(times) >= 2
    assert all(b - a >= 0.05 - 1e-3 for a, b in zip(times, times[1:]))
    assert len(times) <= duration * 20 + 1


def test_streaming_changes_no_number():
    _, plain = _fit(None, epochs=2, batch_size=8)
    logs = []
    callback = StreamingCallback(TrainingControls(), publish_frame=lambda: None, max_fps=1000,
                                 on_epoch_end=lambda epoch, values: logs.append((epoch, values)))
    _, streamed = _fit(callback, epochs=2, batch_size=8)
    assert plain == streamed
    assert [epoch for epoch, _ in logs] == [0, 1]
    assert logs[1][1]["val_loss"] == streamed["val_loss"][1]


def test_epochs_per_second_slows_training_for_the_eye():
    callback = StreamingCallback(TrainingControls(), publish_frame=lambda: None, epochs_per_second=20)
    start = time.monotonic()
    _fit(callback, epochs=6, batch_size=400)
    assert time.monotonic() - start >= 6 / 20 - 0.01


def test_pause_from_another_thread_then_resume():
    controls = TrainingControls()
    paused = threading.Event()
    callback = StreamingCallback(controls, publish_frame=lambda: None, on_pause=paused.set)
    result = {}
    thread = threading.Thread(target=lambda: result.update(history=_fit(callback, epochs=2)[1]))
    thread.start()
    time.sleep(0.05)
    controls.request_pause()
    assert paused.wait(timeout=10)
    steps_at_pause = (callback.epochs_done, callback.batches_done)
    time.sleep(0.2)
    assert (callback.epochs_done, callback.batches_done) == steps_at_pause  # nothing trained while paused
    assert thread.is_alive()
    controls.resume()
    thread.join(timeout=60)
    assert len(result["history"]["loss"]) == 2


def test_step_trains_exactly_one_more_epoch():
    controls = TrainingControls()
    controls.request_step(epochs_done=0)
    pauses = []
    callback = StreamingCallback(controls, publish_frame=lambda: None,
                                 on_pause=lambda: pauses.append(callback.epochs_done))
    thread = threading.Thread(target=_fit, args=(callback,), kwargs=dict(epochs=3, batch_size=40))
    thread.start()
    deadline = time.monotonic() + 10
    while not pauses and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pauses == [1]
    controls.request_step(epochs_done=1)
    while len(pauses) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pauses == [1, 2]
    controls.resume()
    thread.join(timeout=10)
    assert callback.epochs_done == 3


def test_reset_before_training_changes_nothing():
    controls = TrainingControls()
    controls.cancel()
    model = _model()
    before = model.get_weights()
    with pytest.raises(TrainingCancelled):
        _fit(StreamingCallback(controls, publish_frame=lambda: None), model=model)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_reset_ends_fit_between_two_batches():
    controls = TrainingControls()
    callback = StreamingCallback(controls, publish_frame=lambda: None, max_fps=1000)
    outcome = {}

    def train():
        try:
            _fit(callback, epochs=50)
        except TrainingCancelled:
            outcome["cancelled"] = (callback.epochs_done, callback.batches_done)

    thread = threading.Thread(target=train)
    thread.start()
    time.sleep(0.2)
    controls.cancel()
    thread.join(timeout=10)
    assert outcome["cancelled"][0] < 50 and not thread.is_alive()


def test_max_fps_must_be_positive():
    with pytest.raises(ValueError, match="max_fps"):
        StreamingCallback(TrainingControls(), publish_frame=lambda: None, max_fps=0)
