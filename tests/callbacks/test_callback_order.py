"""`fit` calls the user's callbacks first, then History, then the progress bar (as Keras)."""

import numpy as np

import nanokeras as keras
from nanokeras.callbacks.callback_list import CallbackList
from tests.callbacks.helpers import regression_data, small_model


def test_history_then_progress_bar_come_after_the_users_callbacks():
    mine = keras.callbacks.LambdaCallback()
    callbacks = CallbackList([mine], add_history=True, add_progbar=True).callbacks
    assert [type(c) for c in callbacks] == [keras.callbacks.LambdaCallback, keras.callbacks.History,
                                            keras.callbacks.ProgbarLogger]
    assert [type(c) for c in CallbackList([mine], add_history=True).callbacks] == [
        keras.callbacks.LambdaCallback, keras.callbacks.History]


def test_a_users_history_or_progress_bar_keeps_its_place_and_is_not_doubled():
    history, bar, mine = keras.callbacks.History(), keras.callbacks.ProgbarLogger(), keras.callbacks.LambdaCallback()
    callback_list = CallbackList([bar, history, mine], add_history=True, add_progbar=True)
    assert callback_list.callbacks == [bar, history, mine]
    assert callback_list.history is history


def test_the_epoch_line_shows_the_learning_rate_after_the_callbacks_messages(capsys):
    x, y = regression_data(8)
    small_model().fit(x, y, epochs=2, batch_size=4, verbose=2, validation_split=0.25,
                      callbacks=[keras.callbacks.ReduceLROnPlateau(patience=0, min_delta=100.0, verbose=1)])
    lines = [line for line in capsys.readouterr().out.splitlines() if line]
    assert lines[0] == "Epoch 1/2"
    assert lines[1].endswith("- learning_rate: 0.1000"), lines[1]
    assert lines[2] == "Epoch 2/2"
    assert lines[3].startswith("Epoch 2: ReduceLROnPlateau reducing learning rate to 0.01")
    # (the rate the epoch trained with: the reduction comes after it is logged, as in Keras)
    assert lines[4].endswith("- learning_rate: 0.1000"), lines[4]


def test_the_scheduler_message_comes_before_the_epoch_line(capsys):
    x, y = regression_data(8)
    small_model().fit(x, y, epochs=2, batch_size=4, verbose=2,
                      callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.5, verbose=1)])
    lines = [line for line in capsys.readouterr().out.splitlines() if line]
    assert lines[:2] == ["Epoch 1: LearningRateScheduler setting learning rate to 0.5.", "Epoch 1/2"]


def test_batch_hooks_get_their_logs_by_keyword():
    seen = []

    class Keywords(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, **kwargs):
            seen.append(("begin", batch, sorted(kwargs)))

        def on_train_batch_end(self, batch, **kwargs):
            seen.append(("end", batch, sorted(kwargs), sorted(kwargs["logs"])))

    x, y = regression_data(8)
    small_model().fit(x, y, epochs=1, batch_size=4, verbose=0, callbacks=[Keywords()])
    assert seen == [("begin", 0, ["logs"]), ("end", 0, ["logs"], ["loss"]),
                    ("begin", 1, ["logs"]), ("end", 1, ["logs"], ["loss"])]


def test_on_train_end_gets_the_epoch_logs_without_keys_callbacks_added():
    seen = {}
    x, y = regression_data(8)
    history = small_model().fit(
        x, y, epochs=2, batch_size=4, verbose=0,
        callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="loss"),
                   keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.update(epoch=list(logs)),
                                                  on_train_end=lambda logs: seen.update(end=list(logs)))])
    assert seen == {"epoch": ["loss", "learning_rate"], "end": ["loss"]}
    assert list(history.history) == ["loss", "learning_rate"]
    np.testing.assert_allclose(history.history["learning_rate"], [0.1, 0.1])
