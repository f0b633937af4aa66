"""User objects in configs: Keras's names (`module`, `registered_name`) and automatic layer configs."""

import numpy as np
import pytest

import nanokeras as keras


class Shift(keras.layers.Layer):
    def __init__(self, amount=1.0, axes=(0, 1), **kwargs):
        super().__init__(**kwargs)
        self.amount = amount

    def call(self, x):
        return x + self.amount


def test_a_layer_without_get_config_records_its_constructor_arguments():
    layer = Shift(amount=2.5, name="shift", trainable=False)
    config = layer.get_config()
    assert config["name"] == "shift" and config["amount"] == 2.5 and config["axes"] == (0, 1)
    assert config["trainable"] is False
    clone = Shift.from_config(config)
    assert clone.amount == 2.5 and clone.name == "shift" and not clone.trainable


def test_non_plain_constructor_arguments_need_a_get_config():
    layer = Shift(amount=np.float32(1.0).reshape(1))  # an array is not a plain value
    with pytest.raises(NotImplementedError, match="implement `get_config"):
        layer.get_config()


def test_builtin_layers_keep_their_own_configs():
    assert "units" in keras.layers.Dense(2).get_config()
    assert keras.layers.Flatten()._auto_config is None


def test_functions_and_main_classes_are_written_as_keras_writes_them():
    @keras.saving.register_keras_serializable(package="ConfigTests")
    def double(x):
        return x * 2

    assert keras.saving.serialize_keras_object(double) == {
        "module": "builtins", "class_name": "function", "config": "ConfigTests>double", "registered_name": "function"}
    assert keras.activations.deserialize(keras.activations.serialize(double)) is double
    in_main = type("InMain", (keras.layers.Layer,), {"__module__": "__main__"})
    config = keras.saving.serialize_keras_object(in_main(name="m"))
    assert config["module"] is None and config["registered_name"] == "InMain"
    assert isinstance(keras.saving.deserialize_keras_object(config, custom_objects={"InMain": in_main}), in_main)


def test_a_saved_model_with_a_registered_layer_round_trips(tmp_path):
    registered = keras.saving.register_keras_serializable(package="ConfigTests")(Shift)
    model = keras.Sequential([keras.Input((2,)), registered(amount=3.0)])
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(loaded.predict(np.zeros((1, 2)), verbose=0), [[3.0, 3.0]])
