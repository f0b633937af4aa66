"""Elementwise tests of `keras.ops`: `isclose`, `allclose`, `isin`, `isneginf`, `isposinf`, `isreal`.

They return booleans and have no gradient; on a tape, they are recorded when an
input is tracked, so a replayed step tests the new values.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.isclose(np.array([1.0, 1.1]), 1.0).tolist()
    [True, False]
    >>> ops.isin(np.array([1, 2, 3]), [2, 3]).tolist()
    [False, True, True]
"""

import numpy as np

from nanokeras.ops.op_builders import promoted, values, without_gradient

__all__ = ["isclose", "allclose", "isin", "isneginf", "isposinf", "isreal"]


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """True where `|x1 - x2| <= atol + rtol * |x2|` (NaNs equal when `equal_nan`)."""
    a, b = promoted(x1, x2)
    return without_gradient(lambda: np.isclose(*values(a, b), rtol=rtol, atol=atol, equal_nan=equal_nan), (x1, x2))


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """True when `isclose` holds everywhere (a 0-d boolean array)."""
    a, b = promoted(x1, x2)
    return without_gradient(
        lambda: np.asarray(np.allclose(*values(a, b), rtol=rtol, atol=atol, equal_nan=equal_nan)), (x1, x2))


def isin(x1, x2, assume_unique=False, invert=False):
    """True where an element of `x1` is in `x2` (anywhere); False with `invert=True`."""
    return without_gradient(
        lambda: np.isin(*values(x1, x2), assume_unique=assume_unique, invert=invert), (x1, x2))


def isneginf(x):
    """True where `x` is -inf."""
    return without_gradient(lambda: np.isneginf(values(x)[0]), (x,))


def isposinf(x):
    """True where `x` is +inf."""
    return without_gradient(lambda: np.isposinf(values(x)[0]), (x,))


def isreal(x):
    """True where the imaginary part is 0 (everywhere for real inputs)."""
    return without_gradient(lambda: np.isreal(values(x)[0]), (x,))
