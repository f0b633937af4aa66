"""Building blocks for ops: Keras's dtype rules, elementwise ops with their replays, results without gradient.

An elementwise op is its numpy function plus its derivative, written with
nanokeras ops so that second derivatives work:

    arcsin = unary_float_op(np.arcsin, lambda x: ops.reciprocal(ops.sqrt(1 - x * x)))

Inputs are first converted as Keras converts them (integers and bools to
`floatx()` for float functions; operands of a binary op to their promoted
dtype, `keras.backend.result_type`), with recorded casts, so a replayed step
converts new values again.
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import (
    TensorOperators,
    _recording_tapes,
    as_recordable,
    broadcast_error,
    copy_forward,
    record,
    record_no_gradient,
    to_array,
    unbroadcast,
    value_of,
)

_ndarray = np.ndarray


def dtype_of(x):
    """The dtype Keras's promotion sees for `x`: Python numbers are weak (`int`, `float`)."""
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int):
        return int
    if isinstance(x, float):
        return float
    return to_array(x).dtype.name


def cast_to(x, dtype):
    """`x` as `dtype`: itself when it already is, else converted (recorded when tracked)."""
    dtype = np.dtype(dtype)
    if isinstance(x, TensorOperators):
        return x if x.value.dtype == dtype else ops._astype(x, dtype)
    a = to_array(x)
    return a if a.dtype == dtype else a.astype(dtype)


def float_dtype(x):
    """The float dtype Keras computes a float function of `x` in (ints and bools: `floatx()`)."""
    dtype = dtype_of(x)
    if dtype in ("int64", "uint64"):
        return config.floatx()
    return result_type(dtype, float)


def as_float(x):
    """`x` converted as Keras converts the input of a float function."""
    return cast_to(x, float_dtype(x))


def promoted(*xs, to_float=False):
    """The operands converted to their common dtype (`result_type`, with `float` when `to_float`)."""
    dtypes = [dtype_of(x) for x in xs] + ([float] if to_float else [])
    dtype = result_type(*dtypes)
    return [cast_to(x, dtype) for x in xs]


def elementwise(np_fn, x, derivative, np_args=()):
    """`np_fn(x, *np_args)` recorded with `g * derivative(x)` as its gradient.

    `x` must already have the dtype to compute in. `derivative(x)` is written with
    nanokeras ops.
    """
    a = value_of(x) if isinstance(x, TensorOperators) else to_array(x)
    out = np_fn(a, *np_args)
    if not _recording_tapes:
        return out
    out = as_recordable(out)
    if isinstance(np_fn, np.ufunc) and out.dtype == np.result_type(a):
        forward = lambda: np_fn(a, *np_args, out=out)  # noqa: E731
    else:
        forward = copy_forward(out, lambda: np_fn(a, *np_args))
    return record(out, (x,), lambda g: (ops.multiply(g, derivative(x)),), forward)


def unary_float_op(np_fn, derivative):
    """An elementwise float function (ints and bools are converted first) with its derivative."""

    def op(x):
        return elementwise(np_fn, as_float(x), derivative)

    op.__name__ = op.__qualname__ = np_fn.__name__
    return op


def elementwise2(np_fn, x1, x2, derivatives):
    """`np_fn(x1, x2)` (broadcasting) recorded with `derivatives(x1, x2) -> (d/dx1, d/dx2)`.

    A derivative may be None (no gradient for that input). The operands must already
    have the dtype to compute in.
    """
    a, b = value_of(x1), value_of(x2)
    try:
        out = np_fn(a, b)
    except ValueError:
        raise broadcast_error(getattr(np_fn, "__name__", "op"), a, b) from None
    if not _recording_tapes:
        return out
    out = as_recordable(out)
    s1, s2 = np.shape(a), np.shape(b)

    def vjp(g):
        d1, d2 = derivatives(x1, x2)
        return (None if d1 is None else unbroadcast(ops.multiply(g, d1), s1),
                None if d2 is None else unbroadcast(ops.multiply(g, d2), s2))

    if isinstance(np_fn, np.ufunc):
        forward = lambda: np_fn(a, b, out=out)  # noqa: E731
    else:
        forward = copy_forward(out, lambda: np_fn(a, b))
    return record(out, (x1, x2), vjp, forward)


def without_gradient(compute, inputs):
    """`compute()` (which reads the current values of `inputs`), recorded without a gradient
    when an input is tracked, so a replayed step computes it again."""
    out = compute()
    if not _recording_tapes:
        return out
    if isinstance(out, tuple):  # several results (e.g. indices per axis): one record each
        return tuple(record_no_gradient(as_recordable(o), inputs, (lambda i: lambda: compute()[i])(i))
                     for i, o in enumerate(out))
    return record_no_gradient(out, inputs, compute)


def values(*xs):
    """The numpy values of `xs` (arrays, Variables, Tensors, numbers, lists)."""
    return [value_of(x) if isinstance(x, TensorOperators) else to_array(x) for x in xs]


def normalize_axis(axis, ndim, argument="axis"):
    """`axis` as a non-negative int, with a clear error when out of range."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"`{argument}` must be an integer, got {axis!r}.")
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise ValueError(f"`{argument}` {axis} is out of range for an input of rank {ndim}.")
    return int(axis) % max(ndim, 1)


def gather(namespace, modules, names_attribute="__all__"):
    """Adds the functions `modules` list in `names_attribute` to a `keras.ops` namespace module's globals
    and `__all__` (each namespace, e.g. `keras.ops.numpy`, spans several files)."""
    for module in modules:
        names = getattr(module, names_attribute, ())
        for name in names:
            namespace[name] = getattr(module, name)
        namespace["__all__"] += [n for n in names if n not in namespace["__all__"]]
