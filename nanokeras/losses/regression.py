"""Regression losses as functions: each returns one loss per sample (the mean over the last axis).

`y_true` is cast to the dtype of `y_pred`, and a trailing axis of size 1 on one
side is matched to the other (labels `(n,)` against predictions `(n, 1)`).

Example:
    >>> import numpy as np, nanokeras as keras
    >>> keras.losses.mean_squared_error(np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]]))
    array([0.5])
"""

import math

import numpy as np

from nanokeras import ops
from nanokeras.backend import config
from nanokeras.ops.tensor import TensorOperators, value_of
from nanokeras.losses.loss import squeeze_or_expand_to_same_rank
from nanokeras.losses.symbolic import accepting_symbolic_tensors


def _float_dtype(x):
    dtype = np.asarray(value_of(x)).dtype if not isinstance(x, (np.ndarray, TensorOperators)) else x.dtype
    return dtype if dtype.kind == "f" else np.dtype(config.floatx())


def prepare(y_true, y_pred, match_ranks=True):
    """(y_true, y_pred) as arrays/tensors of y_pred's float dtype, ranks matched."""
    dtype = _float_dtype(y_pred)
    y_pred = _cast(y_pred, dtype)
    y_true = _cast(y_true, dtype)
    if match_ranks:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def _cast(x, dtype):
    if isinstance(x, TensorOperators):
        return x if x.value.dtype == dtype else ops.cast(x, dtype)
    if isinstance(x, np.ndarray) and x.dtype == dtype:
        return x
    return np.asarray(x, dtype=dtype)


@accepting_symbolic_tensors
def mean_squared_error(y_true, y_pred):
    """`mean(square(y_true - y_pred), axis=-1)`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.mean_squared_error(np.array([[1.0, 2.0]]), np.array([[1.0, 4.0]]))
        array([2.])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    return ops.mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1)


@accepting_symbolic_tensors
def mean_absolute_error(y_true, y_pred):
    """`mean(abs(y_true - y_pred), axis=-1)`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.mean_absolute_error(np.array([[1.0, 2.0]]), np.array([[2.0, 5.0]]))
        array([2.])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    return ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)


@accepting_symbolic_tensors
def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.mean_absolute_percentage_error(np.array([[2.0, 4.0]]), np.array([[1.0, 5.0]]))
        array([37.5])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    eps = _float_dtype(y_pred).type(config.epsilon())
    diff = ops.abs(ops.divide(ops.subtract(y_true, y_pred), ops.maximum(ops.abs(y_true), eps)))
    return ops.multiply(100.0, ops.mean(diff, axis=-1))


@accepting_symbolic_tensors
def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.mean_squared_logarithmic_error(np.array([[0.0]]), np.array([[np.e - 1]])).round(4)
        array([1.])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    eps = _float_dtype(y_pred).type(config.epsilon())
    first = ops.log(ops.add(ops.maximum(y_pred, eps), 1.0))
    second = ops.log(ops.add(ops.maximum(y_true, eps), 1.0))
    return ops.mean(ops.square(ops.subtract(first, second)), axis=-1)


def l2_normalize(x, axis=-1):
    """`x / max(norm(x), epsilon)` along `axis`, computed as `x * min(rsqrt(sum(x^2)), 1/eps)`."""
    dtype = _float_dtype(x)
    square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
    with np.errstate(divide="ignore"):  # a zero vector: inf, then capped at 1/eps below
        inv_norm = ops.rsqrt(square_sum)
    inv_norm = ops.minimum(inv_norm, dtype.type(1.0 / config.epsilon()))
    return ops.multiply(x, inv_norm)


@accepting_symbolic_tensors
def cosine_similarity(y_true, y_pred, axis=-1):
    """`-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`: -1 when aligned, 0 when orthogonal.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.cosine_similarity(np.array([[0.0, 2.0]]), np.array([[0.0, 5.0]]))
        array([-1.])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    y_pred = l2_normalize(y_pred, axis=axis)
    y_true = l2_normalize(y_true, axis=axis)
    return ops.negative(ops.sum(ops.multiply(y_true, y_pred), axis=axis))


@accepting_symbolic_tensors
def huber(y_true, y_pred, delta=1.0):
    """Quadratic `0.5 * e^2` for `|e| <= delta`, linear `delta * |e| - 0.5 * delta^2` beyond; mean over the last axis.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.huber(np.array([[0.0, 0.0]]), np.array([[0.5, 3.0]]))
        array([1.3125])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    dtype = _float_dtype(y_pred)
    delta = dtype.type(delta)
    half = dtype.type(0.5)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    quadratic = ops.multiply(half, ops.square(error))
    linear = ops.subtract(ops.multiply(delta, abs_error), half * delta * delta)
    return ops.mean(ops.where(ops.less_equal(abs_error, delta), quadratic, linear), axis=-1)


@accepting_symbolic_tensors
def log_cosh(y_true, y_pred):
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed stably as `x + softplus(-2x) - log(2)`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.log_cosh(np.array([[0.0]]), np.array([[0.0]]))
        array([0.])
    """
    y_true, y_pred = prepare(y_true, y_pred)
    log2 = _float_dtype(y_pred).type(math.log(2.0))
    x = ops.subtract(y_pred, y_true)
    return ops.mean(ops.subtract(ops.add(x, ops.softplus(ops.multiply(x, -2.0))), log2), axis=-1)
