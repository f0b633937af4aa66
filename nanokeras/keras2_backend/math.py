"""Keras 2's reductions, elementwise math and comparisons (`K.mean`, `K.square`, `K.clip`, ...).

Each is the `keras.ops` function of the same meaning, with Keras 2's argument
names and its few differences kept: `mean` of booleans is a float mean,
`sqrt` of a negative number is 0, `argmax` gives int64, `cumsum` runs over
axis 0 by default, `clip` takes None for an open bound.

Example:
    >>> import numpy as np
    >>> from nanokeras import keras2_backend as K
    >>> K.mean(K.square(np.array([[1.0, 2.0], [3.0, 4.0]])), axis=1).tolist()
    [2.5, 12.5]
"""

import builtins

import numpy as np

from nanokeras import ops
from nanokeras.backend import config
from nanokeras.keras2_backend.registry import keras2_function
from nanokeras.ops.gradient_utils import to_array


def _kind(x):
    return to_array(x).dtype.kind


def _bool_as_float(x):
    return ops.cast(x, config.floatx()) if _kind(x) == "b" else x


# ------------------------------------------------------------------ reductions
@keras2_function("`keras.ops.sum`")
def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (all axes when None)."""
    return ops.sum(x, axis=axis, keepdims=keepdims)


@keras2_function("`keras.ops.mean`")
def mean(x, axis=None, keepdims=False):
    """Mean over `axis`; booleans count as 0 and 1, integers keep their type (the mean rounded to zero)."""
    if _kind(x) in "iu":  # Keras 2 divided integers as integers (rounding towards zero)
        dtype = to_array(x).dtype
        total = ops.sum(x, axis=axis, keepdims=keepdims)
        count = to_array(x).size // builtins.max(np.size(to_array(total)), 1)
        if not count:
            return total
        return ops.cast(ops.trunc(ops.divide(ops.cast(total, "float64"), np.float64(count))), dtype)
    return ops.mean(_bool_as_float(x), axis=axis, keepdims=keepdims)


@keras2_function("`keras.ops.max`")
def max(x, axis=None, keepdims=False):
    """Largest value over `axis`."""
    return ops.max(x, axis=axis, keepdims=keepdims)


@keras2_function("`keras.ops.min`")
def min(x, axis=None, keepdims=False):
    """Smallest value over `axis`."""
    return ops.min(x, axis=axis, keepdims=keepdims)


@keras2_function("`keras.ops.prod`")
def prod(x, axis=None, keepdims=False):
    """Product over `axis`."""
    return ops.prod(x, axis=axis, keepdims=keepdims)


@keras2_function("`keras.ops.var`")
def var(x, axis=None, keepdims=False):
    """Variance over `axis` (divided by the count, not the count - 1)."""
    return ops.var(_bool_as_float(x), axis=axis, keepdims=keepdims)


@keras2_function("`keras.ops.std`")
def std(x, axis=None, keepdims=False):
    """Standard deviation over `axis` (of the variance divided by the count)."""
    return ops.std(_bool_as_float(x), axis=axis, keepdims=keepdims)


@keras2_function("`keras.ops.all`")
def all(x, axis=None, keepdims=False):
    """Whether every value over `axis` is true (non-zero)."""
    return ops.all(ops.cast(x, "bool"), axis=axis, keepdims=keepdims)


@keras2_function("`keras.ops.any`")
def any(x, axis=None, keepdims=False):
    """Whether some value over `axis` is true (non-zero)."""
    return ops.any(ops.cast(x, "bool"), axis=axis, keepdims=keepdims)


@keras2_function("`keras.ops.argmax`")
def argmax(x, axis=-1):
    """Index of the largest value along `axis`, as int64."""
    return ops.cast(ops.argmax(x, axis=axis), "int64")


@keras2_function("`keras.ops.argmin`")
def argmin(x, axis=-1):
    """Index of the smallest value along `axis`, as int64."""
    return ops.cast(ops.argmin(x, axis=axis), "int64")


@keras2_function("`keras.ops.cumsum(x, axis=0)` (Keras 3's default axis is None: flattened)")
def cumsum(x, axis=0):
    """Cumulative sum along `axis` (the first by default)."""
    return ops.cumsum(x, axis=axis)


@keras2_function("`keras.ops.cumprod(x, axis=0)` (Keras 3's default axis is None: flattened)")
def cumprod(x, axis=0):
    """Cumulative product along `axis` (the first by default)."""
    return ops.cumprod(x, axis=axis)


# ---------------------------------------------------------- elementwise math
@keras2_function("`keras.ops.square`")
def square(x):
    """`x ** 2`, elementwise."""
    return ops.square(x)


@keras2_function("`keras.ops.abs`")
def abs(x):
    """Absolute value, elementwise."""
    return ops.abs(x)


@keras2_function("`keras.ops.sqrt(keras.ops.maximum(x, 0))`")
def sqrt(x):
    """Square root, elementwise; negative values count as 0."""
    return ops.sqrt(ops.maximum(x, np.zeros((), to_array(x).dtype)))


@keras2_function("`keras.ops.exp`")
def exp(x):
    """`e ** x`, elementwise."""
    return ops.exp(x)


@keras2_function("`keras.ops.log`")
def log(x):
    """Natural logarithm, elementwise."""
    return ops.log(x)


@keras2_function("`keras.ops.power`")
def pow(x, a):
    """`x ** a`, elementwise."""
    return ops.power(x, a)


@keras2_function("`keras.ops.sign`")
def sign(x):
    """-1, 0 or 1 by the sign of each value."""
    return ops.sign(x)


@keras2_function("`keras.ops.round`")
def round(x):
    """Nearest integer (halves to the even one), elementwise."""
    return ops.round(x)


@keras2_function("`keras.ops.sin`")
def sin(x):
    """Sine, elementwise."""
    return ops.sin(x)


@keras2_function("`keras.ops.cos`")
def cos(x):
    """Cosine, elementwise."""
    return ops.cos(x)


@keras2_function("`keras.ops.clip`")
def clip(x, min_value, max_value):
    """`x` limited to `[min_value, max_value]`; None leaves a side open, and a `max_value` below
    `min_value` counts as `min_value`."""
    numbers = (int, float, np.integer, np.floating)
    if isinstance(min_value, numbers) and isinstance(max_value, numbers) and max_value < min_value:
        max_value = min_value
    dtype = to_array(x).dtype
    low = -np.inf if min_value is None else min_value
    high = np.inf if max_value is None else max_value
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return ops.clip(x, np.asarray(np.maximum(low, info.min), dtype), np.asarray(np.minimum(high, info.max), dtype))
    return ops.clip(x, np.asarray(low, dtype), np.asarray(high, dtype))


@keras2_function("`keras.ops.maximum`")
def maximum(x, y):
    """The larger of `x` and `y`, elementwise."""
    return ops.maximum(x, y)


@keras2_function("`keras.ops.minimum`")
def minimum(x, y):
    """The smaller of `x` and `y`, elementwise."""
    return ops.minimum(x, y)


# ---------------------------------------------------------------- comparisons
@keras2_function("`keras.ops.equal`")
def equal(x, y):
    """`x == y`, elementwise (booleans)."""
    return ops.equal(x, y)


@keras2_function("`keras.ops.not_equal`")
def not_equal(x, y):
    """`x != y`, elementwise (booleans)."""
    return ops.not_equal(x, y)


@keras2_function("`keras.ops.greater`")
def greater(x, y):
    """`x > y`, elementwise (booleans)."""
    return ops.greater(x, y)


@keras2_function("`keras.ops.greater_equal`")
def greater_equal(x, y):
    """`x >= y`, elementwise (booleans)."""
    return ops.greater_equal(x, y)


@keras2_function("`keras.ops.less`")
def less(x, y):
    """`x < y`, elementwise (booleans)."""
    return ops.less(x, y)


@keras2_function("`keras.ops.less_equal`")
def less_equal(x, y):
    """`x <= y`, elementwise (booleans)."""
    return ops.less_equal(x, y)
