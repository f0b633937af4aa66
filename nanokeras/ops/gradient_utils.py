"""Helpers every op uses: reading values, converting inputs, undoing broadcasting, replays."""

import numpy as np

from nanokeras.backend import config
from nanokeras.ops.tape import _recording_tapes, is_tracked, record  # noqa: F401  (re-exported for ops)
from nanokeras.ops.tensor import TensorOperators, value_of  # noqa: F401

_ndarray = np.ndarray
_SCALARS = (int, float, bool, np.generic)
# Exact types `operand` passes through untouched: one set lookup on the hot path.
_PASS_TYPES = frozenset({_ndarray, float, int, bool, np.float32, np.float64, np.int32, np.int64})


def to_array(x):
    """The numpy array behind `x`; Python floats and lists become `floatx()` arrays.

    numpy arrays keep their dtype; Python ints become int32 (as Keras does).
    """
    if isinstance(x, TensorOperators):
        return x.value
    if isinstance(x, _ndarray):
        # A subclass (a dataset's `DatasetTensor`) as a plain array, so no op result keeps it.
        return x if type(x) is _ndarray else x.view(_ndarray)
    if isinstance(x, (list, tuple)) and any(isinstance(e, TensorOperators) for e in _flat(x)):
        x = _unwrap(x)
    out = np.asarray(x)
    kind = out.dtype.kind
    if isinstance(x, np.generic):
        return out
    if kind == "f" and out.dtype != config.floatx():
        return out.astype(config.floatx())
    if kind == "i" and out.dtype != np.int32 and out.size and _fits_int32(out):
        return out.astype(np.int32)
    if kind == "O":
        raise TypeError(f"Cannot convert {type(x).__name__} {x!r:.80} to a numeric array.")
    return out


def _fits_int32(a):
    return -(2**31) <= a.min() and a.max() < 2**31


def _flat(x):
    for e in x:
        if isinstance(e, (list, tuple)):
            yield from _flat(e)
        else:
            yield e


def _unwrap(x):
    return [(_unwrap(e) if isinstance(e, (list, tuple)) else value_of(e)) for e in x]


def operand(x):
    """The value for an elementwise binary op: Python scalars stay scalars.

    numpy treats a Python scalar as weakly typed (`float32_array + 2.0` stays
    float32); converting it to an array first could upcast the result.
    """
    if type(x) in _PASS_TYPES:
        return x
    if isinstance(x, TensorOperators):
        return x.value
    if isinstance(x, (_ndarray,) + _SCALARS):
        return x
    return to_array(x)


def broadcast_error(op_name, a, b):
    """A clear error for inputs whose shapes numpy cannot broadcast together."""
    s1, s2 = np.shape(a), np.shape(b)
    return ValueError(
        f"`{op_name}` got inputs with incompatible shapes {s1} and {s2}. Each axis, counted "
        "from the last, must have equal sizes or size 1. Reshape one input (e.g. with "
        "`ops.expand_dims` or `ops.reshape`) so the shapes broadcast."
    )


def unbroadcast(gradient, shape):
    """Sums `gradient` down to `shape`, undoing numpy broadcasting.

    When `x` of shape (3, 1) is added to `y` of shape (2, 3, 4), the result has
    shape (2, 3, 4); each element of `x` was used 2*4 times, so its gradient is
    the sum over those axes.
    """
    if type(gradient) is np.ndarray and gradient.shape == shape:
        return gradient  # the common case: no broadcasting happened
    from nanokeras.ops.numpy import reshape, sum as sum_

    gradient_shape = np.shape(value_of(gradient))
    shape = tuple(shape)
    if gradient_shape == shape:
        return gradient
    extra = len(gradient_shape) - len(shape)
    axes = tuple(range(extra)) + tuple(
        i + extra for i, size in enumerate(shape) if size == 1 and gradient_shape[i + extra] != 1
    )
    if axes:
        gradient = sum_(gradient, axis=axes)
    return reshape(gradient, shape)


def normalize_axes(axis, ndim):
    """`axis` (None, an int or a sequence) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(f"`axis` {a} is out of range for an input of rank {ndim}.")
        out.append(int(a) % max(ndim, 1))
    return tuple(sorted(out))


def kept_shape(shape, axis):
    """`shape` with the reduced `axis` set to 1 (the keepdims shape)."""
    axes = normalize_axes(axis, len(shape))
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


# ------------------------------------------------------------------ replays
# A recorded node's `forward` recomputes its value in place (see `record`); these
# build the common kinds.


def as_recordable(out):
    """`out` as an ndarray a replay can write into (numpy returns scalars for 0-d results)."""
    return out if type(out) is _ndarray else np.asarray(out)


def nothing_to_replay():
    """The replay of an op whose value is a view of its input: it already shows the new values."""


def copy_forward(out, compute):
    """A replay that calls `compute()` (the op's own numpy calls) and copies the result into `out`."""
    return lambda: np.copyto(out, compute())


def view_forward(out, source, compute):
    """The replay of an op that may return a view of `source` (reshape, transpose, slicing).

    A view already shows the new values of `source`: nothing to do. A copy is
    computed again.
    """
    if np.may_share_memory(out, source):
        return nothing_to_replay
    return copy_forward(out, compute)


def record_no_gradient(out, inputs, compute):
    """Records `out = compute()`, a result no gradient flows through (a comparison, indices, a cast to int).

    Nothing is recorded unless an input is tracked; then the result is recorded
    so that a compiled step computes it again from the new values.

    Example:
        >>> import nanokeras as keras
        >>> w = keras.Variable([1.0, -1.0])
        >>> with keras.GradientTape():
        ...     positive = record_no_gradient(w.value > 0, (w,), lambda: w.value > 0)
        >>> positive.value.tolist()
        [True, False]
    """
    if not any(is_tracked(x) for x in inputs):
        return out
    out = as_recordable(out)
    nothing = (None,) * len(inputs)
    return record(out, inputs, lambda g: nothing, copy_forward(out, compute))


def converted(values, dtype, out=None):
    """`values` as `dtype` (`astype`'s conversion), written into `out` when given (for a `Workspace`)."""
    if out is None:
        return np.asarray(values, dtype=dtype)
    np.copyto(out, values, casting="unsafe")
    return out


class Workspace:
    """The arrays a fused op computes into, so that a replay reuses them.

    `ws(name, fn, *args)` calls `fn(*args)` on the first run (numpy allocates, as
    the plain op would) and keeps the result under `name`; later runs call
    `fn(*args, out=<that array>)`. Each name is one call of the op, so a replay
    makes exactly the same numpy calls, on the same kinds of operands, as the
    first run. (0-d results are kept as 0-d arrays, to be written into.)
    """

    __slots__ = ("arrays",)

    def __init__(self):
        self.arrays = {}

    def __call__(self, name, fn, *args, **kwargs):
        out = self.arrays.get(name)
        if out is None:
            result = fn(*args, **kwargs)
            if type(result) is not _ndarray:
                result = np.asarray(result)
            self.arrays[name] = result
            return result
        fn(*args, out=out, **kwargs)
        return out
