"""Array ops with numpy's names and semantics, each differentiable.

Every op follows one pattern: compute the numpy result; if a tape is recording,
`record` it with a `vjp` that maps the result's gradient `g` to the inputs'
gradients. The vjps are written with these same ops, so a backward pass run
inside an outer tape is itself recorded (that is how second derivatives work).
"""

import numpy as np

from nanokeras.ops.gradient_utils import _recording_tapes, record, unbroadcast, value_of

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "negative", "power",
    "matmul", "abs", "absolute", "sum", "reshape", "transpose", "getitem",
]


def _shape(x):
    return np.shape(value_of(x))


def add(x1, x2):
    """Elementwise `x1 + x2`, with broadcasting."""
    out = np.add(value_of(x1), value_of(x2))
    if not _recording_tapes:
        return out
    s1, s2 = _shape(x1), _shape(x2)
    return record(out, (x1, x2), lambda g: (unbroadcast(g, s1), unbroadcast(g, s2)))


def subtract(x1, x2):
    """Elementwise `x1 - x2`, with broadcasting."""
    out = np.subtract(value_of(x1), value_of(x2))
    if not _recording_tapes:
        return out
    s1, s2 = _shape(x1), _shape(x2)
    return record(out, (x1, x2), lambda g: (unbroadcast(g, s1), unbroadcast(negative(g), s2)))


def multiply(x1, x2):
    """Elementwise `x1 * x2`, with broadcasting."""
    out = np.multiply(value_of(x1), value_of(x2))
    if not _recording_tapes:
        return out
    s1, s2 = _shape(x1), _shape(x2)
    return record(
        out,
        (x1, x2),
        lambda g: (unbroadcast(multiply(g, x2), s1), unbroadcast(multiply(g, x1), s2)),
    )


def divide(x1, x2):
    """Elementwise `x1 / x2`, with broadcasting."""
    out = np.true_divide(value_of(x1), value_of(x2))
    if not _recording_tapes:
        return out
    s1, s2 = _shape(x1), _shape(x2)

    def vjp(g):
        g_over_x2 = divide(g, x2)
        # d(x1/x2)/dx2 = -x1/x2^2 = -(x1/x2)/x2
        return unbroadcast(g_over_x2, s1), unbroadcast(negative(multiply(g_over_x2, divide(x1, x2))), s2)

    return record(out, (x1, x2), vjp)


true_divide = divide


def negative(x):
    """Elementwise `-x`."""
    out = np.negative(value_of(x))
    if not _recording_tapes:
        return out
    return record(out, (x,), lambda g: (negative(g),))


def power(x1, x2):
    """Elementwise `x1 ** x2`."""
    a, b = value_of(x1), value_of(x2)
    out = np.power(a, b)
    if not _recording_tapes:
        return out
    s1, s2 = np.shape(a), np.shape(b)

    def vjp(g):
        # d/dx1 = x2 * x1^(x2-1); d/dx2 = x1^x2 * log(x1) (only where x1 > 0)
        g1 = unbroadcast(multiply(g, multiply(x2, power(x1, subtract(x2, 1)))), s1)
        g2 = None
        from nanokeras.backend.tape import is_tracked

        if is_tracked(x2):
            from nanokeras.ops.numpy import log, where

            safe_x1 = where(np.asarray(value_of(x1)) > 0, x1, 1)
            g2 = unbroadcast(multiply(g, multiply(power(x1, x2), log(safe_x1))), s2)
        return g1, g2

    return record(out, (x1, x2), vjp)


def matmul(x1, x2):
    """Matrix product `x1 @ x2` (batched over leading axes, like numpy)."""
    a, b = value_of(x1), value_of(x2)
    out = np.matmul(a, b)
    if not _recording_tapes:
        return out
    sa, sb = np.shape(a), np.shape(b)

    def vjp(g):
        if len(sa) == 1 and len(sb) == 1:
            return multiply(g, x2), multiply(g, x1)
        if len(sa) == 1:  # (k,) @ (..., k, n) -> (..., n)
            ga = matmul(expand_dims_(g, -2), swap_last(x2))
            gb = multiply(expand_dims_(x1, -1), expand_dims_(g, -2))
            return unbroadcast(reshape(ga, np.shape(value_of(ga))[:-2] + (sa[0],)), sa), unbroadcast(gb, sb)
        if len(sb) == 1:  # (..., m, k) @ (k,) -> (..., m)
            ga = multiply(expand_dims_(g, -1), x2)
            gb = matmul(expand_dims_(g, -2), x1)
            gb = reshape(gb, np.shape(value_of(gb))[:-2] + (sb[0],))
            return unbroadcast(ga, sa), unbroadcast(gb, sb)
        return unbroadcast(matmul(g, swap_last(x2)), sa), unbroadcast(matmul(swap_last(x1), g), sb)

    return record(out, (x1, x2), vjp)


def expand_dims_(x, axis):
    return reshape(x, np.expand_dims(np.empty(_shape(x), dtype=np.bool_), axis).shape)


def swap_last(x):
    ndim = len(_shape(x))
    axes = list(range(ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return transpose(x, axes)


def abs(x):
    """Elementwise absolute value; its gradient is `sign(x)`."""
    a = value_of(x)
    out = np.abs(a)
    if not _recording_tapes:
        return out
    return record(out, (x,), lambda g: (multiply(g, np.sign(a)),))


absolute = abs


def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (all axes when None)."""
    a = value_of(x)
    out = np.sum(a, axis=axis, keepdims=keepdims)
    if not _recording_tapes:
        return out
    shape = np.shape(a)

    def vjp(g):
        if not keepdims and axis is not None:
            axes = (axis,) if isinstance(axis, int) else tuple(axis)
            kept = [1 if (i in axes or i - len(shape) in axes) else s for i, s in enumerate(shape)]
            g = reshape(g, kept)
        elif not keepdims:
            g = reshape(g, (1,) * len(shape))
        return (broadcast_to_(g, shape),)

    return record(out, (x,), vjp)


def broadcast_to_(x, shape):
    """`x` broadcast to `shape`; the gradient sums back."""
    a = value_of(x)
    out = np.broadcast_to(a, shape)
    if not _recording_tapes:
        return out
    s = np.shape(a)
    return record(out, (x,), lambda g: (unbroadcast(g, s),))


def reshape(x, newshape):
    """`x` with a new shape (same number of elements)."""
    a = value_of(x)
    out = np.reshape(a, newshape)
    if not _recording_tapes:
        return out
    s = np.shape(a)
    return record(out, (x,), lambda g: (reshape(g, s),))


def transpose(x, axes=None):
    """Permutes the axes (reverses them when `axes` is None)."""
    a = value_of(x)
    out = np.transpose(a, axes)
    if not _recording_tapes:
        return out
    inverse = None if axes is None else tuple(np.argsort(axes))
    return record(out, (x,), lambda g: (transpose(g, inverse),))


def getitem(x, key):
    """`x[key]` (basic and integer-array indexing); the gradient scatters back."""
    a = value_of(x)
    key = value_of(key) if not isinstance(key, tuple) else tuple(value_of(k) for k in key)
    out = a[key]
    if not _recording_tapes:
        return out
    shape, dtype = a.shape, a.dtype

    def vjp(g):
        return (_scatter_add(g, key, shape, dtype),)

    return record(out, (x,), vjp)


def _scatter_add(g, key, shape, dtype):
    """zeros(shape) with `g` added at `key` (repeated indices accumulate)."""
    out = np.zeros(shape, dtype=dtype)
    np.add.at(out, key, value_of(g))
    if not _recording_tapes:
        return out
    return record(out, (g,), lambda gg: (getitem(gg, key),))


def _bind_tensor_operators():
    import sys

    from nanokeras.backend import tensor

    tensor._ops = sys.modules[__name__]


_bind_tensor_operators()
