"""Quantiles: `quantile`, `percentile`, `median`, and their NaN-ignoring versions.

A quantile sorts the values along the reduced axes and interpolates between
the two sorted values around position `q * (count - 1)` (`method` says how:
"linear", "lower", "higher", "midpoint" or "nearest", as numpy and JAX define
them). Written with `sort`, `take_along_axis` and arithmetic, it is
differentiable: the gradient goes to the values the result interpolates.
For the NaN-ignoring versions the count depends on the data: the positions are
computed in a recorded op, so a replayed step counts the new NaNs.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.median(np.array([3.0, 1.0, 2.0, 10.0])).item()
    2.5
    >>> ops.nanquantile(np.array([1.0, np.nan, 3.0]), 0.5).item()
    2.0
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array, value_of
from nanokeras.ops.op_builders import cast_to, dtype_of, values, without_gradient

__all__ = ["quantile", "percentile", "median", "nanquantile", "nanpercentile", "nanmedian"]

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _float_input(x):
    dtype = dtype_of(x)
    if dtype in ("bool", "int64", "uint64"):
        return cast_to(x, config.floatx())
    return cast_to(x, result_type(dtype, float))


def _reduced_axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"`axis` {a} is out of range for an input of rank {ndim}.")
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"`axis` {axis!r} repeats an axis.")
    return tuple(sorted(out))


def _positions(q, counts, n, method):
    """(lower index, upper index, weight of the upper value), each of shape `q.shape + counts.shape`."""
    q = q.reshape(q.shape + (1,) * counts.ndim)
    virtual = q * (np.maximum(counts, 1) - 1)
    lower = np.floor(virtual)
    upper = np.minimum(lower + 1, np.maximum(counts - 1, 0))
    weight = virtual - lower
    if method == "lower":
        weight = np.zeros_like(weight)
    elif method == "higher":
        weight = (virtual > lower).astype(virtual.dtype)
    elif method == "midpoint":
        weight = np.where(upper > lower, 0.5, 0.0) * (virtual > lower)
    elif method == "nearest":
        weight = (np.around(virtual) > lower).astype(virtual.dtype)
    clip = max(n - 1, 0)
    return (np.clip(lower, 0, clip).astype(np.int64)[..., None], np.clip(upper, 0, clip).astype(np.int64)[..., None],
            weight)


def _quantile(x, q, axis, method, keepdims, ignore_nan, op):
    if method not in _METHODS:
        raise ValueError(f"`{op}`: `method` must be one of {', '.join(map(repr, _METHODS))}, got {method!r}.")
    q_values = np.asarray(value_of(q), dtype=np.float64)
    if np.any((q_values < 0) | (q_values > 1)):
        raise ValueError(f"`{op}`: the quantiles `q` must lie in [0, 1] ([0, 100] for percentiles), got {q_values}.")
    x = _float_input(x)
    a = to_array(x)
    dtype = a.dtype
    reduced = _reduced_axes(axis, a.ndim)
    kept = tuple(i for i in range(a.ndim) if i not in reduced)
    kept_shape = tuple(a.shape[i] for i in kept)
    n = int(np.prod([a.shape[i] for i in reduced], dtype=np.int64))
    flat = ops.reshape(ops.transpose(x, kept + reduced), kept_shape + (n,))
    ordered = ops.sort(flat, axis=-1)  # NaNs sort last
    ordered = ops.reshape(ordered, (1,) * q_values.ndim + kept_shape + (n,))
    if ignore_nan:
        def positions():
            counts = np.sum(~np.isnan(values(flat)[0]), axis=-1)
            low, high, weight = _positions(q_values, counts, n, method)
            return low, high, weight.astype(dtype), counts == 0
        low, high, weight, empty = without_gradient(positions, (flat,))
    else:
        low, high, weight = _positions(q_values, np.full(kept_shape, n), n, method)
        weight, empty = weight.astype(dtype), None
    lower_value = ops.squeeze(ops.take_along_axis(ordered, low, axis=-1), -1)
    upper_value = ops.squeeze(ops.take_along_axis(ordered, high, axis=-1), -1)
    out = ops.add(lower_value, ops.multiply(weight, ops.subtract(upper_value, lower_value)))
    nan = np.asarray(np.nan, dtype)
    if ignore_nan:
        out = ops.where(empty, nan, out)
    elif n:
        out = ops.where(ops.isnan(ops.getitem(ordered, (Ellipsis, -1))), nan, out)
    if keepdims:
        out = ops.reshape(out, q_values.shape + tuple(1 if i in reduced else a.shape[i] for i in range(a.ndim)))
    return out


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles (`q` in [0, 1], a number or an array) over `axis` (all axes when None).

    With an array `q`, the result has `q`'s axes first. A slice holding a NaN gives NaN.
    """
    return _quantile(x, q, axis, method, keepdims, False, "quantile")


def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles (`q` in [0, 100]); see `quantile`."""
    return _quantile(x, np.asarray(value_of(q), np.float64) / 100, axis, method, keepdims, False, "percentile")


def median(x, axis=None, keepdims=False):
    """The median over `axis` (all axes when None): the mean of the two middle values for even counts."""
    return _quantile(x, 0.5, axis, "linear", keepdims, False, "median")


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """`quantile` ignoring NaNs (NaN only for a slice of NaNs alone)."""
    return _quantile(x, q, axis, method, keepdims, True, "nanquantile")


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """`percentile` ignoring NaNs."""
    return _quantile(x, np.asarray(value_of(q), np.float64) / 100, axis, method, keepdims, True, "nanpercentile")


def nanmedian(x, axis=None, keepdims=False):
    """`median` ignoring NaNs."""
    return _quantile(x, 0.5, axis, "linear", keepdims, True, "nanmedian")
