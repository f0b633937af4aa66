"""Statistics and running operations of `keras.ops`: `average`, `ptp`, `corrcoef`, `cumprod`,
`diff`, `trapezoid`, `correlate`.

Written with the differentiable ops of `ops.numpy` where they compose; `cumprod`
has its own gradient, exact also where inputs are zero.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.average(np.array([1.0, 2.0, 4.0]), weights=np.array([1.0, 1.0, 2.0])).item()
    2.75
    >>> ops.cumprod(np.array([1, 2, 3])).tolist()
    [1, 2, 6]
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import _recording_tapes, as_recordable, copy_forward, record, to_array
from nanokeras.ops.op_builders import cast_to, dtype_of, normalize_axis

__all__ = ["average", "ptp", "corrcoef", "cumprod", "diff", "trapezoid", "correlate"]


def average(x, axis=None, weights=None):
    """The (weighted) mean over `axis`; 1-D `weights` apply along `axis`, else they have `x`'s shape."""
    dtypes = [dtype_of(x), float] + ([dtype_of(weights)] if weights is not None else [])
    dtype = result_type(*dtypes)
    x = cast_to(x, dtype)
    if weights is None:
        return ops.mean(x, axis=axis)
    w = cast_to(weights, dtype)
    shape, w_shape = to_array(x).shape, to_array(w).shape
    if w_shape != shape:
        if axis is None or len(w_shape) != 1 or w_shape[0] != shape[normalize_axis(axis, len(shape))]:
            raise ValueError(
                f"`weights` of shape {w_shape} must have the shape of `x` {shape}, or be 1-D along `axis` "
                f"(axis={axis!r})."
            )
        axis = normalize_axis(axis, len(shape))
        w = ops.reshape(w, [-1 if i == axis else 1 for i in range(len(shape))])
    return ops.divide(ops.sum(ops.multiply(x, w), axis=axis), ops.sum(ops.multiply(ops.ones_like(to_array(x)), w),
                                                                     axis=axis))


def ptp(x, axis=None, keepdims=False):
    """The range `max - min` over `axis`."""
    return ops.subtract(ops.max(x, axis=axis, keepdims=keepdims), ops.min(x, axis=axis, keepdims=keepdims))


def corrcoef(x):
    """Pearson correlation coefficients of the rows of `x` (variables) over its columns (observations)."""
    dtype = dtype_of(x)
    out_dtype = "float64" if dtype in ("int64", "float64") else dtype if dtype in ("float16", "bfloat16") \
        else config.floatx()
    x = cast_to(x, out_dtype)
    if to_array(x).ndim == 1:
        x = ops.expand_dims(x, 0)
    if to_array(x).ndim != 2:
        raise ValueError(f"`corrcoef` needs a 1-D or 2-D input, got shape {to_array(x).shape}.")
    centred = ops.subtract(x, ops.mean(x, axis=1, keepdims=True))
    covariance = ops.matmul(centred, ops.transpose(centred))
    scale = ops.sqrt(ops.diagonal(covariance))
    out = ops.divide(ops.divide(covariance, ops.expand_dims(scale, 1)), ops.expand_dims(scale, 0))
    out = ops.clip(out, -1.0, 1.0)
    return ops.squeeze(out) if to_array(out).shape == (1, 1) else out


def _cumprod_gradient(x, out, g, axis):
    """d/dx_i of sum_j g_j * prod_{k<=j} x_k, exact also where x has zeros:
    (prod_{k<i} x_k) * S_i with S_i = g_i + x_{i+1} * S_{i+1}."""
    n = to_array(x).shape[axis]
    index = [slice(None)] * to_array(x).ndim

    def at(v, i):
        index[axis] = i
        return ops.getitem(v, tuple(index))

    before = [ops.ones_like(to_array(at(x, 0)))] + [at(out, i) for i in range(n - 1)]
    running = at(g, n - 1)
    suffix = [running]
    for i in range(n - 2, -1, -1):
        running = ops.add(at(g, i), ops.multiply(at(x, i + 1), running))
        suffix.append(running)
    suffix.reverse()
    return ops.stack([ops.multiply(b, s) for b, s in zip(before, suffix)], axis=axis)


def cumprod(x, axis=None, dtype=None):
    """Running products along `axis` (of the flattened input when None)."""
    dtype = result_type(dtype if dtype is not None else dtype_of(x))
    dtype = "int32" if dtype == "bool" else dtype
    if axis is None:
        x, axis = ops.ravel(x), 0
    a = to_array(x)
    axis = normalize_axis(axis, a.ndim)
    x = cast_to(x, dtype)
    a = to_array(x)
    # float16 is multiplied in float32 and rounded back, as Keras gives (float16 running products
    # drift by whole units after a few thousand steps).
    compute = np.float32 if np.dtype(dtype) == np.float16 else dtype
    out = np.cumprod(a, axis=axis, dtype=compute).astype(dtype, copy=False)
    if not _recording_tapes or np.dtype(dtype).kind != "f" or a.shape[axis] == 0:
        return out
    out = as_recordable(out)
    recorded = record(out, (x,), lambda g: (_cumprod_gradient(x, node, g, axis),),
                      copy_forward(out, lambda: np.cumprod(a, axis=axis, dtype=compute)))
    node = recorded
    return recorded


def diff(a, n=1, axis=-1):
    """Differences of neighbours along `axis`, taken `n` times."""
    ndim = to_array(a).ndim
    if ndim == 0:
        raise ValueError("`diff` needs an input with at least 1 dimension.")
    axis = normalize_axis(axis, ndim)
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"`n` must be a non-negative integer, got {n!r}.")
    head, tail = [slice(None)] * ndim, [slice(None)] * ndim
    head[axis], tail[axis] = slice(1, None), slice(None, -1)
    # Bools stay bools, as in Keras: their difference is "not equal" (numpy cannot subtract bools).
    step = ops.not_equal if dtype_of(a) == "bool" else ops.subtract
    for _ in range(int(n)):
        a = step(ops.getitem(a, tuple(head)), ops.getitem(a, tuple(tail)))
    return a


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of `y` along `axis` by the trapezoidal rule (at points `x`, or spaced `dx` apart)."""
    dtype = result_type(dtype_of(y), float)
    y = cast_to(y, dtype)
    ndim = to_array(y).ndim
    axis = normalize_axis(axis, ndim)
    head, tail = [slice(None)] * ndim, [slice(None)] * ndim
    head[axis], tail[axis] = slice(1, None), slice(None, -1)
    if x is None:
        widths = cast_to(dx, dtype)
    else:
        x = cast_to(x, dtype)
        if to_array(x).ndim == 1:
            widths = ops.reshape(diff(x), [-1 if i == axis else 1 for i in range(ndim)])
        else:
            widths = diff(x, axis=axis)
    heights = ops.add(ops.getitem(y, tuple(head)), ops.getitem(y, tuple(tail)))
    return ops.sum(ops.divide(ops.multiply(widths, heights), 2.0), axis=axis)


def correlate(x1, x2, mode="valid"):
    """The cross-correlation of two 1-D arrays: `out[k] = sum_n x1[n + k] * x2[n]`, in `mode`
    "valid", "same" or "full" (how far `x2` may slide past the ends of `x1`)."""
    dtype = result_type(dtype_of(x1), dtype_of(x2))
    dtype = "float64" if dtype == "int64" else dtype if dtype in ("bfloat16", "float16", "float64") else "float32"
    a, v = cast_to(x1, dtype), cast_to(x2, dtype)
    n, m = to_array(a).shape, to_array(v).shape
    if len(n) != 1 or len(m) != 1 or not n[0] or not m[0]:
        raise ValueError(f"`correlate` needs two non-empty 1-D arrays, got shapes {n} and {m}.")
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"`mode` must be 'valid', 'same' or 'full', got {mode!r}.")
    n, m = n[0], m[0]
    if n < m:  # numpy swaps the roles (and reverses the output) when the second array is longer
        out = correlate(v, a, mode)
        return ops.flip(out, 0)
    padding = {"valid": 0, "same": m // 2, "full": m - 1}[mode]
    right = {"valid": 0, "same": m - 1 - m // 2, "full": m - 1}[mode]
    padded = ops.pad(a, ((padding, right),))
    steps = n + padding + right - m + 1
    windows = ops.take(padded, np.arange(steps)[:, None] + np.arange(m)[None, :])
    return ops.sum(ops.multiply(windows, v), axis=1)
