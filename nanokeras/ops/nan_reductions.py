"""Reductions that ignore NaNs: `nansum`, `nanmean`, `nanvar`, `nanstd`, `nanmax`, `nanmin`,
`nanprod`, `nancumsum`, `nancumprod`, `nanargmax`, `nanargmin`.

Each replaces NaNs by the neutral value of its reduction (0 for sums, 1 for
products, -inf for maxima, ...) with `where`, so NaNs get no gradient; a slice
of NaNs alone gives NaN (mean, variance, max, min) or -1 (argmax, argmin), as
in Keras.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> x = np.array([[1.0, np.nan], [np.nan, np.nan]])
    >>> ops.nansum(x, axis=1).tolist()
    [1.0, 0.0]
    >>> ops.nanmean(x, axis=1).tolist()
    [1.0, nan]
"""

import numpy as np

from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.op_builders import cast_to, dtype_of, values, without_gradient
from nanokeras.ops.statistics import cumprod

__all__ = ["nansum", "nanmean", "nanvar", "nanstd", "nanmax", "nanmin", "nanprod", "nancumsum", "nancumprod",
           "nanargmax", "nanargmin"]

_WIDER = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32", "uint16": "uint32"}


def _is_float(x):
    return to_array(x).dtype.kind in "fc"


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _without_nans(x, neutral):
    return ops.where(ops.isnan(x), np.asarray(neutral, to_array(x).dtype), x) if _is_float(x) else x


def _count(x, axis, keepdims):
    kept = ops._astype(ops.logical_not(ops.isnan(x)), to_array(x).dtype)
    return ops.sum(kept, axis=axis, keepdims=keepdims)


def nansum(x, axis=None, keepdims=False):
    """Sum over `axis`, NaNs counted as 0 (small integer types sum as int32/uint32, as in Keras)."""
    dtype = str(dtype_of(x))
    x = cast_to(x, _WIDER.get(dtype, to_array(x).dtype))
    out = ops.sum(_without_nans(x, 0), axis=_axis(axis), keepdims=keepdims)
    return out if _is_float(x) else cast_to(out, to_array(x).dtype)


def _float(x):
    dtype = dtype_of(x)
    return cast_to(x, result_type(dtype, float))


def nanmean(x, axis=None, keepdims=False):
    """Mean of the non-NaN values over `axis` (NaN for a slice of NaNs alone)."""
    x = _float(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ops.divide(nansum(x, axis, keepdims), _count(x, _axis(axis), keepdims))


def nanvar(x, axis=None, keepdims=False):
    """Variance of the non-NaN values over `axis`."""
    x = _float(x)
    mean = nanmean(x, axis, keepdims=True)
    # Deviations of the NaN entries are set to 0 before squaring, not after: a NaN that reached
    # `square` would turn its zero gradient into NaN (0 * NaN) in the backward pass.
    missing = ops.isnan(x)
    deviations = ops.where(missing, 0.0, ops.subtract(_without_nans(x, 0), mean))
    squares = ops.square(deviations)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ops.divide(nansum(squares, axis, keepdims), _count(x, _axis(axis), keepdims))


def nanstd(x, axis=None, keepdims=False):
    """Standard deviation of the non-NaN values over `axis`."""
    return ops.sqrt(nanvar(x, axis, keepdims))


def _nan_extreme(reduce, neutral, x, axis, keepdims):
    if not _is_float(x):
        return reduce(x, axis=_axis(axis), keepdims=keepdims)
    out = reduce(_without_nans(x, neutral), axis=_axis(axis), keepdims=keepdims)
    all_nan = ops.all(ops.isnan(x), axis=_axis(axis), keepdims=keepdims)
    return ops.where(all_nan, np.asarray(np.nan, to_array(x).dtype), out)


def nanmax(x, axis=None, keepdims=False):
    """Maximum over `axis`, ignoring NaNs (NaN for a slice of NaNs alone)."""
    return _nan_extreme(ops.max, -np.inf, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    """Minimum over `axis`, ignoring NaNs (NaN for a slice of NaNs alone)."""
    return _nan_extreme(ops.min, np.inf, x, axis, keepdims)


def nanprod(x, axis=None, keepdims=False):
    """Product over `axis`, NaNs counted as 1."""
    dtype = str(dtype_of(x))
    x = cast_to(x, _WIDER.get(dtype, to_array(x).dtype))
    return ops.prod(_without_nans(x, 1), axis=_axis(axis), keepdims=keepdims)


def nancumsum(x, axis=None, dtype=None):
    """Running sums along `axis` (of the flattened input when None), NaNs counted as 0."""
    target = result_type(dtype if dtype is not None else dtype_of(x))
    x = cast_to(x, "int32" if target == "bool" else target)
    out = ops.cumsum(_without_nans(x, 0), axis=axis)
    return out if _is_float(x) else cast_to(out, to_array(x).dtype)


def nancumprod(x, axis=None, dtype=None):
    """Running products along `axis` (of the flattened input when None), NaNs counted as 1."""
    target = result_type(dtype if dtype is not None else dtype_of(x))
    x = cast_to(x, "int32" if target == "bool" else target)
    return cumprod(_without_nans(x, 1), axis=axis)


def _nan_arg(np_arg, fill, x, axis, keepdims):
    def compute():
        a = values(x)[0]
        if a.dtype.kind not in "fc":
            return np.asarray(np_arg(a, axis=axis, keepdims=keepdims)).astype(np.int32)
        missing = np.isnan(a)
        index = np.asarray(np_arg(np.where(missing, fill, a), axis=axis, keepdims=keepdims)).astype(np.int32)
        return np.where(np.all(missing, axis=axis, keepdims=keepdims), np.int32(-1), index)

    return without_gradient(compute, (x,))


def nanargmax(x, axis=None, keepdims=False):
    """Index of the maximum over `axis`, ignoring NaNs (-1 for a slice of NaNs alone)."""
    return _nan_arg(np.argmax, -np.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    """Index of the minimum over `axis`, ignoring NaNs (-1 for a slice of NaNs alone)."""
    return _nan_arg(np.argmin, np.inf, x, axis, keepdims)
