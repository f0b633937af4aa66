"""`GlobalAveragePooling3D`: the mean over depth, height and width, per channel."""

from nanokeras.layers.pooling.base_global_pooling import BaseGlobalPooling
from nanokeras.ops import numpy as np_ops


class GlobalAveragePooling3D(BaseGlobalPooling):
    """The mean of each channel over depth, height and width (see `BaseGlobalPooling`).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.GlobalAveragePooling3D()(np.ones((2, 4, 4, 4, 3), dtype="float32")).shape
        (2, 3)
    """

    _reduce = staticmethod(np_ops.mean)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)
