"""`AveragePooling1D`: 1-D average pooling."""

from nanokeras.layers.pooling.base_pooling import BasePooling
from nanokeras.utils import keras2_notes


class AveragePooling1D(BasePooling):
    """The mean of each window along the steps (see `BasePooling` for the arguments).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.AveragePooling1D(2)(np.ones((2, 8, 3), dtype="float32")).shape
        (2, 4, 3)
    """

    _rank, _mode = 1, "average"

    def __init__(self, pool_size=None, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        if pool_size is None:  # Keras 2's default; Keras 3 requires the argument
            keras2_notes.note("pooling_default_size", used="`AveragePooling1D()` without `pool_size`",
                              instead="`AveragePooling1D(pool_size=2)`")
            pool_size = 2
        super().__init__(pool_size, strides, padding=padding, data_format=data_format, name=name, **kwargs)
