"""Keras 2's `keras.layers.embeddings` module (see `keras2_modules`): its layers are on `keras.layers`."""

from nanokeras.layers import keras2_modules

__getattr__ = keras2_modules.module_getattr("embeddings")


def __dir__():
    return sorted(keras2_modules.NAMES["embeddings"])
