"""`LeakyReLU`: `x` for `x >= 0`, `negative_slope * x` below."""

import numbers
import warnings

from nanokeras import activations
from nanokeras.layers.layer import Layer


class LeakyReLU(Layer):
    """A ReLU that lets a small gradient through below zero: `negative_slope * x` for `x < 0`.

    Args:
        negative_slope: the slope below zero (0.3 by default, as Keras's layer; the
            `leaky_relu` function's default is 0.2). Keras 2's `alpha=` is accepted with a warning.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.LeakyReLU(negative_slope=0.5)(np.array([-2.0, 3.0], dtype="float32")).tolist()
        [-1.0, 3.0]
    """

    _replayable = True
    _extra_keywords = ("alpha",)  # Keras 2's name, read from `**kwargs` with a deprecation warning

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.", stacklevel=2)
        super().__init__(**kwargs)
        if isinstance(negative_slope, bool) or not isinstance(negative_slope, numbers.Real) or negative_slope < 0:
            raise ValueError(
                "The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
                f"Expected a float. Received: negative_slope={negative_slope!r}"
            )
        self.negative_slope = negative_slope
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config
