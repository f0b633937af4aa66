"""`keras.legacy.saving` / `keras.utils.legacy`: Keras 2's `{"class_name", "config"}` dialect."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.legacy import saving as legacy


def test_both_namespaces_hold_the_same_functions():
    assert keras.utils.legacy.serialize_keras_object is legacy.serialize_keras_object
    assert keras.utils.legacy.deserialize_keras_object is legacy.deserialize_keras_object
    assert {"serialize_keras_object", "deserialize_keras_object"} <= set(dir(keras.utils.legacy))
    assert "saving" in dir(keras.legacy) and "legacy" in dir(keras.utils) and "legacy" in dir(keras)


def test_serialize_has_no_module_keys_and_marks_nested_objects():
    config = legacy.serialize_keras_object(keras.regularizers.L1L2(l1=0.5, l2=0.25))
    assert config == {"class_name": "L1L2", "config": {"l1": 0.5, "l2": 0.25}}

    class Holder:
        def get_config(self):
            return {"initializer": keras.initializers.Constant(3.0), "fn": keras.activations.relu,
                    "size": 4, "name": "h", "shape": [1, 2], "nothing": None}

    config = legacy.serialize_keras_object(Holder())
    assert config["class_name"] == "Holder"
    assert config["config"] == {
        "initializer": {"class_name": "Constant", "config": {"value": 3.0}, "__passive_serialization__": True},
        "fn": "relu", "size": 4, "name": "h", "shape": [1, 2], "nothing": None,
    }


def test_functions_none_and_errors():
    assert legacy.serialize_keras_object(None) is None
    assert legacy.serialize_keras_object(keras.activations.softmax) == "softmax"
    with pytest.raises(ValueError, match=r"get_config"):
        legacy.serialize_keras_object(3.5)


def test_round_trip_with_module_objects():
    regularizer = keras.regularizers.L2(0.125)
    config = legacy.serialize_keras_object(regularizer)
    rebuilt = legacy.deserialize_keras_object(config, module_objects={"L2": keras.regularizers.L2})
    assert type(rebuilt) is keras.regularizers.L2 and rebuilt.l2 == 0.125


def test_nested_passive_objects_and_function_names_are_rebuilt():
    class Box:
        def __init__(self, initializer, fn, name):
            self.initializer, self.fn, self.name = initializer, fn, name

        def get_config(self):
            return {"initializer": self.initializer, "fn": self.fn, "name": self.name}

        @classmethod
        def from_config(cls, config):
            return cls(**config)

    def double(x):
        return 2 * x

    config = legacy.serialize_keras_object(Box(keras.initializers.Constant(2.0), double, "double"))
    objects = {"Box": Box, "Constant": keras.initializers.Constant, "double": double}
    box = legacy.deserialize_keras_object(config, custom_objects=objects)
    assert box.fn is double and box.name == "double"  # "name" is never turned into a function
    assert isinstance(box.initializer, keras.initializers.Constant) and box.initializer.value == 2.0


def test_names_resolve_through_scopes_and_classes_are_instantiated():
    assert legacy.deserialize_keras_object("relu", module_objects={"relu": keras.activations.relu}) \
        is keras.activations.relu
    with keras.saving.custom_object_scope({"Zeros": keras.initializers.Zeros}):
        assert isinstance(legacy.deserialize_keras_object("Zeros"), keras.initializers.Zeros)
    assert legacy.deserialize_keras_object(None) is None


def test_unknown_names_and_bad_configs_are_clear_errors():
    with pytest.raises(ValueError, match=r"Unknown layer: 'Dense'.*custom_objects"):
        legacy.deserialize_keras_object({"class_name": "Dense", "config": {}}, printable_module_name="layer")
    with pytest.raises(ValueError, match=r"Unknown object: 'nope'"):
        legacy.deserialize_keras_object("nope")
    with pytest.raises(ValueError, match=r"`class_name` and `config`"):
        legacy.deserialize_keras_object({"class_name": "Dense"})
    with pytest.raises(ValueError, match=r"Could not interpret serialized object"):
        legacy.deserialize_keras_object(3)


def test_layer_round_trip_through_keras2_dialect():
    layer = keras.layers.Dense(3, activation="relu", kernel_regularizer=keras.regularizers.L2(0.1), name="d")
    config = legacy.serialize_keras_object(layer)
    assert config["class_name"] == "Dense" and "module" not in config
    rebuilt = legacy.deserialize_keras_object(config, module_objects={"Dense": keras.layers.Dense})
    assert rebuilt.get_config() == layer.get_config()
