"""`load_weights` into a fresh compiled model (its optimizer not built yet) loads the layers' weights
and skips the saved optimizer state with a warning, as Keras does: training then starts from a
fresh optimizer (tensorflow.org "Save and load models" loads checkpoints this way)."""

import warnings

import numpy as np
import pytest

import nanokeras as keras


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(keras.optimizers.Adam(0.1), "mse")
    return model


def _data():
    return np.arange(12, dtype="float32").reshape(4, 3) / 10, np.ones((4, 2), "float32")


def _trained_file(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=2, batch_size=2, shuffle=False, verbose=0)
    path = tmp_path / "cp.weights.h5"
    model.save_weights(path)
    return model, path


def test_unbuilt_optimizer_is_not_restored_and_warns(tmp_path):
    trained, path = _trained_file(tmp_path)
    fresh = _model()
    with pytest.warns(UserWarning, match="optimizer is not built yet"):
        fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), trained.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not fresh.optimizer.built and int(fresh.optimizer.iterations.numpy()) == 0
    x, y = _data()
    fresh.fit(x, y, epochs=1, batch_size=2, shuffle=False, verbose=0)
    assert int(fresh.optimizer.iterations.numpy()) == 2  # counted from zero, not from the file's 4


def test_built_optimizer_is_restored_without_warning(tmp_path):
    trained, path = _trained_file(tmp_path)
    fresh = _model()
    fresh.optimizer.build(fresh.trainable_variables)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fresh.load_weights(path)
    for a, b in zip(fresh.optimizer.variables, trained.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
