"""A subclassed model with only a `train_step` (keras.io's GAN/VAE shape), side by side with Keras 3."""

import numpy as np
import pytest

import nanokeras as nk


def _no_call_model(lib, inner):
    class Tracking(lib.Model):
        def __init__(self):
            super().__init__()
            self.inner = inner
            self.tracker = lib.metrics.Mean(name="g_loss")

        def train_step(self, *args):  # never reached here: what is compared is the error before it
            raise AssertionError("train_step ran")

    return Tracking()


def test_predict_raises_not_implemented_instead_of_returning_the_inputs(keras):
    x = np.arange(24, dtype="float32").reshape(8, 3) / 10
    for lib in (keras, nk):
        model = _no_call_model(lib, lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)]))
        with pytest.raises(NotImplementedError, match="Tracking does not have a `call\\(\\)` method implemented"):
            model.predict(x, verbose=0)


def test_fit_with_unbuilt_layers_is_a_runtime_error(keras):
    x = np.arange(24, dtype="float32").reshape(8, 3) / 10
    for lib in (keras, nk):
        model = _no_call_model(lib, lib.layers.Dense(2))
        model.compile(optimizer="sgd")
        with pytest.raises(RuntimeError):
            model.fit(x, epochs=1, verbose=0)
