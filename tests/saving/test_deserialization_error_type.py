"""A config naming an unknown class, or one its class refuses, raises a TypeError as in Keras
(still a ValueError, as nanokeras raised before)."""

import pytest

import nanokeras as keras


def test_unknown_class_is_a_type_error():
    with pytest.raises(TypeError, match="Refusing to load class 'Nope'"):
        keras.layers.deserialize({"class_name": "Nope", "config": {}})
    with pytest.raises(ValueError):
        keras.saving.deserialize_keras_object({"class_name": "Nope", "config": {}, "module": None})


def test_loading_a_file_with_an_unregistered_layer_is_a_type_error(tmp_path):
    class Unregistered(keras.layers.Layer):
        def __init__(self, a=1, **kwargs):
            super().__init__(**kwargs)
            self.a = a

        def get_config(self):
            return {**super().get_config(), "a": self.a}

    model = keras.Sequential([keras.Input((2,)), Unregistered(3)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(TypeError, match="m.keras"):
        keras.models.load_model(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras", custom_objects={"Unregistered": Unregistered})
    assert loaded.layers[0].a == 3


def test_from_config_refusing_its_arguments_is_a_type_error():
    config = keras.layers.serialize(keras.layers.Dense(2))
    config["config"]["no_such_argument"] = 1
    with pytest.raises(TypeError, match="Could not rebuild 'Dense'"):
        keras.layers.deserialize(config)
