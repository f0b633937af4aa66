"""Keras's call context against real Keras 3: the `training` flag reaches layers called
without it inside custom layers and models (BatchNormalization statistics after `fit`,
`train_on_batch` and a direct `training=True` call; what nested layers see), and a serialized
dtype policy in a constructor (a custom `from_config` doing `cls(**config)`) loads."""

import numpy as np
import pytest

import nanokeras as nk

X = np.random.RandomState(1).rand(16, 4).astype("float32") * 3
Y = X.sum(axis=1, keepdims=True)


def _block_class(lib):
    class Block(lib.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = lib.layers.Dense(3, kernel_initializer="ones")
            self.norm = lib.layers.BatchNormalization()

        def call(self, x):
            return lib.ops.relu(self.norm(self.dense(x)))

    return Block


def _statistics(lib):
    Block = _block_class(lib)
    seen = []
    block = Block()
    inputs = lib.Input((4,))
    model = lib.Model(inputs, lib.layers.Dense(1, kernel_initializer="ones")(block(inputs)))
    model(X, training=True)
    seen.append(np.asarray(block.norm.moving_mean))
    model.compile(lib.optimizers.SGD(0.01), "mse")
    history = model.fit(X, Y, epochs=2, batch_size=8, shuffle=False, verbose=0).history["loss"]
    seen.append(np.asarray(block.norm.moving_mean))
    seen.append(np.asarray(model.train_on_batch(X, Y)))
    seen.append(np.asarray(block.norm.moving_variance))
    stacked = lib.Sequential([lib.Input((4,)), Block(), lib.layers.Dense(1, kernel_initializer="ones")])
    stacked.compile(lib.optimizers.SGD(0.01), "mse")
    history += stacked.fit(X, Y, epochs=2, batch_size=8, shuffle=False, verbose=0).history["loss"]
    seen.append(np.asarray(stacked.layers[0].norm.moving_mean))
    alone = Block()
    alone(X, training=True)
    seen.append(np.asarray(alone.norm.moving_mean))
    return history, seen


def test_batch_normalization_in_custom_blocks_trains_as_in_keras(keras):
    ours, theirs = _statistics(nk), _statistics(keras)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)
    for a, b in zip(ours[1], theirs[1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def _flags(lib):
    seen = []

    class Probe(lib.layers.Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    class Outer(lib.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.first, self.second = Probe(), Probe()
            self.norm = lib.layers.BatchNormalization()

        def call(self, x, training=False):
            x = self.first(x)
            x = self.norm(x, training=False)
            x = self.second(x)
            return self.second(x, training=None)

    outer = Outer()
    outer(X)
    seen.clear()  # (Keras's first call also traces `call` symbolically)
    outer(X, training=True)
    outer(X)
    Probe()(X)
    return seen


def test_nested_layers_see_the_flags_keras_gives_them(keras):
    assert _flags(nk) == _flags(keras)


def _reloaded_prediction(lib, path):
    @lib.saving.register_keras_serializable(package="callcontext")
    class Scale(lib.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

        @classmethod
        def from_config(cls, config):
            return cls(**config)  # the serialized dtype policy goes to the constructor

    inputs = lib.Input((4,))
    model = lib.Model(inputs, lib.layers.Dense(1, kernel_initializer="ones")(Scale(3.0)(inputs)))
    model.save(path)
    loaded = lib.models.load_model(path)
    return np.asarray(loaded.predict(X, verbose=0)), loaded.layers[1].dtype


def test_a_from_config_passing_the_dtype_policy_to_the_constructor_loads(keras, tmp_path):
    ours = _reloaded_prediction(nk, str(tmp_path / "ours.keras"))
    theirs = _reloaded_prediction(keras, str(tmp_path / "theirs.keras"))
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-6)
    assert ours[1] == theirs[1] == "float32"
    config = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
    assert nk.layers.Dense(2, dtype=config).dtype == keras.layers.Dense(2, dtype=config).dtype
    with pytest.raises(ValueError, match="cannot read the dtype policy"):
        nk.layers.Dense(2, dtype={"class_name": "DTypePolicy"})
