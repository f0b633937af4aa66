"""Callbacks get their own copy of the logs, keys sorted, as in Keras."""

import numpy as np

import nanokeras as keras


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(("epoch", list(logs)))
        logs["added_by_a_callback"] = 1.0

    def on_train_end(self, logs=None):
        self.seen.append(("end", list(logs)))


def test_a_key_added_by_a_callback_stays_in_that_hooks_copy():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["mae", "accuracy"])
    recorder = Recorder()
    x = np.random.default_rng(0).random((16, 3)).astype("float32")
    history = model.fit(x, (x[:, :1] > 0.5).astype("float32"), epochs=2, verbose=0,
                        callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="loss"), recorder])
    assert recorder.seen == [("epoch", ["accuracy", "loss", "mae", "learning_rate"])] * 2 + [
        ("end", ["accuracy", "loss", "mae"])]
    # History is called in the same hook, after the user's callbacks: it sees their keys.
    assert list(history.history) == ["accuracy", "loss", "mae", "learning_rate", "added_by_a_callback"]


def test_custom_train_step_logs_reach_callbacks_sorted_and_flat():
    class Custom(keras.Model):
        def train_step(self, data):
            return {"zeta": 1.0, "nested": {"beta": 2.0}, "alpha": 3.0}

    inputs = keras.Input((2,))
    model = Custom(inputs, keras.layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    seen = []
    model.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), epochs=1, batch_size=2, verbose=0,
              callbacks=[keras.callbacks.LambdaCallback(on_batch_end=lambda batch, logs: seen.append(list(logs)))])
    assert seen == [["alpha", "beta", "zeta"]] * 2
