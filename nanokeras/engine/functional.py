"""Keras 2's `keras.engine.functional` (see `keras2_names`)."""

from nanokeras.engine import keras2_names

__getattr__ = keras2_names.module_getattr("keras.engine.functional")
__all__ = sorted(keras2_names.NAMES)  # a star import gives the lent names, not `keras2_names`
