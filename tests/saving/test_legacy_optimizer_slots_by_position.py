"""tf-keras names optimizer slots after its own layer paths, which nanokeras's names may not end
with (`time_distributed/kernel`, DepthwiseConv2D's `depthwise_kernel`): they map in order."""

import warnings

import h5py
import numpy as np
import pytest

import nanokeras as keras


def _model(kind):
    if kind == "time_distributed":
        layers = [keras.Input((3, 4)), keras.layers.TimeDistributed(keras.layers.Dense(2)), keras.layers.Flatten()]
        tf_names = ["time_distributed/kernel", "time_distributed/bias"]
        x = np.random.default_rng(0).normal(size=(8, 3, 4)).astype("float32")
    else:
        layers = [keras.Input((5, 5, 2)), keras.layers.DepthwiseConv2D(3), keras.layers.Flatten()]
        tf_names = ["depthwise_conv2d/depthwise_kernel", "depthwise_conv2d/bias"]
        x = np.random.default_rng(0).normal(size=(8, 5, 5, 2)).astype("float32")
    model = keras.Sequential(layers + [keras.layers.Dense(1, name="head")])
    model.compile(keras.optimizers.Adam(0.01), "mse")
    return model, tf_names + ["head/kernel", "head/bias"], x


def _as_tf_keras_wrote_it(path, optimizer, weight_names):
    names, arrays = ["iteration:0"], [np.asarray(optimizer.iterations.value)]
    for name, m, v in zip(weight_names, optimizer._momentums, optimizer._velocities):
        names += [f"Adam/m/{name}:0", f"Adam/v/{name}:0"]
        arrays += [np.asarray(m.value), np.asarray(v.value)]
    with h5py.File(path, "r+") as f:
        del f["optimizer_weights"]
        group = f.create_group("optimizer_weights")
        for name, array in zip(names, arrays):
            group.create_dataset(name, data=array)
        group.attrs["weight_names"] = [n.encode() for n in names]


@pytest.mark.parametrize("kind", ["time_distributed", "depthwise"])
def test_slots_named_after_tf_keras_paths_are_restored_in_order(kind, tmp_path):
    model, tf_names, x = _model(kind)
    y = np.random.default_rng(1).normal(size=(8, 1)).astype("float32")
    model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    path = str(tmp_path / "model.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path)
    _as_tf_keras_wrote_it(path, model.optimizer, tf_names)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "the optimizer starts fresh"
        loaded = keras.models.load_model(path)
    ours = loaded.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0).history["loss"]
    theirs = model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_slots_whose_weight_names_disagree_in_order_still_start_fresh(tmp_path):
    model, tf_names, x = _model("time_distributed")
    y = np.zeros((8, 1), "float32")
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    path = str(tmp_path / "model.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path)
    _as_tf_keras_wrote_it(path, model.optimizer, ["time_distributed/bias", "time_distributed/kernel"] + tf_names[2:])
    with pytest.warns(UserWarning, match="optimizer starts fresh"):
        keras.models.load_model(path)
