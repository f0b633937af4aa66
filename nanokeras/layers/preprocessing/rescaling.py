"""`Rescaling`: `inputs * scale + offset`, e.g. pixels from [0, 255] to [0, 1]."""

import numbers

import numpy as np

from nanokeras.layers.layer import Layer
from nanokeras.ops import numpy as ops


def _as_config_value(value):
    return value.tolist() if isinstance(value, np.ndarray) else value


class Rescaling(Layer):
    """Multiplies by `scale` and adds `offset`.

    Args:
        scale: a number, or an array broadcast against the last axes (per channel).
        offset: a number or array, added after scaling.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.Rescaling(1 / 127.5, offset=-1)(np.array([[0.0, 255.0]])).tolist()
        [[-1.0, 1.0]]
    """

    _replayable = True

    def __init__(self, scale, offset=0.0, **kwargs):
        for argument, value in (("scale", scale), ("offset", offset)):
            if isinstance(value, bool) or not (
                isinstance(value, numbers.Real) or (hasattr(value, "__len__") and not isinstance(value, str))
            ):
                raise ValueError(f"Rescaling: `{argument}` must be a number or an array of numbers, got {value!r}.")
            if not isinstance(value, numbers.Real):
                array = np.asarray(value)
                if array.dtype.kind not in "fiu":
                    raise ValueError(f"Rescaling: `{argument}` must contain numbers, got {value!r}.")
        super().__init__(**kwargs)
        self.supports_masking = True
        self.scale = scale
        self.offset = offset
        self._scale = np.asarray(scale, dtype=self.dtype)
        self._offset = np.asarray(offset, dtype=self.dtype)
        self.built = True

    def call(self, inputs):
        try:
            return ops.add(ops.multiply(inputs, self._scale), self._offset)
        except ValueError:
            raise ValueError(
                f"Rescaling {self.name!r}: `scale` (shape {self._scale.shape}) and `offset` "
                f"(shape {self._offset.shape}) must broadcast against the input of shape "
                f"{tuple(inputs.shape)}."
            ) from None

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"scale": _as_config_value(self.scale), "offset": _as_config_value(self.offset)})
        return config
