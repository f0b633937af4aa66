"""What callbacks see in their logs, against real Keras 3: a copy per hook, keys sorted.

(A custom `train_step` returning nested logs is checked in tests/callbacks: on JAX, Keras's
`train_step` takes a state argument, so the same subclass cannot run on both.)
"""

import numpy as np

import nanokeras as nk


def _seen(lib):
    lib.backend.clear_session()
    lib.utils.set_random_seed(0)

    class Recorder(lib.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen = []

        def on_train_batch_end(self, batch, logs=None):
            self.seen.append(("batch", list(logs)))

        def on_epoch_end(self, epoch, logs=None):
            self.seen.append(("epoch", list(logs)))
            logs["added"] = 1.0

        def on_train_end(self, logs=None):
            self.seen.append(("end", list(logs)))

    inputs = lib.Input((3,))
    plain = lib.Model(inputs, lib.layers.Dense(1, activation="sigmoid")(inputs))
    plain.compile("adam", "binary_crossentropy", metrics=["mae", "accuracy"])
    x = np.random.default_rng(0).random((16, 3)).astype("float32")
    y = (x[:, :1] > 0.5).astype("float32")
    recorder = Recorder()
    history = plain.fit(x, y, epochs=2, batch_size=8, verbose=0, validation_data=(x, y),
                        callbacks=[lib.callbacks.ReduceLROnPlateau(monitor="loss"), recorder])
    return recorder.seen, list(history.history)


def test_callbacks_see_the_logs_keras_hands_them(keras):
    assert _seen(nk) == _seen(keras)
