"""`GlobalAveragePooling1D`: the mean over the steps, per channel."""

from nanokeras.layers.pooling.base_global_pooling import BaseGlobalPooling
from nanokeras.ops import numpy as np_ops


class GlobalAveragePooling1D(BaseGlobalPooling):
    """The mean of each channel over the steps (see `BaseGlobalPooling`); masked steps are left out.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.GlobalAveragePooling1D()(np.ones((2, 5, 3), dtype="float32")).shape
        (2, 3)
    """

    _reduce = staticmethod(np_ops.mean)
    _replayable = True  # its own `call` (masking with recorded ops)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        axis = self._axes(len(inputs.shape))[0]
        keep = np_ops.expand_dims(np_ops.not_equal(mask, 0), 2 if self.data_format == "channels_last" else 1)
        total = np_ops.sum(np_ops.where(keep, inputs, 0.0), axis=axis, keepdims=self.keepdims)
        counts = np_ops.sum(np_ops.where(keep, 1.0, 0.0), axis=axis, keepdims=self.keepdims)
        return np_ops.divide(total, counts)

    def compute_mask(self, inputs, mask=None):
        return None
