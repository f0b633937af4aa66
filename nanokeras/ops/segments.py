"""Segment reductions of `keras.ops`: `segment_max`, `segment_min`, `segment_prod` (with
`segment_sum` in `ops/math.py`), and `erfinv`, `cdist`.

A segment reduction combines the rows of `data` that share a segment id. Empty
segments hold the reduction's identity (-inf for max, inf for min, 1 for
products), as on JAX; ids outside `[0, num_segments)` are dropped. Ties in
max/min share the gradient equally; products get the product of the other rows
(exact also with zeros).

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.segment_max(np.array([1.0, 5.0, 3.0]), np.array([0, 0, 1]), num_segments=3).tolist()
    [5.0, 3.0, -inf]
"""

import math

import numpy as np

from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import _recording_tapes, as_recordable, copy_forward, record, to_array, value_of
from nanokeras.ops.math import segment_sum
from nanokeras.ops.op_builders import as_float, elementwise, promoted

__all__ = []
MATH_NAMES = ["segment_max", "segment_min", "segment_prod", "erfinv", "cdist"]


def _segment_ids(data, segment_ids, num_segments, op):
    a = to_array(data)
    ids = np.asarray(value_of(segment_ids))
    if ids.ndim != 1 or ids.shape[0] != a.shape[0]:
        raise ValueError(f"`{op}` needs 1-D `segment_ids` with one id per row of `data`; got ids of shape "
                         f"{ids.shape} for data of shape {a.shape}.")
    if ids.dtype.kind not in "iu":
        raise ValueError(f"`{op}`: `segment_ids` must be integers, got dtype {ids.dtype}.")
    if num_segments is None:  # a shape: a constant of a replayed step
        num_segments = int(ids.max()) + 1 if ids.size else 0
    return a, int(num_segments)


def _reduce(ufunc, identity, data, segment_ids, num_segments):
    a = to_array(data)
    ids = np.asarray(value_of(segment_ids)).astype(np.int64)
    keep = (ids >= 0) & (ids < num_segments)
    out = np.full((num_segments,) + a.shape[1:], identity, dtype=a.dtype)
    ufunc.at(out, ids[keep], a[keep])
    return out


def _per_row(values, segment_ids, num_segments):
    """`values[segment_ids]` for each row (0 for rows whose id is out of range); differentiable in `values`."""
    ids = np.asarray(value_of(segment_ids)).astype(np.int64)
    keep = (ids >= 0) & (ids < num_segments)
    return ops.take(values, np.where(keep, ids, 0), axis=0), keep


def _segment_extreme(ufunc, identity, data, segment_ids, num_segments, sorted, op):
    data = as_float(data) if to_array(data).dtype.kind == "b" else data
    a, num_segments = _segment_ids(data, segment_ids, num_segments, op)
    identity = identity if a.dtype.kind == "f" else (np.iinfo(a.dtype).min if identity < 0 else np.iinfo(a.dtype).max)
    out = _reduce(ufunc, identity, data, segment_ids, num_segments)
    if not _recording_tapes or a.dtype.kind != "f":
        return out
    out = as_recordable(out)

    def vjp(g):
        extreme, keep = _per_row(out, segment_ids, num_segments)
        shape = (-1,) + (1,) * (a.ndim - 1)
        hits = ops.multiply(ops._astype(ops.equal(data, extreme), a.dtype), keep.reshape(shape).astype(a.dtype))
        counts = segment_sum(hits, segment_ids, num_segments=num_segments)
        share = ops.divide(g, ops.maximum(counts, 1.0))
        return ops.multiply(hits, _per_row(share, segment_ids, num_segments)[0]), None

    return record(out, (data, segment_ids), vjp,
                  copy_forward(out, lambda: _reduce(ufunc, identity, data, segment_ids, num_segments)))


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """The maximum of the rows of `data` in each segment (-inf for an empty segment)."""
    return _segment_extreme(np.maximum, -np.inf, data, segment_ids, num_segments, sorted, "segment_max")


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """The minimum of the rows of `data` in each segment (inf for an empty segment)."""
    return _segment_extreme(np.minimum, np.inf, data, segment_ids, num_segments, sorted, "segment_min")


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """The product of the rows of `data` in each segment (1 for an empty segment)."""
    a, num_segments = _segment_ids(data, segment_ids, num_segments, "segment_prod")
    out = _reduce(np.multiply, 1, data, segment_ids, num_segments)
    if not _recording_tapes or a.dtype.kind != "f":
        return out
    out = as_recordable(out)

    def vjp(g):
        # d/dx_i of a segment's product is the product of its other rows: with no zero in the
        # segment, prod / x_i; with one zero, the product of the rest for the zero itself, 0 elsewhere.
        zero = ops.equal(data, 0)
        nonzero_product = segment_prod(ops.where(zero, 1.0, data), segment_ids, num_segments)
        zeros = segment_sum(ops._astype(zero, a.dtype), segment_ids, num_segments=num_segments)
        row_product, keep = _per_row(nonzero_product, segment_ids, num_segments)
        row_zeros, _ = _per_row(zeros, segment_ids, num_segments)
        others = ops.where(ops.equal(row_zeros, 0), ops.divide(row_product, ops.where(zero, 1.0, data)),
                           ops.where(ops.logical_and(ops.equal(row_zeros, 1), zero), row_product, 0.0))
        shape = (-1,) + (1,) * (a.ndim - 1)
        gradient = ops.multiply(_per_row(g, segment_ids, num_segments)[0], others)
        return ops.multiply(gradient, keep.reshape(shape).astype(a.dtype)), None

    return record(out, (data, segment_ids), vjp,
                  copy_forward(out, lambda: _reduce(np.multiply, 1, data, segment_ids, num_segments)))


_erf = np.frompyfunc(math.erf, 1, 1)


def _erfinv_values(a):
    """The inverse error function: Giles's approximation, then Newton steps on `erf` in float64."""
    x = np.asarray(a, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = -np.log((1.0 - x) * (1.0 + x))
        small = w < 5.0
        ws, wl = w - 2.5, np.sqrt(w) - 3.0
        p_small = np.polyval([2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                              -0.00125372503, -0.00417768164, 0.246640727, 1.50140941], ws)
        p_large = np.polyval([-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                              -0.0076224613, 0.00943887047, 1.00167406, 2.83297682], wl)
        y = np.where(small, p_small, p_large) * x
        finite = np.isfinite(y) & (np.abs(x) < 1)
        for _ in range(2):  # Newton: y -= (erf(y) - x) / erf'(y)
            safe = np.where(finite, y, 0.0)
            error = _erf(safe).astype(np.float64) - x if safe.ndim else math.erf(float(safe)) - x
            y = np.where(finite, safe - error / (2 / math.sqrt(math.pi) * np.exp(-safe * safe)), y)
        y = np.where(x == 1, np.inf, np.where(x == -1, -np.inf, np.where(np.abs(x) > 1, np.nan, y)))
    return y.astype(np.asarray(a).dtype)


def erfinv(x):
    """The inverse error function: `erfinv(erf(y)) = y` for `x` in (-1, 1)."""
    return elementwise(_erfinv_values, as_float(x),
                       lambda v: ops.multiply(ops.exp(ops.square(erfinv(v))), math.sqrt(math.pi) / 2))


def cdist(x, y):
    """Euclidean distances between the rows of `x` (..., n, d) and of `y` (..., m, d): shape (..., n, m)."""
    x, y = promoted(x, y, to_float=True)
    if to_array(x).ndim < 2 or to_array(y).ndim < 2:
        raise ValueError("`cdist` inputs must have rank >= 2.")
    if to_array(x).shape[-1] != to_array(y).shape[-1]:
        raise ValueError(f"The last axes of the inputs to `cdist` must match, got {to_array(x).shape[-1]} and "
                         f"{to_array(y).shape[-1]}.")
    difference = ops.subtract(ops.expand_dims(x, -2), ops.expand_dims(y, -3))
    return ops.sqrt(ops.sum(ops.square(difference), axis=-1))
