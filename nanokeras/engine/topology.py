"""Keras 2's `keras.engine.topology` (see `keras2_names`)."""

from nanokeras.engine import keras2_names

__getattr__ = keras2_names.module_getattr("keras.engine.topology")
