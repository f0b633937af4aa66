"""Keras 2's `keras.layers.advanced_activations` module (see `keras2_modules`): its layers are on `keras.layers`."""

from nanokeras.layers import keras2_modules

__getattr__ = keras2_modules.module_getattr("advanced_activations")


def __dir__():
    return sorted(keras2_modules.NAMES["advanced_activations"])
