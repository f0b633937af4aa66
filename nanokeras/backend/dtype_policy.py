"""`keras.DTypePolicy`: the dtypes a layer computes in and keeps its weights in.

nanokeras computes in the dtype it stores weights in, so its policies are the float
dtypes (`"float32"`, `"float64"`, `"float16"`); Keras's mixed-precision policies
(`"mixed_float16"`, `"mixed_bfloat16"`) are described but refused by layers.

Example:
    >>> import nanokeras as keras
    >>> policy = keras.DTypePolicy("float64")
    >>> policy.compute_dtype, policy.variable_dtype
    ('float64', 'float64')
    >>> keras.layers.Dense(2, dtype=policy).dtype
    'float64'
"""

import numpy as np

from nanokeras.backend import config

_MIXED = {"mixed_float16": ("float16", "float32"), "mixed_bfloat16": ("bfloat16", "float32")}


class DTypePolicy:
    """A named pair of dtypes: `compute_dtype` (of the computations) and `variable_dtype` (of the weights).

    Args:
        name: a float dtype name (`"float32"`, ...) or `"mixed_float16"`/`"mixed_bfloat16"`;
            None means `keras.config.floatx()`.
    """

    def __init__(self, name=None):
        if name is None:
            name = config.floatx()
        if not isinstance(name, str):
            raise TypeError(
                f"'name' must be a string, such as 'mixed_float16'. Received: name={name!r} (of type "
                f"{type(name).__name__})"
            )
        self._name = name
        if name in _MIXED:
            self._compute_dtype, self._variable_dtype = _MIXED[name]
        else:
            try:
                dtype = np.dtype(name).name
            except TypeError:
                dtype = None
            if dtype is None or np.dtype(dtype).kind not in "fiub":
                raise ValueError(
                    f"Cannot convert {name!r} to a mixed precision DTypePolicy. Valid policies include "
                    "'mixed_float16', 'mixed_bfloat16', and the name of any float dtype such as 'float32'."
                )
            self._compute_dtype = self._variable_dtype = dtype

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute_dtype

    @property
    def variable_dtype(self):
        return self._variable_dtype

    @property
    def quantization_mode(self):
        """None: nanokeras does not quantize."""
        return None

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other._name == self._name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


class FloatDTypePolicy(DTypePolicy):
    """Keras's older name of `DTypePolicy`."""
