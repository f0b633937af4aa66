"""Keras 2's `keras.engine` (`from keras.engine.topology import Layer`, `keras.engine.training.Model`).

Keras 3 has no `keras.engine`: `Layer`, `InputSpec`, `Input`, `InputLayer`, `Model` and
`Sequential` are on `keras.layers` and `keras`. Here `keras.engine` and its Keras 2 submodules
resolve those names on first use, with a note on the Keras 3 spelling.
"""

from nanokeras.engine import keras2_names

__getattr__ = keras2_names.module_getattr("keras.engine")
__all__ = sorted(keras2_names.NAMES)  # a star import gives the lent names, not `keras2_names`
