"""tf-keras's `.h5` files store Nadam's slots and step count but not its `u_product`."""

import warnings

import h5py
import numpy as np

import nanokeras as keras


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(16, 4)).astype("float32"), rng.normal(size=(16, 2)).astype("float32")


def _as_tf_keras_wrote_it(path, optimizer):
    """Rewrites a file's optimizer weights as tf-keras 2.11+ writes Nadam's: the step count and
    `Nadam/m|v/<layer>/<weight>:0` slots, no learning rate and no `u_product`."""
    names, arrays = ["iteration:0"], [np.asarray(optimizer.iterations.value)]
    for slot, variables in (("m", optimizer._momentums), ("v", optimizer._velocities)):
        for variable, weight in zip(variables, ("kernel", "bias")):
            names.append(f"Nadam/{slot}/dense/{weight}:0")
            arrays.append(np.asarray(variable.value))
    with h5py.File(path, "r+") as f:
        del f["optimizer_weights"]
        group = f.create_group("optimizer_weights")
        for name, array in zip(names, arrays):
            group.create_dataset(name, data=array)
        group.attrs["weight_names"] = [n.encode() for n in names]


def test_nadam_restored_without_u_product_continues_as_if_never_saved(tmp_path):
    x, y = _data()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="dense")])
    model.compile(keras.optimizers.Nadam(0.01), "mse")
    model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    path = str(tmp_path / "nadam.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path)
    _as_tf_keras_wrote_it(path, model.optimizer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the state maps: no "optimizer starts fresh" warning
        loaded = keras.models.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded.optimizer._u_product.value),
                               np.asarray(model.optimizer._u_product.value), rtol=1e-6)
    ours = loaded.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0).history["loss"]
    theirs = model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
