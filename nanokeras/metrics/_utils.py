"""Small numpy helpers shared by the metrics (values only, never recorded)."""

import numpy as np

from nanokeras.backend import config
from nanokeras.ops.tensor import value_of


def as_float(x, dtype=None):
    """`x` as a numpy array of a float dtype (`floatx()` unless `x` already is a float array)."""
    x = value_of(x)
    if dtype is not None:
        return np.asarray(x, dtype=dtype)
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(config.floatx())
    return x


def as_array(x):
    x = value_of(x)
    return x if isinstance(x, np.ndarray) else np.asarray(x)


def squeeze_or_expand(x1, x2, expand_rank_1=True):
    """Makes ranks equal when they differ by one trailing axis of size 1 (as Keras)."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2[:, None]
        else:
            x1 = x1[..., 0]
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1[:, None]
        else:
            x2 = x2[..., 0]
    return x1, x2


def div_no_nan(a, b):
    """`a / b`, with 0 wherever `b == 0`."""
    a = np.asarray(a)
    b = np.asarray(b)
    safe = b != 0
    out = np.divide(a, np.where(safe, b, np.ones((), b.dtype)))
    return np.where(safe, out, np.zeros((), out.dtype))


def shape_error(metric, y_true, y_pred, detail):
    """The ValueError for inputs a metric cannot compare."""
    return ValueError(
        f"Metric '{metric}' cannot compare y_true of shape {np.shape(value_of(y_true))} "
        f"with y_pred of shape {np.shape(value_of(y_pred))}: {detail}. Check that the "
        "labels match the model's output (e.g. one-hot labels need a categorical metric, "
        "integer labels a sparse one)."
    )


def add_to(variable, amount):
    """`variable += amount` for a scalar (0-d) state variable, without a ufunc call.

    Adding in Python floats then storing rounds once to the variable's dtype;
    for float32 (and float16) that equals a native float32 addition exactly,
    because float64 carries more than twice the bits. It is ~15x cheaper than
    `variable.value += amount`, which matters at one update per training step.
    """
    value = variable.value
    value[()] = value.item() + amount
