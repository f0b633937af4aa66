"""Keras 2's module paths for layers: `from keras.layers.core import Dense`, `keras.layers.recurrent`, ...

Keras 2 tutorials import layers from the modules that defined them (`keras.layers.core`,
`keras.layers.convolutional`, `keras.layers.recurrent`, `keras.layers.merge`, ...; and
`keras.engine.topology.Layer` for custom layers). Keras 3 publishes every layer on
`keras.layers` alone. Each of those paths here is a thin module whose names resolve, on
first use, to the `keras.layers` class, with a note on the Keras 3 spelling.
"""

from nanokeras.utils import keras2_notes

_POOLING = tuple(f"{kind}{d}D" for kind in ("MaxPooling", "AveragePooling", "GlobalMaxPooling",
                                             "GlobalAveragePooling", "MaxPool", "AvgPool", "GlobalMaxPool",
                                             "GlobalAvgPool") for d in (1, 2, 3))
_MERGING = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot")

# Keras 2 module (under `keras.layers`) -> the names Keras 2 published in it
NAMES = {
    "core": ("Dense", "Activation", "Dropout", "Flatten", "Reshape", "Permute", "RepeatVector", "Lambda",
             "ActivityRegularization", "Masking", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"),
    "convolutional": tuple(f"{kind}{d}D" for kind in ("Conv", "Convolution", "UpSampling", "ZeroPadding",
                                                        "Cropping") for d in (1, 2, 3)) + (
        "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D",
        "DepthwiseConv1D", "DepthwiseConv2D"),
    "pooling": _POOLING,
    "normalization": ("BatchNormalization", "LayerNormalization"),
    "recurrent": ("RNN", "SimpleRNN", "GRU", "LSTM", "SimpleRNNCell", "GRUCell", "LSTMCell", "StackedRNNCells"),
    "embeddings": ("Embedding",),
    "merge": _MERGING + tuple(name.lower() for name in _MERGING),
    "advanced_activations": ("LeakyReLU", "PReLU", "ELU", "ReLU", "Softmax"),
    "wrappers": ("Wrapper", "TimeDistributed", "Bidirectional"),
    "noise": ("GaussianNoise", "GaussianDropout", "AlphaDropout"),
}


def module_getattr(module):
    """The `__getattr__` of `nanokeras.layers.<module>` for Keras 2's names in it."""

    def resolve(name):
        import nanokeras.layers

        return getattr(nanokeras.layers, name)

    return keras2_notes.lent_getattr(f"keras.layers.{module}", NAMES[module], "layers_modules", resolve,
                                     instead=lambda name: f"`from keras.layers import {name}`",
                                     used="`from {public} import {name}`")
