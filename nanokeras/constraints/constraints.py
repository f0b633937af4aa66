"""Weight constraints: projections applied to a weight after each optimizer update.

Example:
    >>> import numpy as np
    >>> from nanokeras.constraints import NonNeg
    >>> NonNeg()(np.array([-1.0, 2.0], dtype="float32")).tolist()
    [0.0, 2.0]
"""

import numpy as np

from nanokeras import ops
from nanokeras.backend import config
from nanokeras.ops.tensor import value_of
from nanokeras.utils.keyword_arguments import check_keyword_arguments


def _as_weight(w):
    # Constraints see the variable (optimizer) or an array (direct call): work on its value.
    value = value_of(w)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value
    return np.asarray(value, dtype=config.floatx())


def _norms(w, axis):
    return ops.sqrt(ops.sum(ops.square(w), axis=_axis(axis), keepdims=True))


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


class Constraint:
    """Base class: `__call__(w)` returns the projected weight (the identity here).

    Example:
        >>> import numpy as np
        >>> from nanokeras.constraints import Constraint
        >>> class Clip(Constraint):
        ...     def __call__(self, w):
        ...         return np.clip(w, -1, 1)
        >>> Clip()(np.array([-3.0, 0.5])).tolist()
        [-1.0, 0.5]
    """

    def __new__(cls, *args, **kwargs):
        # Before `__init__`: a misspelt argument gets "did you mean ...?", not Python's TypeError.
        check_keyword_arguments(cls, kwargs)
        return super().__new__(cls)

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales each slice along `axis` whose L2 norm exceeds `max_value` (default 2).

    For a `Dense` kernel `(input_dim, units)`, `axis=0` constrains each unit's
    incoming weights.

    Example:
        >>> import numpy as np
        >>> from nanokeras.constraints import MaxNorm
        >>> MaxNorm(1.0)(np.array([[3.0], [4.0]])).round(4).astype(float).tolist()
        [[0.6], [0.8]]
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = _as_weight(w)
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0, self.max_value)
        return w * (desired / (norms.dtype.type(config.epsilon()) + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Replaces negative weights by 0."""

    def __call__(self, w):
        w = _as_weight(w)
        return ops.maximum(w, w.dtype.type(0))


class UnitNorm(Constraint):
    """Scales each slice along `axis` to unit L2 norm.

    Example:
        >>> import numpy as np
        >>> from nanokeras.constraints import UnitNorm
        >>> UnitNorm()(np.array([[3.0], [4.0]])).round(4).tolist()
        [[0.6], [0.8]]
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = _as_weight(w)
        norms = _norms(w, self.axis)
        return w / (norms.dtype.type(config.epsilon()) + norms)

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each slice's L2 norm into `[min_value, max_value]`, at `rate` (1 = at once).

    The new norm is `rate * clip(norm, min_value, max_value) + (1 - rate) * norm`.

    Example:
        >>> import numpy as np
        >>> from nanokeras.constraints import MinMaxNorm
        >>> w = MinMaxNorm(min_value=1.0, max_value=2.0)(np.array([[0.3], [0.4]], dtype="float32"))
        >>> round(float(np.linalg.norm(w)), 4)
        1.0
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = _as_weight(w)
        norms = _norms(w, self.axis)
        f = norms.dtype.type
        desired = f(self.rate) * ops.clip(norms, self.min_value, self.max_value) + f(1 - self.rate) * norms
        return w * (desired / (f(config.epsilon()) + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}
