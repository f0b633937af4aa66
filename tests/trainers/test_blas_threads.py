"""fit/evaluate/predict compute with `backend.blas_threads()` BLAS threads and give BLAS its setting back."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.trainers import blas_threads as module

threadpoolctl = pytest.importorskip("threadpoolctl")


def _threads():
    return [c.num_threads for c in module._blas_controllers()]


def test_one_thread_inside_and_the_setting_restored_after():
    controllers = module._blas_controllers()
    if not controllers:
        pytest.skip("numpy's BLAS is not one threadpoolctl can control here")
    before = _threads()
    seen = []

    class Probe(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(_threads())

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    model.fit(np.ones((8, 3), "float32"), np.ones((8, 2), "float32"), batch_size=4, verbose=0, callbacks=[Probe()])
    assert seen and all(t == [1] * len(controllers) for t in seen)
    assert _threads() == before


def test_none_leaves_blas_alone_and_bad_values_are_refused():
    with pytest.raises(ValueError, match="positive integer or None"):
        keras.backend.set_blas_threads(0)
    keras.backend.set_blas_threads(None)
    try:
        before = _threads()
        with module.blas_threads():
            assert _threads() == before
    finally:
        keras.backend.set_blas_threads(1)
