"""`keras.legacy.saving`: Keras 2's `serialize_keras_object` / `deserialize_keras_object`
(the `{"class_name", "config"}` dialect; see `nanokeras/saving/legacy/legacy_serialization.py`)."""

from nanokeras.saving.legacy.legacy_serialization import deserialize_keras_object, serialize_keras_object

__all__ = ["deserialize_keras_object", "serialize_keras_object"]
