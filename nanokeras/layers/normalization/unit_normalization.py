"""`UnitNormalization`: scales each sample to unit L2 norm."""

import numpy as np

from nanokeras.layers._argument_checks import check_axes_in_rank, check_axis_list
from nanokeras.layers.layer import Layer
from nanokeras.ops import math as math_ops
from nanokeras.ops import numpy as ops


class UnitNormalization(Layer):
    """Divides each sample by its L2 norm over `axis`: `x / ||x||` (all-zero samples stay zero).

    Args:
        axis: an int or a list of ints: the axes the norm is taken over.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.UnitNormalization()(np.array([[3.0, 4.0]], dtype="float32")).tolist()
        [[0.6000000238418579, 0.800000011920929]]
    """

    _replayable = True

    def __init__(self, axis=-1, **kwargs):
        axis = check_axis_list("UnitNormalization", axis)
        super().__init__(**kwargs)
        self.supports_masking = True
        self.axis = axis
        self.built = True

    def call(self, inputs):
        axes = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        check_axes_in_rank(f"UnitNormalization {self.name!r}", self.axis, inputs.shape)
        square_sum = ops.sum(ops.square(inputs), axis=axes, keepdims=True)
        # rsqrt(0) is inf; capping at 1/1e-12 (as Keras) keeps zero samples at zero.
        with np.errstate(divide="ignore"):
            inv_norm = ops.minimum(math_ops.rsqrt(square_sum), np.asarray(1e12, dtype=inputs.dtype))
        return ops.multiply(inputs, inv_norm)

    def compute_output_shape(self, input_shape):
        check_axes_in_rank(f"UnitNormalization {self.name!r}", self.axis, input_shape)
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
