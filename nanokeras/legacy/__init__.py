"""`keras.legacy`: Keras 2's ways kept by Keras 3; `keras.legacy.saving` (de)serializes objects
in Keras 2's `{"class_name", "config"}` dialect."""

from nanokeras.legacy import saving

__all__ = ["saving"]
