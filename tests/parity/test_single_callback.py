"""fit/evaluate/predict with `callbacks=` one callback, not a list: Keras 3 runs it; so does nanokeras."""

import numpy as np

import nanokeras as nk


def _hooks_seen(lib):
    seen = []

    class Recorder(lib.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)

        def on_test_end(self, logs=None):
            seen.append("test")

        def on_predict_end(self, logs=None):
            seen.append("predict")

    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(1)])
    model.compile("sgd", "mse")
    recorder = Recorder()
    model.fit(x, y, epochs=2, verbose=0, callbacks=recorder)
    model.evaluate(x, y, verbose=0, callbacks=recorder)
    model.predict(x, verbose=0, callbacks=recorder)
    return seen


def test_one_callback_without_a_list(keras):
    assert _hooks_seen(nk) == _hooks_seen(keras) == [0, 1, "test", "predict"]
