"""Scattering values into arrays (`scatter`, `scatter_update`) and casting with saturation
(`saturate_cast`), as `keras.ops` has them.

`indices` hold one row of coordinates per update, the last axis indexing the
leading axes of the target. Both are functional (a new array is returned) and
differentiable in the values; repeated indices accumulate in `scatter` and in
`scatter_update(reduction="add")`.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.scatter(np.array([[0, 1], [0, 1], [2, 0]]), np.array([1.0, 2.0, 5.0]), (3, 2)).tolist()
    [[0.0, 3.0], [0.0, 0.0], [5.0, 0.0]]
"""

import numpy as np

from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import _recording_tapes, as_recordable, record, to_array, value_of
from nanokeras.ops.op_builders import cast_to

__all__ = []
CORE_NAMES = ["scatter", "scatter_update", "saturate_cast"]


def _index_rows(indices, target_shape, op):
    idx = np.asarray(value_of(indices))
    if idx.dtype.kind not in "iu":
        raise ValueError(f"`{op}`: `indices` must be integers, got dtype {idx.dtype}.")
    if idx.ndim == 0 or idx.shape[-1] > len(target_shape):
        raise ValueError(f"`{op}`: the last axis of `indices` ({idx.shape}) indexes the leading axes of a target of "
                         f"shape {tuple(target_shape)}.")
    depth = idx.shape[-1]
    rows = idx.reshape(-1, depth)
    for axis in range(depth):
        if rows.size and (rows[:, axis].min() < -target_shape[axis] or rows[:, axis].max() >= target_shape[axis]):
            raise ValueError(f"`{op}`: index out of range for axis {axis} of size {target_shape[axis]}.")
    return tuple(rows.T), idx.shape[:-1] + tuple(target_shape[depth:])


def scatter(indices, values, shape):
    """Zeros of `shape` with `values` added at `indices` (repeated indices add up)."""
    shape = tuple(int(s) for s in shape)
    key, update_shape = _index_rows(indices, shape, "scatter")
    v = to_array(values)
    if v.shape != update_shape:
        raise ValueError(f"`scatter`: `values` must have shape {update_shape} for these indices, got {v.shape}.")
    flat_shape = (-1,) + shape[len(key):]

    def compute():
        out = np.zeros(shape, dtype=v.dtype)
        np.add.at(out, key, v.reshape(flat_shape))
        return out

    out = compute()
    if not _recording_tapes:
        return out
    out = as_recordable(out)
    return record(out, (values, indices),
                  lambda g: (ops.reshape(ops.getitem(g, key), update_shape), None),
                  lambda: np.copyto(out, compute()))


_REDUCTIONS = {None: None, "add": np.add, "max": np.maximum, "min": np.minimum, "mul": np.multiply}


def scatter_update(inputs, indices, updates, reduction=None):
    """A copy of `inputs` with `updates` written at `indices`, or combined with what is there
    (`reduction="add"`, `"max"`, `"min"` or `"mul"`)."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"Unsupported `reduction` {reduction!r}: expected None, 'add', 'max', 'min' or 'mul'.")
    base = to_array(inputs)
    key, update_shape = _index_rows(indices, base.shape, "scatter_update")
    u = to_array(updates)
    try:
        np.broadcast_to(u, update_shape)
    except ValueError:
        raise ValueError(f"`scatter_update`: `updates` must broadcast to {update_shape}, got {u.shape}.") from None
    flat_shape = (-1,) + base.shape[len(key):]

    def flat_updates():
        return np.broadcast_to(to_array(updates), update_shape).reshape(flat_shape).astype(base.dtype)

    def compute():
        out = base.copy()
        if reduction is None:
            out[key] = flat_updates()
        else:
            _REDUCTIONS[reduction].at(out, key, flat_updates())
        return out

    out = compute()
    if not _recording_tapes:
        return out
    out = as_recordable(out)

    def vjp(g):
        at_key = ops.reshape(ops.getitem(g, key), flat_shape)
        if reduction is None:
            written = np.zeros(base.shape, bool)
            written[key] = True
            return ops.where(written, 0.0, g), _to_updates(at_key, update_shape, u.shape), None
        if reduction == "add":
            return g, _to_updates(at_key, update_shape, u.shape), None
        result_at_key = ops.reshape(ops.getitem(out_node, key), flat_shape)
        if reduction in ("max", "min"):
            # The gradient goes to what won (the input or updates), shared equally among ties.
            result = to_array(out_node)
            kept = (to_array(inputs) == result).astype(base.dtype)
            won = (flat_updates() == result[key]).astype(base.dtype)
            winners = kept.copy()
            np.add.at(winners, key, won)
            share = 1.0 / np.maximum(winners, 1.0)
            return (ops.multiply(g, kept * share),
                    _to_updates(ops.multiply(at_key, won * share[key]), update_shape, u.shape), None)
        # "mul": out = inputs * (product of the updates at each position).
        factors = np.ones(base.shape, base.dtype)
        np.multiply.at(factors, key, flat_updates())
        others = ops.multiply(ops.reshape(ops.getitem(ops.multiply(inputs, factors), key), flat_shape),
                              1.0 / np.where(flat_updates() == 0, 1.0, flat_updates()))
        return ops.multiply(g, factors), _to_updates(ops.multiply(at_key, others), update_shape, u.shape), None

    out_node = record(out, (inputs, updates, indices), vjp, lambda: np.copyto(out, compute()))
    return out_node


def _to_updates(gradient, update_shape, given_shape):
    """A gradient laid out as the updates: reshaped, and summed over axes they were broadcast along."""
    from nanokeras.ops.gradient_utils import unbroadcast

    return unbroadcast(ops.reshape(gradient, update_shape), given_shape)


def _limits(dtype):
    if dtype.kind == "b":
        return 0, 1
    info = np.iinfo(dtype) if dtype.kind in "iu" else np.finfo(dtype)
    return info.min, info.max


def _saturated_integers(a, target):
    """`a` converted to the integer (or bool) dtype `target`, values beyond its range set to its limits
    (as XLA converts floats, NaN to 0)."""
    low, high = _limits(target)
    if target.kind == "b":  # clipped to [0, 1]: negatives are False, NaN (not zero) True
        with np.errstate(invalid="ignore"):
            return np.isnan(a) | (np.clip(a, 0, 1) != 0) if a.dtype.kind == "f" else np.clip(a, 0, 1) != 0
    if a.dtype.kind in "iub":
        return np.clip(a.astype(np.int64) if a.dtype.kind != "u" else a, low, high).astype(target)
    wide = a.astype(np.float64)
    with np.errstate(invalid="ignore"):
        inside = np.clip(np.nan_to_num(wide, nan=0.0, posinf=float(high), neginf=float(low)), low, high)
        out = np.where(inside >= float(high), 0, inside).astype(target)
    out = np.where(inside >= float(high), np.asarray(high, target), out)
    return np.where(inside <= float(low), np.asarray(low, target), out)


def saturate_cast(x, dtype):
    """`x` cast to `dtype` after clipping to its range, so values out of range saturate instead of
    wrapping around (e.g. -1 and 256 as uint8 become 0 and 255; infinities become the limits)."""
    from nanokeras.backend.dtypes import standardize_dtype
    from nanokeras.ops.op_builders import values, without_gradient

    target = standardize_dtype(dtype)
    if target.kind in "iub":
        return without_gradient(lambda: _saturated_integers(values(x)[0], target), (x,))
    source = to_array(x).dtype
    if source.kind != "f":
        return cast_to(x, target)
    low, high = _limits(target)
    # The float target's limits, as the nearest values of the source dtype inside them.
    low = np.asarray(max(float(_limits(source)[0]), float(low)), np.float64).astype(source)
    high = np.asarray(min(float(_limits(source)[1]), float(high)), np.float64).astype(source)
    return cast_to(ops.clip(x, low, high), target)
