"""`ActivityRegularization`: adds an L1/L2 penalty on its input to the model's losses."""

import math
import numbers

from nanokeras.layers.layer import Layer
from nanokeras.ops import numpy as ops


class _L1L2Activity:
    """`l1 * sum(|x|) + l2 * sum(x**2)` (the layer base divides it by the batch size)."""

    def __init__(self, l1, l2):
        self.l1, self.l2 = l1, l2

    def __call__(self, x):
        loss = None
        if self.l1:
            loss = ops.multiply(ops.sum(ops.abs(x)), self.l1)
        if self.l2:
            term = ops.multiply(ops.sum(ops.square(x)), self.l2)
            loss = term if loss is None else ops.add(loss, term)
        if loss is None:
            return ops.zeros((), dtype=x.dtype)
        return loss

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


def _check_penalty(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
        raise ValueError(f"ActivityRegularization: `{name}` must be a non-negative float, got {name}={value!r}.")
    return value


class ActivityRegularization(Layer):
    """Returns its input unchanged and adds `(l1 * sum|x| + l2 * sum x**2) / batch_size`
    to `layer.losses` (and so to the training loss), as Keras 3 does.

    Args:
        l1: the L1 factor (non-negative).
        l2: the L2 factor (non-negative).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.ActivityRegularization(l1=0.1)
        >>> _ = layer(np.array([[1.0, -2.0], [3.0, 0.0]], dtype="float32"))
        >>> round(float(layer.losses[0]), 4)  # 0.1 * 6 / 2
        0.3
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    # Identity, and a penalty computed with ops: nothing a compiled step could not replay.
    _replayable = True

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)
        _check_penalty("l1", l1)
        _check_penalty("l2", l2)
        super().__init__(activity_regularizer=_L1L2Activity(float(l1), float(l2)), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        config.update({"l1": self.l1, "l2": self.l2})
        return config
