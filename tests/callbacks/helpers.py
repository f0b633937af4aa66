"""A tiny regression model and a callback that feeds scripted values to monitor callbacks."""

import numpy as np

import nanokeras as keras


def small_model(lr=0.1, optimizer=None):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer or keras.optimizers.SGD(lr), loss="mse")
    return model


def regression_data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")).astype("float32")
    return x, y


class FakeModel:
    """Just enough of a model for callbacks driven by hand."""

    def __init__(self, lr=0.1):
        self.stop_training = False
        self.optimizer = keras.optimizers.SGD(lr)
        self.weights = [np.zeros(2, dtype="float32")]
        self.metrics = []

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]


def drive(callback, values, monitor="val_loss", model=None):
    """Runs epoch ends with `values` (one per epoch) until the callback stops training."""
    model = model or FakeModel()
    callback.set_model(model)
    callback.on_train_begin()
    ran = 0
    for epoch, value in enumerate(values):
        model.weights = [np.full(2, epoch, dtype="float32")]
        callback.on_epoch_begin(epoch)
        callback.on_epoch_end(epoch, {monitor: value})
        ran += 1
        if model.stop_training:
            break
    callback.on_train_end()
    return model, ran
