"""Diagonals and products of `keras.ops`: `diag`, `diagflat`, `diagonal`, `trace`, `kron`,
`inner`, `vdot`, `cross`, `vander`.

They are written with the differentiable ops of `ops.numpy` (indexing, sums,
products), so gradients and replays come with them.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.trace(np.arange(9).reshape(3, 3)).item()
    12
    >>> ops.cross(np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])).tolist()
    [0.0, 0.0, 1.0]
"""

import builtins

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import _recording_tapes, as_recordable, copy_forward, record, to_array
from nanokeras.ops.op_builders import cast_to, dtype_of, normalize_axis, promoted

__all__ = ["diag", "diagflat", "diagonal", "trace", "kron", "inner", "vdot", "cross", "vander"]


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The `offset`-th diagonal of the planes spanned by `axis1` and `axis2`, as a last axis."""
    a = to_array(x)
    if a.ndim < 2:
        raise ValueError(f"`diagonal` needs an input with at least 2 dimensions, got shape {a.shape}.")
    axis1, axis2 = normalize_axis(axis1, a.ndim, "axis1"), normalize_axis(axis2, a.ndim, "axis2")
    if axis1 == axis2:
        raise ValueError(f"`axis1` and `axis2` must differ, got {axis1} and {axis2}.")
    moved = ops.moveaxis(x, (axis1, axis2), (-2, -1))
    rows, cols = a.shape[axis1], a.shape[axis2]
    first_row, first_col = builtins.max(-offset, 0), builtins.max(offset, 0)
    length = builtins.max(builtins.min(rows - first_row, cols - first_col), 0)
    index = np.arange(length)
    return ops.getitem(moved, (Ellipsis, index + first_row, index + first_col))


def diag(x, k=0):
    """The `k`-th diagonal of a matrix, or a square matrix with the vector `x` on its `k`-th diagonal."""
    a = to_array(x)
    if a.ndim == 2:
        return diagonal(x, k)
    if a.ndim != 1:
        raise ValueError(f"`diag` needs a 1-D or 2-D input, got shape {a.shape}.")
    n = a.shape[0] + builtins.abs(k)
    # Entry 0 of the padded vector is the zero off the diagonal; entry i + 1 is x[i].
    positions = np.zeros((n, n), np.int64)
    rows = np.arange(a.shape[0]) + builtins.max(-k, 0)
    positions[rows, rows + k] = np.arange(1, a.shape[0] + 1)
    padded = ops.concatenate([ops.zeros((1,), a.dtype), x if a.dtype == to_array(x).dtype else a], axis=0)
    return ops.take(padded, positions)


def diagflat(x, k=0):
    """A square matrix with the flattened `x` on its `k`-th diagonal."""
    return diag(ops.ravel(x), k)


def trace(x, offset=0, axis1=0, axis2=1):
    """The sum along the `offset`-th diagonal (of each plane spanned by `axis1` and `axis2`)."""
    dtype = str(dtype_of(x))
    wider = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32", "uint16": "uint32"}
    target = np.dtype(wider.get(dtype, to_array(x).dtype))
    total = ops.sum(diagonal(cast_to(x, target), offset, axis1, axis2), axis=-1)
    return total if target.kind == "f" else cast_to(total, target)  # numpy sums int32 as int64


def kron(x1, x2):
    """The Kronecker product: `x2` scaled by each element of `x1`, tiled in `x1`'s layout."""
    a, b = promoted(x1, x2)
    sa, sb = np.shape(to_array(a)), np.shape(to_array(b))
    rank = builtins.max(len(sa), len(sb))
    sa, sb = (1,) * (rank - len(sa)) + sa, (1,) * (rank - len(sb)) + sb
    # Interleave the axes: (a0, 1, a1, 1, ...) times (1, b0, 1, b1, ...), then merge each pair.
    left = ops.reshape(a, [d for n in sa for d in (n, 1)])
    right = ops.reshape(b, [d for n in sb for d in (1, n)])
    return ops.reshape(ops.multiply(left, right), [m * n for m, n in zip(sa, sb)])


def inner(x1, x2):
    """The sum of products over the last axes (a product when one input is a scalar)."""
    a, b = promoted(x1, x2)
    if to_array(a).ndim == 0 or to_array(b).ndim == 0:
        return ops.multiply(a, b)
    if to_array(a).shape[-1] != to_array(b).shape[-1]:
        raise ValueError(f"`inner` needs equal last axes, got shapes {to_array(a).shape} and {to_array(b).shape}.")
    return ops.tensordot(a, b, axes=([-1], [-1]))


def vdot(x1, x2):
    """The dot product of the flattened inputs (a scalar)."""
    a, b = promoted(x1, x2)
    if to_array(a).size != to_array(b).size:
        raise ValueError(f"`vdot` needs inputs of the same size, got {to_array(a).size} and {to_array(b).size}.")
    # Keras's dtype is the inputs' result type (`sum` alone would widen int8 to int32, bool to int32).
    return cast_to(ops.sum(ops.multiply(ops.ravel(a), ops.ravel(b))), dtype_of(a))


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-D (or 2-D) vectors along `axisa`/`axisb` (or `axis` for all three)."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = promoted(x1, x2)
    a = ops.moveaxis(a, normalize_axis(axisa, to_array(a).ndim, "axisa"), -1)
    b = ops.moveaxis(b, normalize_axis(axisb, to_array(b).ndim, "axisb"), -1)
    na, nb = to_array(a).shape[-1], to_array(b).shape[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError(f"`cross` needs vectors of size 2 or 3, got sizes {na} and {nb}.")

    def component(v, i, n):
        return ops.getitem(v, (Ellipsis, i)) if i < n else None

    def times(p, q):
        return None if p is None or q is None else ops.multiply(p, q)

    def minus(p, q):
        if p is None:
            return ops.negative(q) if q is not None else None
        return p if q is None else ops.subtract(p, q)

    a0, a1, a2 = (component(a, i, na) for i in range(3))
    b0, b1, b2 = (component(b, i, nb) for i in range(3))
    z = minus(times(a0, b1), times(a1, b0))
    if na == 2 and nb == 2:
        return z
    x, y = minus(times(a1, b2), times(a2, b1)), minus(times(a2, b0), times(a0, b2))
    x, y, z = (ops.zeros_like(to_array(z)) if v is None else v for v in (x, y, z))
    x, y, z = (ops.broadcast_to(v, np.broadcast_shapes(*[np.shape(to_array(t)) for t in (x, y, z)]))
               if np.shape(to_array(v)) != np.broadcast_shapes(*[np.shape(to_array(t)) for t in (x, y, z)]) else v
               for v in (x, y, z))
    out = ops.stack([x, y, z], axis=-1)
    return ops.moveaxis(out, -1, normalize_axis(axisc, to_array(out).ndim, "axisc"))


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of the 1-D `x`: columns `x**(N-1), ..., x, 1` (the other way when `increasing`)."""
    a = to_array(x)
    if a.ndim != 1:
        raise ValueError(f"`vander` needs a 1-D input, got shape {a.shape}.")
    N = a.shape[0] if N is None else int(N)
    powers = np.arange(N) if increasing else np.arange(N)[::-1]
    out_dtype = np.dtype(result_type(dtype_of(x)))
    compute_dtype = result_type(dtype_of(x), config.floatx())

    def compute():
        return np.power(a.astype(compute_dtype)[:, None], powers).astype(out_dtype)

    out = compute()
    if not _recording_tapes or out_dtype.kind != "f":
        return out

    def vjp(g):
        # d x**p / dx = p * x**(p - 1), and 0 for p = 0.
        exponents = np.maximum(powers - 1, 0).astype(out_dtype)
        slope = ops.multiply(ops.power(ops.expand_dims(x, -1), exponents), powers.astype(out_dtype))
        return (ops.sum(ops.multiply(g, slope), axis=-1),)

    out = as_recordable(out)
    return record(out, (x,), vjp, copy_forward(out, compute))
