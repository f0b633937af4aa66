"""`GlobalMaxPooling1D`: the maximum over the steps, per channel."""

from nanokeras.layers.pooling.base_global_pooling import BaseGlobalPooling
from nanokeras.ops import numpy as np_ops


class GlobalMaxPooling1D(BaseGlobalPooling):
    """The maximum of each channel over the steps (see `BaseGlobalPooling`).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.GlobalMaxPooling1D()(np.ones((2, 5, 3), dtype="float32")).shape
        (2, 3)
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    _reduce = staticmethod(np_ops.max)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)
