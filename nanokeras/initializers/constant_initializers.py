"""Deterministic initializers: `Zeros`, `Ones`, `Constant`, `Identity`.

Example:
    >>> import nanokeras as keras
    >>> keras.initializers.Constant(3.0)((2,)).tolist()
    [3.0, 3.0]
    >>> keras.initializers.Identity()((2, 2)).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
"""

import numbers

import numpy as np

from nanokeras.ops.variable import standardize_dtype
from nanokeras.initializers.initializer import Initializer, standardize_shape


class Zeros(Initializer):
    """Fills with 0 (any numeric or bool dtype; floatx by default).

    Example:
        >>> import nanokeras as keras
        >>> keras.initializers.Zeros()((2, 1)).tolist()
        [[0.0], [0.0]]
    """

    def __call__(self, shape, dtype=None):
        return np.zeros(standardize_shape(shape), dtype=standardize_dtype(dtype))


class Ones(Initializer):
    """Fills with 1 (any numeric or bool dtype; floatx by default).

    Example:
        >>> import nanokeras as keras
        >>> keras.initializers.Ones()((2,), dtype="int32").tolist()
        [1, 1]
    """

    def __call__(self, shape, dtype=None):
        return np.ones(standardize_shape(shape), dtype=standardize_dtype(dtype))


def _to_python(value):
    # Configs must survive json.dumps, which rejects numpy scalars and arrays.
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


class Constant(Initializer):
    """Fills with `value` (a scalar, or an array that broadcasts to the shape).

    Example:
        >>> import nanokeras as keras
        >>> keras.initializers.Constant(value=2)((1, 2)).tolist()
        [[2.0, 2.0]]
    """

    def __init__(self, value=0.0):
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise ValueError(
                f"Constant `value` must be a number (or array of numbers), got {value!r}."
            )
        self.value = value

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        dtype = standardize_dtype(dtype)
        value = np.asarray(self.value)
        try:
            return np.array(np.broadcast_to(value.astype(dtype), shape))
        except ValueError:
            raise ValueError(
                f"Constant value of shape {value.shape} cannot fill a weight of shape {shape}. "
                "Pass a scalar, or an array that broadcasts to the weight's shape."
            ) from None

    def get_config(self):
        return {"value": _to_python(self.value)}


class Identity(Initializer):
    """`gain` times the identity matrix; for 2-D shapes only (non-square gives ones on the diagonal).

    Example:
        >>> import nanokeras as keras
        >>> keras.initializers.Identity(gain=2.0)((2, 3)).tolist()
        [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]]
    """

    def __init__(self, gain=1.0):
        if not isinstance(gain, numbers.Real):
            raise ValueError(f"Identity `gain` must be a number, got {gain!r}.")
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        if len(shape) != 2:
            raise ValueError(
                "The Identity initializer only builds 2-D matrices, got "
                f"shape={shape} of rank {len(shape)}."
            )
        dtype = standardize_dtype(dtype)
        return (self.gain * np.eye(shape[0], shape[1], dtype=dtype)).astype(dtype)

    def get_config(self):
        return {"gain": _to_python(self.gain)}
