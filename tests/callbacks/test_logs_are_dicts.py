"""Callbacks receive real dicts, as in Keras: `{}` at the start of a phase, the metric values after it."""

import numpy as np
import pytest

import nanokeras as keras


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def _note(self, hook, logs):
        assert isinstance(logs, dict), f"{hook} got {type(logs).__name__}"
        copied = logs.copy()          # works on a dict
        logs["added_by_callback"] = 1  # so does item assignment
        del logs["added_by_callback"]
        self.calls.append((hook, copied))

    def on_train_begin(self, logs=None):
        self._note("on_train_begin", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._note("on_epoch_begin", logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._note("on_train_batch_begin", logs)

    def on_train_batch_end(self, batch, logs=None):
        self._note("on_train_batch_end", logs)

    def on_test_begin(self, logs=None):
        self._note("on_test_begin", logs)

    def on_test_batch_end(self, batch, logs=None):
        self._note("on_test_batch_end", logs)

    def on_epoch_end(self, epoch, logs=None):
        self._note("on_epoch_end", logs)

    def on_predict_begin(self, logs=None):
        self._note("on_predict_begin", logs)


@pytest.mark.parametrize("jit_compile", ["auto", False])
def test_every_hook_gets_a_dict(jit_compile):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 2)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["acc"], jit_compile=jit_compile)
    recorder = Recorder()
    model.fit(x, y, batch_size=4, epochs=1, validation_data=(x, y), callbacks=[recorder], verbose=0)
    model.predict(x, callbacks=[recorder], verbose=0)
    hooks = dict(recorder.calls)
    assert hooks["on_train_begin"] == {} and hooks["on_epoch_begin"] == {} and hooks["on_predict_begin"] == {}
    batch_logs = [logs for hook, logs in recorder.calls if hook == "on_train_batch_end"]
    assert len(batch_logs) == 3 and all(set(logs) == {"acc", "loss"} for logs in batch_logs)
    assert all(isinstance(v, float) for v in batch_logs[-1].values())
    epoch_logs = hooks["on_epoch_end"]
    assert set(epoch_logs) == {"acc", "loss", "val_acc", "val_loss"}
    assert epoch_logs["loss"] == batch_logs[-1]["loss"]  # the epoch's running mean after its last batch
