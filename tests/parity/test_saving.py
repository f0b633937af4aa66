"""Files move both ways between nanokeras and real Keras 3: same predictions, same continued training."""

import os
import zipfile

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import saving


def _data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((32, 5), dtype=np.float32)
    return x, (x @ rng.random((5, 3), dtype=np.float32)).astype("float32")


def _build(lib, optimizer):
    model = lib.Sequential([
        lib.Input((5,)),
        lib.layers.Dense(8, activation="relu"),
        lib.layers.Activation("tanh"),
        lib.layers.Dense(3),
    ])
    model.compile(optimizer=optimizer(lib), loss="mse", metrics=["mae"])
    return model


OPTIMIZERS = {
    "adam": lambda lib: lib.optimizers.Adam(0.01),
    "sgd_momentum": lambda lib: lib.optimizers.SGD(0.05, momentum=0.9),
    "rmsprop": lambda lib: lib.optimizers.RMSprop(0.01),
}


def _fit(model, x, y, epochs):
    model.fit(x, y, epochs=epochs, batch_size=8, shuffle=False, verbose=0)


@pytest.mark.parametrize("opt", sorted(OPTIMIZERS))
def test_nanokeras_saves_keras_loads_and_continues(keras, opt, tmp_path):
    x, y = _data()
    model = _build(nk, OPTIMIZERS[opt])
    _fit(model, x, y, 2)
    path = str(tmp_path / "nk.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)), model.predict(x, verbose=0), atol=1e-6)
    assert int(loaded.optimizer.iterations.numpy()) == int(model.optimizer.iterations.numpy())
    _fit(loaded, x, y, 2)
    _fit(model, x, y, 2)
    for a, b in zip(model.weights, loaded.weights):
        np.testing.assert_allclose(np.asarray(b.numpy()), a.numpy(), atol=1e-5)


@pytest.mark.parametrize("opt", sorted(OPTIMIZERS))
def test_keras_saves_nanokeras_loads_and_continues(keras, opt, tmp_path):
    x, y = _data(1)
    model = _build(keras, OPTIMIZERS[opt])
    _fit(model, x, y, 2)
    path = str(tmp_path / "k.keras")
    model.save(path)
    loaded = saving.load_model(path)
    assert [l.name for l in loaded.layers] == [l.name for l in model.layers]
    np.testing.assert_allclose(loaded.predict(x, verbose=0), np.asarray(model.predict(x, verbose=0)), atol=1e-6)
    assert type(loaded.optimizer).__name__ == type(model.optimizer).__name__
    # Both continue from the same file: Keras from a fresh load of it, nanokeras from its load.
    keras_again = keras.saving.load_model(path)
    _fit(loaded, x, y, 3)
    _fit(keras_again, x, y, 3)
    for a, b in zip(keras_again.weights, loaded.weights):
        np.testing.assert_allclose(b.numpy(), np.asarray(a.numpy()), atol=1e-5)


def test_config_json_matches_keras_key_for_key(keras, tmp_path):
    import json

    configs = []
    keras.backend.clear_session()  # same automatic names on both sides
    for lib, name in ((keras, "k.keras"), (nk, "n.keras")):
        model = _build(lib, OPTIMIZERS["adam"])
        _fit(model, *_data(), 1)
        model.save(str(tmp_path / name))
        with zipfile.ZipFile(tmp_path / name) as archive:
            configs.append(json.loads(archive.read("config.json")))

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "shared_object_id"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    expected, got = strip(configs[0]), strip(configs[1])
    assert got["config"]["layers"] == expected["config"]["layers"]
    assert got["build_config"] == expected["build_config"]
    assert got["compile_config"]["optimizer"] == expected["compile_config"]["optimizer"]
    assert set(got) == set(expected) and set(got["config"]) == set(expected["config"])


def test_weights_files_both_ways(keras, tmp_path):
    x, y = _data(2)
    k_model = _build(keras, OPTIMIZERS["adam"])
    n_model = _build(nk, OPTIMIZERS["adam"])
    _fit(k_model, x, y, 1)
    k_model.save_weights(str(tmp_path / "k.weights.h5"))
    n_model.optimizer.build(n_model.trainable_variables)  # as for Keras below: an unbuilt one is skipped
    n_model.load_weights(str(tmp_path / "k.weights.h5"))
    np.testing.assert_allclose(n_model.predict(x, verbose=0), np.asarray(k_model.predict(x, verbose=0)), atol=1e-6)
    for a, b in zip(k_model.optimizer.variables, n_model.optimizer.variables):
        np.testing.assert_allclose(b.numpy(), np.asarray(a.numpy()), atol=0)

    _fit(n_model, x, y, 1)
    n_model.save_weights(str(tmp_path / "n.weights.h5"))
    k_fresh = _build(keras, OPTIMIZERS["adam"])
    k_fresh.optimizer.build(k_fresh.trainable_variables)
    k_fresh.load_weights(str(tmp_path / "n.weights.h5"))
    np.testing.assert_allclose(np.asarray(k_fresh.predict(x, verbose=0)), n_model.predict(x, verbose=0), atol=1e-6)
    assert int(k_fresh.optimizer.iterations.numpy()) == int(n_model.optimizer.iterations.numpy())


def test_keras_subclassed_model_loads_with_registration(keras, tmp_path):
    @keras.saving.register_keras_serializable(package="parity")
    class KTwo(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = keras.layers.Dense(4, activation="relu")
            self.blocks = [keras.layers.Dense(3), keras.layers.Dense(3)]
            self.out = keras.layers.Dense(1)

        def call(self, x):
            x = self.hidden(x)
            for block in self.blocks:
                x = block(x)
            return self.out(x)

    class NTwo(nk.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = nk.layers.Dense(4, activation="relu")
            self.blocks = [nk.layers.Dense(3), nk.layers.Dense(3)]
            self.out = nk.layers.Dense(1)

        def call(self, x, training=False):
            x = self.hidden(x)
            for block in self.blocks:
                x = block(x)
            return self.out(x)

    x = np.random.default_rng(0).random((8, 5), dtype=np.float32)
    k_model = KTwo()
    k_model.compile(optimizer="sgd", loss="mse")
    k_model.fit(x, x[:, :1], epochs=1, verbose=0)
    k_model.save(str(tmp_path / "sub.keras"))
    loaded = saving.load_model(str(tmp_path / "sub.keras"), custom_objects={"parity>KTwo": NTwo})
    np.testing.assert_allclose(loaded.predict(x, verbose=0), np.asarray(k_model.predict(x, verbose=0)), atol=1e-6)
