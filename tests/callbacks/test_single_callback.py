"""`callbacks=` given one callback instead of a list (Keras 3 accepts it)."""

import numpy as np
import pytest

import nanokeras as keras


class _Epochs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(epoch)

    def on_test_end(self, logs=None):
        self.seen.append("test")

    def on_predict_end(self, logs=None):
        self.seen.append("predict")


def _model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def test_fit_evaluate_predict_take_one_callback_without_a_list():
    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    model, callback = _model(), _Epochs()
    model.fit(x, y, epochs=2, verbose=0, callbacks=callback)
    model.evaluate(x, y, verbose=0, callbacks=callback)
    model.predict(x, verbose=0, callbacks=callback)
    assert callback.seen == [0, 1, "test", "predict"]


def test_early_stopping_alone_stops_training():
    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=1e9)
    history = _model().fit(x, y, epochs=5, verbose=0, callbacks=stop)
    assert len(history.epoch) == 2


def test_callback_list_of_one_callback():
    callback = _Epochs()
    assert keras.callbacks.CallbackList(callback).callbacks == [callback]


def test_a_list_holding_a_list_is_still_refused():
    with pytest.raises(TypeError, match="keras.callbacks.Callback instances"):
        _model().fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, callbacks=[[_Epochs()]])
