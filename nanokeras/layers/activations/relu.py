"""`ReLU`: the rectified linear unit as a layer, with Keras's cap, leak and threshold."""

import numbers

from nanokeras import activations
from nanokeras.layers.layer import Layer


def _non_negative(name, value, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
        raise ValueError(f"{name} of a ReLU layer cannot be None or a negative value. Received: {name}={value!r}")
    return value


class ReLU(Layer):
    """`max(x, 0)`, capped at `max_value`, with slope `negative_slope` below `threshold`:
    `x` for `threshold <= x < max_value`, `max_value` above, `negative_slope * (x - threshold)` below.

    Args:
        max_value: the largest output (None: no cap); >= 0.
        negative_slope: the slope below `threshold`; >= 0.
        threshold: where the unit turns on; >= 0.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.ReLU(max_value=10, negative_slope=0.5)
        >>> layer(np.array([-10.0, -5.0, 0.0, 5.0, 10.0], dtype="float32")).tolist()
        [-5.0, -2.5, 0.0, 5.0, 10.0]
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    _replayable = True

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = _non_negative("max_value", max_value, allow_none=True)
        self.negative_slope = _non_negative("negative_slope", negative_slope)
        self.threshold = _non_negative("threshold", threshold)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"max_value": self.max_value, "negative_slope": self.negative_slope,
                       "threshold": self.threshold})
        return config
