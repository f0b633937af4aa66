"""Keras 2's `keras.layers.noise` module (see `keras2_modules`): its layers are on `keras.layers`."""

from nanokeras.layers import keras2_modules

__getattr__ = keras2_modules.module_getattr("noise")


def __dir__():
    return sorted(keras2_modules.NAMES["noise"])
