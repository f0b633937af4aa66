"""`AveragePooling3D`: 3-D average pooling."""

from nanokeras.layers.pooling.base_pooling import BasePooling
from nanokeras.utils import keras2_notes


class AveragePooling3D(BasePooling):
    """The mean of each window over depth, height and width (see `BasePooling` for the arguments).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.AveragePooling3D(2)(np.ones((2, 4, 4, 4, 3), dtype="float32")).shape
        (2, 2, 2, 2, 3)
    """

    _rank, _mode = 3, "average"

    def __init__(self, pool_size=None, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        if pool_size is None:  # Keras 2's default; Keras 3 requires the argument
            keras2_notes.note("pooling_default_size", used="`AveragePooling3D()` without `pool_size`",
                              instead="`AveragePooling3D(pool_size=(2, 2, 2))`")
            pool_size = (2, 2, 2)
        super().__init__(pool_size, strides, padding=padding, data_format=data_format, name=name, **kwargs)
