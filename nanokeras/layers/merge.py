"""Keras 2's `keras.layers.merge` module (see `keras2_modules`): its layers are on `keras.layers`."""

from nanokeras.layers import keras2_modules

__getattr__ = keras2_modules.module_getattr("merge")


def __dir__():
    return sorted(keras2_modules.NAMES["merge"])
