"""Keras 2's `keras.engine.base_layer` (see `keras2_names`)."""

from nanokeras.engine import keras2_names

__getattr__ = keras2_names.module_getattr("keras.engine.base_layer")
__all__ = sorted(keras2_names.NAMES)  # a star import gives the lent names, not `keras2_names`
