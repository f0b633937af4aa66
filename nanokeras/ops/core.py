"""`keras.ops` core functions: conversion, casting, shapes, `stop_gradient`, control flow.

Example:
    >>> from nanokeras import ops
    >>> ops.convert_to_tensor([1.0, 2.0]).dtype
    dtype('float32')
"""

import builtins

import numpy as np

from nanokeras.ops.tensor import TensorOperators
from nanokeras.backend.dtypes import standardize_dtype
from nanokeras.ops import numpy as _ops
from nanokeras.ops.gradient_utils import _recording_tapes, record, to_array, value_of

__all__ = [
    "cast", "convert_to_tensor", "convert_to_numpy", "stop_gradient", "shape", "dtype",
    "is_tensor", "slice", "slice_update", "cond", "fori_loop", "while_loop",
]


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """`x` as a numpy array (the tensor type of this backend).

    Python floats and nested lists of them become `floatx()`; Python ints
    become int32; numpy arrays keep their dtype unless `dtype` is given.
    Inside a `GradientTape`, a Variable or Tensor is returned as is so that
    gradients keep flowing.

    Example:
        >>> convert_to_tensor([1, 2]).dtype
        dtype('int32')
    """
    if sparse or ragged:
        raise ValueError("nanokeras has dense arrays only: `sparse` and `ragged` must be False.")
    if dtype is not None:
        return cast(x, dtype)
    if isinstance(x, TensorOperators) and _recording_tapes:
        return x
    return to_array(x)


def convert_to_numpy(x):
    """A numpy array holding the value of `x` (a copy for Variables)."""
    if isinstance(x, TensorOperators):
        return x.numpy()
    return np.asarray(to_array(x))


def cast(x, dtype):
    """`x` converted to `dtype`; the gradient flows back only between float types.

    Example:
        >>> cast(np.array([1.7, -1.7]), "int32").tolist()
        [1, -1]
    """
    return _ops._astype(x, standardize_dtype(dtype))


def stop_gradient(variable):
    """The value of `variable`, through which no gradient flows.

    Example:
        >>> import nanokeras as keras
        >>> w = keras.Variable(2.0)
        >>> with keras.GradientTape() as tape:
        ...     y = w * stop_gradient(w)
        >>> float(tape.gradient(y, w))
        2.0
    """
    return value_of(variable) if isinstance(variable, TensorOperators) else to_array(variable)


def shape(x):
    """The shape of `x` as a tuple of ints."""
    return tuple(np.shape(value_of(x)))


def dtype(x):
    """The dtype of `x` as a string, e.g. `'float32'`."""
    return to_array(x).dtype.name


def is_tensor(x):
    """True for arrays, Variables and Tensors (the backend's tensor types)."""
    return isinstance(x, (np.ndarray, TensorOperators))


def _start_and_shape(inputs, start_indices, shape_):
    rank = len(np.shape(value_of(inputs)))
    start = [int(i) for i in np.asarray(value_of(start_indices)).reshape(-1)]
    if len(start) != rank or (shape_ is not None and len(shape_) != rank):
        raise ValueError(
            f"`start_indices` (and `shape`) need one entry per axis of the input of rank {rank}, "
            f"got start_indices={start}" + ("" if shape_ is None else f" and shape={tuple(shape_)}") + "."
        )
    return start


def slice(inputs, start_indices, shape):
    """The block of `inputs` starting at `start_indices` with size `shape`."""
    start = _start_and_shape(inputs, start_indices, shape)
    key = tuple(builtins.slice(s, s + int(n)) for s, n in zip(start, shape))
    return _ops.getitem(inputs, key)


def slice_update(inputs, start_indices, updates):
    """A copy of `inputs` with the block at `start_indices` replaced by `updates`."""
    start = _start_and_shape(inputs, start_indices, None)
    upd_shape = np.shape(value_of(updates))
    key = tuple(builtins.slice(s, s + n) for s, n in zip(start, upd_shape))
    base = to_array(inputs)
    new = value_of(updates)
    out = base.copy()
    out[key] = new
    if not _recording_tapes:
        return out
    mask = np.ones(base.shape, dtype=base.dtype if base.dtype.kind == "f" else np.float32)
    mask[key] = 0  # depends on the shapes only: a constant of the trace

    def forward():
        np.copyto(out, base)
        out[key] = new

    return record(out, (inputs, updates), lambda g: (_ops.multiply(g, mask), _ops.getitem(g, key)), forward)


def cond(pred, true_fn, false_fn):
    """`true_fn()` if `pred` else `false_fn()`."""
    return true_fn() if bool(value_of(pred)) else false_fn()


def fori_loop(lower, upper, body_fun, init_val):
    """`val = body_fun(i, val)` for `i` in `range(lower, upper)`; returns `val`."""
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Applies `body` to `loop_vars` while `cond(*loop_vars)` holds (at most `maximum_iterations` times)."""
    is_tuple = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_tuple else (loop_vars,)
    count = 0
    while bool(value_of(cond(*state))):
        if maximum_iterations is not None and count >= maximum_iterations:
            break
        state = body(*state)
        state = tuple(state) if isinstance(state, (list, tuple)) else (state,)
        count += 1
    return state if is_tuple else state[0]


# `keras.ops.core` holds more functions than this file: they live in files of their own, gathered here.
from nanokeras.ops import array_manipulation, control_flow, custom_gradient, einops, scatter  # noqa: E402
from nanokeras.ops.op_builders import gather as _gather  # noqa: E402

_gather(globals(), [array_manipulation, control_flow, scatter, custom_gradient, einops], "CORE_NAMES")
