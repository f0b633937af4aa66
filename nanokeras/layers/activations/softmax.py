"""`Softmax`: normalizes logits into probabilities along one axis or several, optionally masked."""

import numpy as np

from nanokeras import activations
from nanokeras.layers._argument_checks import check_axis_list
from nanokeras.layers.layer import Layer
from nanokeras.ops import math as math_ops
from nanokeras.ops import numpy as ops
from nanokeras.ops.tensor import value_of


def _large_negative_number(dtype):
    """A logit that softmax turns into 0 without overflowing `dtype` (as Keras uses)."""
    return -3e4 if np.dtype(dtype) == np.float16 else -1e9


class Softmax(Layer):
    """`exp(x) / sum(exp(x))` along `axis`.

    Args:
        axis: an int, or a list of ints to normalize over several axes at once.

    Call arguments:
        inputs: the logits.
        mask: optional, broadcastable to `inputs`: 1/True keeps an entry, 0/False gives it a
            probability of 0.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> [round(float(p), 6) for p in keras.layers.Softmax()(np.array([1.0, 2.0, 1.0], dtype="float32"))]
        [0.211942, 0.576117, 0.211942]
    """

    _replayable = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = check_axis_list("Softmax", axis)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = self._boolean_mask(inputs, mask)
            inputs = ops.where(mask, inputs, _large_negative_number(inputs.dtype))
        if isinstance(self.axis, list) and len(self.axis) > 1:
            axes = tuple(self.axis)
            outputs = ops.exp(ops.subtract(inputs, math_ops.logsumexp(inputs, axis=axes, keepdims=True)))
        else:
            axis = self.axis[0] if isinstance(self.axis, list) else self.axis
            outputs = activations.softmax(inputs, axis=axis)
        if mask is not None:
            outputs = ops.where(mask, outputs, 0.0)
        return outputs

    def _boolean_mask(self, inputs, mask):
        mask_shape, input_shape = np.shape(value_of(mask)), tuple(inputs.shape)
        if len(mask_shape) > len(input_shape) or any(
                m != 1 and m != i for m, i in zip(mask_shape[::-1], input_shape[::-1])):
            raise ValueError(
                "The `mask` must be broadcastable to `inputs`: each mask dimension must be 1 or match the "
                f"input's. Received: inputs.shape={input_shape}, mask.shape={mask_shape}"
            )
        if np.asarray(value_of(mask)).dtype != bool:
            mask = ops.greater(mask, 0.5)
        return mask

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
