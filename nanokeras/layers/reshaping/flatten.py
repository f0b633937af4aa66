"""`Flatten`: collapses every axis but the batch axis into one."""

import math

from nanokeras.backend import config as backend_config
from nanokeras.layers.layer import Layer
from nanokeras.ops import numpy as ops


class Flatten(Layer):
    """Flattens the input, keeping the batch axis: `(batch, d1, d2, ...) -> (batch, d1*d2*...)`.

    Args:
        data_format: `"channels_last"` (default, from `keras.config.image_data_format()`)
            or `"channels_first"`; with channels first the channel axis is moved last
            before flattening, so the element order matches a channels-last model.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.Flatten()(np.zeros((2, 3, 4), dtype="float32")).shape
        (2, 12)
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    _replayable = True

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if data_format is None:
            data_format = backend_config.image_data_format()
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                f"Flatten: `data_format` must be 'channels_last' or 'channels_first', got {data_format!r}."
            )
        self.data_format = data_format
        self.built = True

    def call(self, inputs):
        shape = inputs.shape
        if len(shape) == 0:
            raise ValueError(f"Flatten {self.name!r} needs inputs of rank >= 1 (with a batch axis), got a scalar.")
        if self.data_format == "channels_first" and len(shape) > 2:
            inputs = ops.transpose(inputs, (0,) + tuple(range(2, len(shape))) + (1,))
        return ops.reshape(inputs, (shape[0], math.prod(shape[1:])))

    def compute_output_spec(self, inputs):
        return self._same_dtype_spec(inputs)  # integer inputs give integer outputs, as in Keras

    def compute_output_shape(self, input_shape):
        rest = tuple(input_shape[1:])
        if not rest:
            return (input_shape[0], 1)
        if any(d is None for d in rest):
            return (input_shape[0], None)
        return (input_shape[0], math.prod(rest))

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
