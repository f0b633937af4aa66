"""Weight penalties added to the loss: L1, L2, L1L2 and OrthogonalRegularizer (Keras 3 formulas).

A regularizer is called on a weight and returns a scalar computed with
`nanokeras.ops`, so the penalty is differentiable on a `GradientTape`.

Example:
    >>> import numpy as np
    >>> from nanokeras.regularizers import L2
    >>> float(L2(2.0)(np.ones((5, 5), dtype="float32")))
    50.0
"""

import math

import numpy as np

from nanokeras import ops
from nanokeras.backend import config
from nanokeras.ops.tensor import value_of
from nanokeras.utils.keyword_arguments import check_keyword_arguments


def _dtype_of(x):
    dtype = getattr(x, "dtype", None)
    if dtype is None or np.dtype(dtype).kind != "f":
        return np.dtype(config.floatx())
    return np.dtype(dtype)


def _as_float_input(x):
    # Lists and integer arrays are penalized as floatx, as Keras converts them.
    if isinstance(x, (list, tuple, int, float)) or np.dtype(getattr(x, "dtype", "float64")).kind != "f":
        return ops.convert_to_tensor(np.asarray(value_of(x), dtype=config.floatx()))
    return x


def validate_float_arg(value, name):
    """`value` as a float if it is a finite number >= 0, else a ValueError naming `name`."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (float, int, np.floating, np.integer))
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative finite float. "
            f"Received: {name}={value!r}"
        )
    return float(value)


class Regularizer:
    """Base class: a callable `weight -> scalar penalty` with `get_config`.

    Any function of one weight returning a scalar also works as a regularizer.

    Example:
        >>> from nanokeras import ops
        >>> from nanokeras.regularizers import Regularizer
        >>> class Half(Regularizer):
        ...     def __call__(self, x):
        ...         return 0.5 * ops.sum(ops.square(x))
        ...     def get_config(self):
        ...         return {}
        >>> float(Half()([1.0, 2.0]))
        2.5
    """

    def __new__(cls, *args, **kwargs):
        # Before `__init__`: a misspelt argument gets "did you mean ...?", not Python's TypeError.
        check_keyword_arguments(cls, kwargs)
        return super().__new__(cls)

    def __call__(self, x):
        return 0.0

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")


class L1L2(Regularizer):
    """`l1 * sum(abs(x)) + l2 * sum(square(x))`; both factors default to 0.

    As a string (`'l1_l2'`) both factors are 0.01 (see `l1_l2`).

    Example:
        >>> from nanokeras.regularizers import L1L2
        >>> float(L1L2(l1=0.5, l2=0.25)([1.0, -2.0]))
        2.75
    """

    def __init__(self, l1=0.0, l2=0.0):
        l1 = 0.0 if l1 is None else l1
        l2 = 0.0 if l2 is None else l2
        self.l1 = validate_float_arg(l1, name="l1")
        self.l2 = validate_float_arg(l2, name="l2")

    def __call__(self, x):
        x = _as_float_input(x)
        dtype = _dtype_of(x)
        penalty = None
        if self.l1 != 0.0:
            penalty = dtype.type(self.l1) * ops.sum(ops.absolute(x))
        if self.l2 != 0.0:
            term = dtype.type(self.l2) * ops.sum(ops.square(x))
            penalty = term if penalty is None else penalty + term
        if penalty is None:
            return np.asarray(0.0, dtype=dtype)[()]
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """`l1 * sum(abs(x))`, `l1=0.01` by default.

    Example:
        >>> from nanokeras.regularizers import L1
        >>> float(L1(0.5)([1.0, -3.0]))
        2.0
    """

    def __init__(self, l1=0.01):
        l1 = 0.01 if l1 is None else l1
        self.l1 = validate_float_arg(l1, name="l1")

    def __call__(self, x):
        x = _as_float_input(x)
        return _dtype_of(x).type(self.l1) * ops.sum(ops.absolute(x))

    def get_config(self):
        # Keras keeps this factor as a float32 tensor, so its config shows the float32 value.
        return {"l1": float(np.float32(self.l1))}


class L2(Regularizer):
    """`l2 * sum(square(x))`, `l2=0.01` by default (no factor 1/2, as in Keras).

    Example:
        >>> from nanokeras.regularizers import L2
        >>> float(L2(0.5)([1.0, -3.0]))
        5.0
    """

    def __init__(self, l2=0.01):
        l2 = 0.01 if l2 is None else l2
        self.l2 = validate_float_arg(l2, name="l2")

    def __call__(self, x):
        x = _as_float_input(x)
        return _dtype_of(x).type(self.l2) * ops.sum(ops.square(x))

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a rank-2 weight towards being orthogonal.

    The penalty is `factor * 0.5 * sum(|G - diag(G)|) / (n (n - 1) / 2)` where `G`
    is the Gram matrix of the L2-normalized rows (`mode="rows"`) or columns.

    Example:
        >>> import numpy as np
        >>> from nanokeras.regularizers import OrthogonalRegularizer
        >>> float(OrthogonalRegularizer(1.0)(np.eye(3, dtype="float32")))
        0.0
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = validate_float_arg(factor, name="factor")
        if mode not in ("rows", "columns"):
            raise ValueError(
                'Invalid value for argument `mode`. Expected one of {"rows", "columns"}. '
                f"Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, inputs):
        inputs = _as_float_input(inputs)
        shape = tuple(np.shape(value_of(inputs)))
        if len(shape) != 2:
            raise ValueError(
                f"Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape={shape}"
            )
        dtype = _dtype_of(inputs)
        axis = 1 if self.mode == "rows" else 0
        # Keras's L2 normalization: x * min(rsqrt(sum(x^2)), 1/epsilon).
        inv_norm = ops.minimum(
            ops.rsqrt(ops.sum(ops.square(inputs), axis=axis, keepdims=True)),
            dtype.type(1.0 / config.epsilon()),
        )
        unit = inputs * inv_norm
        if self.mode == "rows":
            product = ops.matmul(unit, ops.transpose(unit))
            size = shape[0]
        else:
            product = ops.matmul(ops.transpose(unit), unit)
            size = shape[1]
        off_diagonal = product * (dtype.type(1.0) - np.eye(size, dtype=dtype))
        num_pairs = size * (size - 1.0) / 2.0
        return dtype.type(self.factor) * dtype.type(0.5) * ops.sum(ops.absolute(off_diagonal)) / dtype.type(num_pairs)

    def get_config(self):
        return {"factor": float(np.float32(self.factor)), "mode": self.mode}  # float32, as Keras
