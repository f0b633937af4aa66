"""Keras 2 optimizer slot names: legacy RMSprop's `rms`, and SGD's momentum slots without momentum."""

import warnings

import h5py
import numpy as np
import pytest

import nanokeras as keras


def _trained(optimizer):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 4)).astype("float32"), rng.normal(size=(8, 1)).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, name="dense")])
    model.compile(optimizer, "mse")
    model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    return model, x, y


def _rewrite(path, entries):
    with h5py.File(path, "r+") as f:
        del f["optimizer_weights"]
        group = f.create_group("optimizer_weights")
        for name, array in entries:
            group.create_dataset(name, data=array)
        group.attrs["weight_names"] = [name.encode() for name, _ in entries]


def _save(model, tmp_path):
    path = str(tmp_path / "model.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path)
    return path


def test_legacy_rmsprop_rms_slots_are_its_velocities(tmp_path):
    model, x, y = _trained(keras.optimizers.RMSprop(0.01))
    path = _save(model, tmp_path)
    velocities = [np.asarray(v.value) for v in model.optimizer._velocities]
    _rewrite(path, [("RMSprop/iter:0", np.asarray(model.optimizer.iterations.value)),
                    ("RMSprop/dense/kernel/rms:0", velocities[0]), ("RMSprop/dense/bias/rms:0", velocities[1])])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = keras.models.load_model(path)
    ours = loaded.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0).history["loss"]
    theirs = model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_sgd_momentum_slots_of_an_sgd_without_momentum_load_silently(tmp_path):
    model, x, y = _trained(keras.optimizers.SGD(0.01))
    path = _save(model, tmp_path)
    _rewrite(path, [("iteration:0", np.asarray(model.optimizer.iterations.value)),
                    ("SGD/m/dense/kernel:0", np.ones((4, 1), "float32")), ("SGD/m/dense/bias:0", np.ones(1, "float32"))])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = keras.models.load_model(path)
    assert int(loaded.optimizer.iterations.value) == 2


def test_momentum_slots_still_count_when_sgd_has_momentum(tmp_path):
    model, x, y = _trained(keras.optimizers.SGD(0.01, momentum=0.9))
    path = _save(model, tmp_path)
    _rewrite(path, [("iteration:0", np.asarray(2)), ("SGD/m/other/kernel:0", np.ones((4, 1), "float32"))])
    with pytest.warns(UserWarning, match="optimizer starts fresh"):
        keras.models.load_model(path)
