"""`keras.saving`: save and load models and weights: `.keras` / `.weights.h5` (Keras 3), `.h5` (Keras 2).

Example:
    >>> import os, tempfile, nanokeras as keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.keras")
    >>> model.save(path)
    >>> keras.saving.load_model(path).layers[0].units
    1
"""

from nanokeras.saving.file_editor import KerasFileEditor
from nanokeras.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from nanokeras.saving.limits import get_load_limits, load_limits, set_load_limits
from nanokeras.saving.saving_api import load_model, load_weights, save_model, save_weights
from nanokeras.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

__all__ = [
    "KerasFileEditor", "CustomObjectScope", "custom_object_scope", "get_custom_objects", "get_registered_name",
    "get_registered_object", "register_keras_serializable", "load_model", "load_weights",
    "save_model", "save_weights", "deserialize_keras_object", "serialize_keras_object",
    "get_load_limits", "load_limits", "set_load_limits",
]
