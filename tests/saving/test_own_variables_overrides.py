"""Layers that save and load state of their own (`save_own_variables`/`load_own_variables`)."""

import numpy as np
import pytest

import nanokeras as keras


class Counter(keras.layers.Layer):
    """Keeps a plain-numpy count beside its weight: saved under a key of its own."""

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")
        self.count = np.zeros((), "int64")

    def call(self, x):
        return x * self.scale

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["count"] = self.count

    def load_own_variables(self, store):
        self.count = np.asarray(store["count"])
        self.scale.assign(store["0"])


def _model():
    return keras.Sequential([keras.Input((3,)), Counter(name="counter")])


def test_extra_state_is_written_under_its_key_and_read_back(tmp_path):
    model = _model()
    model.layers[0].count = np.array(7)
    model.layers[0].scale.assign([1.0, 2.0, 3.0])
    model.save_weights(tmp_path / "m.weights.h5")
    fresh = _model()
    fresh.load_weights(tmp_path / "m.weights.h5")
    assert int(fresh.layers[0].count) == 7
    assert fresh.layers[0].scale.numpy().tolist() == [1.0, 2.0, 3.0]


def test_the_default_store_holds_the_weights_in_keras_order():
    layer = keras.layers.BatchNormalization()
    layer(np.ones((2, 3), "float32"))
    store = {}
    layer.save_own_variables(store)
    assert sorted(store) == ["0", "1", "2", "3"]
    assert [v.name for v in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]


def test_the_default_load_refuses_a_store_of_the_wrong_size():
    layer = keras.layers.Dense(2)
    layer(np.ones((1, 3), "float32"))
    before = [w.copy() for w in layer.get_weights()]
    with pytest.raises(ValueError, match="expected 2 variables, but received 1"):
        layer.load_own_variables({"0": np.zeros((3, 2))})
    assert all(np.array_equal(a, b) for a, b in zip(layer.get_weights(), before))


def test_a_missing_key_names_what_the_file_holds(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="plain")])
    model.save_weights(tmp_path / "plain.weights.h5")
    other = _model()
    with pytest.raises(ValueError, match="holds no weight .*count"):
        other.load_weights(tmp_path / "plain.weights.h5")
