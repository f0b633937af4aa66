"""`MaxPooling1D`: 1-D max pooling."""

from nanokeras.layers.pooling.base_pooling import BasePooling


class MaxPooling1D(BasePooling):
    """The maximum of each window along the steps (see `BasePooling` for the arguments).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.MaxPooling1D()(np.ones((2, 8, 3), dtype="float32")).shape
        (2, 4, 3)
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    _rank, _mode = 1, "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, padding=padding, data_format=data_format, name=name, **kwargs)
