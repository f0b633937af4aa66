"""Counting and searching in `keras.ops`: `histogram`, `bincount`, `digitize`, `searchsorted`,
`argpartition`, `unique`, `nonzero`.

Results that are indices or counts have no gradient (int32, as Keras gives them);
`bincount`'s weighted counts are differentiable with respect to the weights.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.bincount(np.array([0, 1, 1, 3])).tolist()
    [1, 2, 0, 1]
    >>> ops.searchsorted(np.array([1.0, 2.0, 3.0]), np.array([2.5, 0.0])).tolist()
    [2, 0]
"""

import numpy as np

from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array, value_of
from nanokeras.ops.math import segment_sum
from nanokeras.ops.op_builders import cast_to, dtype_of, normalize_axis, values, without_gradient

__all__ = ["histogram", "bincount", "digitize", "searchsorted", "argpartition", "unique", "nonzero"]


def histogram(x, bins=10, range=None):
    """Counts of the 1-D `x`'s values in `bins` equal-width bins over `range` (`(min, max)` by default).

    Returns `(counts, bin_edges)`, both floats as Keras gives them on JAX.
    """
    dtype = np.dtype(result_type(dtype_of(x), float))
    if np.ndim(to_array(x)) > 1:
        raise ValueError(f"`histogram` needs a 1-D input, got shape {np.shape(to_array(x))}.")
    if not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"`bins` must be a positive integer, got {bins!r}.")
    if range is not None and (len(range) != 2 or not range[0] <= range[1]):
        raise ValueError(f"`range` must be a pair (low, high) with low <= high, got {range!r}.")

    def compute():
        counts, edges = np.histogram(values(x)[0], bins=int(bins), range=range)
        return counts.astype(dtype), edges.astype(dtype)

    return without_gradient(compute, (x,))


def bincount(x, weights=None, minlength=0, sparse=False):
    """How many times each non-negative integer occurs in `x` (summing `weights` instead when given).

    A 2-D `x` counts each row. The length is `max(x) + 1`, at least `minlength`.
    """
    if sparse:
        raise ValueError("nanokeras has dense arrays only: `sparse` must be False.")
    ids = to_array(x)
    if ids.dtype.kind not in "iub" or ids.ndim not in (1, 2):
        raise ValueError(f"`bincount` needs a 1-D or 2-D array of integers, got {ids.dtype} of shape {ids.shape}.")
    if ids.size and ids.min() < 0:
        raise ValueError("`bincount` counts non-negative integers; `x` holds negative values.")
    length = max(int(ids.max()) + 1 if ids.size else 0, int(minlength))
    if weights is None:
        def counts():
            rows = values(x)[0]
            if rows.ndim == 1:
                return np.bincount(rows, minlength=length).astype(np.int32)
            return np.stack([np.bincount(r, minlength=length) for r in rows]).astype(np.int32)

        return without_gradient(counts, (x,))
    dtype = result_type(dtype_of(x), dtype_of(weights))
    w = cast_to(weights, dtype)
    if to_array(w).shape != ids.shape:
        raise ValueError(f"`weights` must have the shape of `x` {ids.shape}, got {to_array(w).shape}.")
    if ids.ndim == 1:
        return segment_sum(w, x, num_segments=length)
    # Each row counts into its own block of `length` bins.
    offsets = (np.arange(ids.shape[0]) * length)[:, None]
    flat_ids = ops.ravel(ops.add(x, offsets.astype(ids.dtype)))
    return ops.reshape(segment_sum(ops.ravel(w), flat_ids, num_segments=length * ids.shape[0]), (ids.shape[0], length))


def digitize(x, bins):
    """The index of the bin each value falls in (`bins` increasing or decreasing), as int32."""
    return without_gradient(lambda: np.digitize(*values(x, bins)).astype(np.int32), (x, bins))


def searchsorted(sorted_sequence, values_, side="left"):
    """Where to insert `values_` into the 1-D `sorted_sequence` to keep it sorted (int32 indices)."""
    if np.ndim(to_array(sorted_sequence)) != 1:
        raise ValueError(
            f"`searchsorted` needs a 1-D sorted sequence, got shape {np.shape(to_array(sorted_sequence))}; "
            "use `keras.ops.vectorized_map` for more dimensions."
        )
    if side not in ("left", "right"):
        raise ValueError(f"`side` must be 'left' or 'right', got {side!r}.")
    return without_gradient(
        lambda: np.searchsorted(*values(sorted_sequence, values_), side=side).astype(np.int32),
        (sorted_sequence, values_))


def argpartition(x, kth, axis=-1):
    """Indices that partition `x` along `axis`: the `kth` element in its sorted place, smaller ones
    before it, larger ones after (in no particular order)."""
    a = to_array(x)
    axis = normalize_axis(axis, a.ndim)
    if not -a.shape[axis] <= int(kth) < a.shape[axis]:
        raise ValueError(f"`kth` {kth} is out of range for an axis of size {a.shape[axis]}.")
    return without_gradient(lambda: np.argpartition(values(x)[0], kth, axis=axis).astype(np.int32), (x,))


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None, size=None,
           fill_value=None):
    """The sorted unique values of `x` (or unique slices along `axis`), optionally with the index of
    each value's first occurrence, the inverse mapping and the counts (int32).

    With `size`, the result is cut or padded (with `fill_value`, by default the smallest value)
    to that many entries, as on JAX.
    """
    a = to_array(value_of(x))
    result = np.unique(a, return_index=return_index, return_inverse=return_inverse,
                       return_counts=return_counts, axis=axis)
    parts = list(result) if isinstance(result, tuple) else [result]
    extras = [p.astype(np.int32) for p in parts[1:]]
    uniques = parts[0]
    if size is not None:
        dim = 0 if axis is None else normalize_axis(axis, a.ndim)
        count = uniques.shape[dim]
        if count >= size:
            key = [slice(None)] * uniques.ndim
            key[dim] = slice(0, size)
            uniques = uniques[tuple(key)]
        else:
            fill = np.min(a) if fill_value is None and a.size else (0 if fill_value is None else fill_value)
            widths = [(0, 0)] * uniques.ndim
            widths[dim] = (0, size - count)
            uniques = np.pad(uniques, widths, constant_values=fill)
        trimmed = []
        names = [n for n, asked in (("index", return_index), ("inverse", return_inverse), ("counts", return_counts))
                 if asked]
        for name, extra in zip(names, extras):
            if name == "inverse":
                trimmed.append(extra)
            elif count >= size:
                trimmed.append(extra[:size])
            else:
                trimmed.append(np.pad(extra, (0, size - count), constant_values=0))
        extras = trimmed
    if not (return_index or return_inverse or return_counts):
        return uniques
    return (uniques, *extras)


def nonzero(x):
    """The indices of the non-zero elements, one int32 array per axis."""
    return without_gradient(lambda: tuple(i.astype(np.int32) for i in np.nonzero(values(x)[0])), (x,))
