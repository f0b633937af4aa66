"""Rearranging arrays with numpy's names: stacking and splitting, flips and rotations, rolls,
unstacking, selecting among choices.

Each is written with the differentiable ops of `ops.numpy` (concatenate, getitem,
take, flip, transpose, where), so gradients and replays come with them.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.roll(np.arange(5), 2).tolist()
    [3, 4, 0, 1, 2]
    >>> ops.rot90(np.array([[1, 2], [3, 4]])).tolist()
    [[2, 4], [1, 3]]
"""

import builtins

import numpy as np

from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import TensorOperators, to_array
from nanokeras.ops.op_builders import cast_to, dtype_of, elementwise, normalize_axis, values, without_gradient

__all__ = [
    "append", "array_split", "hsplit", "vsplit", "dsplit", "hstack", "vstack", "dstack", "fliplr", "flipud",
    "rot90", "roll", "copy", "get_item", "view", "select", "unravel_index",
]
CORE_NAMES = ["unstack"]


def _ndim(x):
    return np.ndim(to_array(x))


def _common(xs):
    """The inputs converted to their common dtype (Keras promotes the inputs of a stack)."""
    xs = list(xs)
    if not xs:
        raise ValueError("Expected a non-empty sequence of arrays.")
    dtype = result_type(*[dtype_of(x) for x in xs])
    return [cast_to(x, dtype) for x in xs]


def append(x1, x2, axis=None):
    """`x2` appended to `x1` along `axis` (both flattened when `axis` is None)."""
    a, b = _common([x1, x2])
    if axis is None:
        return ops.concatenate([ops.ravel(a), ops.ravel(b)], axis=0)
    return ops.concatenate([a, b], axis=axis)


def _split_at(x, bounds, axis):
    index = (builtins.slice(None),) * axis
    return [ops.getitem(x, index + (builtins.slice(int(lo), int(hi)),)) for lo, hi in zip(bounds[:-1], bounds[1:])]


def array_split(x, indices_or_sections, axis=0):
    """Splits `x` along `axis` into `indices_or_sections` parts (unequal sizes allowed: the first
    parts get one more element), or at the given indices."""
    a = to_array(x)
    axis = normalize_axis(axis, a.ndim)
    n = a.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if indices_or_sections <= 0:
            raise ValueError(f"`indices_or_sections` must be a positive number of parts, got {indices_or_sections}.")
        sizes = np.array_split(np.arange(n), int(indices_or_sections))
        bounds = np.cumsum([0] + [len(s) for s in sizes])
    else:
        bounds = [0] + [builtins.min(builtins.max(int(i) if i >= 0 else n + int(i), 0), n)
                        for i in indices_or_sections] + [n]
        bounds = np.maximum.accumulate(np.asarray(bounds))
    return _split_at(x, bounds, axis)


def _equal_split(x, indices_or_sections, axis, op):
    a = to_array(x)
    if isinstance(indices_or_sections, (int, np.integer)) and a.shape[axis] % int(indices_or_sections):
        raise ValueError(
            f"`{op}` cannot divide axis {axis} of size {a.shape[axis]} into {indices_or_sections} equal parts; "
            "use `array_split` for unequal parts."
        )
    return array_split(x, indices_or_sections, axis)


def hsplit(x, indices_or_sections):
    """Splits along the second axis (the first for 1-D inputs) into equal parts or at indices."""
    if _ndim(x) == 0:
        raise ValueError("`hsplit` needs an input with at least 1 dimension.")
    return _equal_split(x, indices_or_sections, 1 if _ndim(x) > 1 else 0, "hsplit")


def vsplit(x, indices_or_sections):
    """Splits along the first axis (inputs of at least 2 dimensions)."""
    if _ndim(x) < 2:
        raise ValueError(f"`vsplit` needs an input with at least 2 dimensions, got {_ndim(x)}.")
    return _equal_split(x, indices_or_sections, 0, "vsplit")


def dsplit(x, indices_or_sections):
    """Splits along the third axis (inputs of at least 3 dimensions)."""
    if _ndim(x) < 3:
        raise ValueError(f"`dsplit` needs an input with at least 3 dimensions, got {_ndim(x)}.")
    return _equal_split(x, indices_or_sections, 2, "dsplit")


def _at_least(x, rank):
    """`x` with at least `rank` dimensions, as `np.atleast_1d/2d/3d` add them."""
    shape = np.shape(to_array(x))
    if len(shape) >= rank:
        return x
    if rank == 3:
        new_shape = {0: (1, 1, 1), 1: (1,) + shape + (1,), 2: shape + (1,)}[len(shape)]
    else:
        new_shape = (1,) * (rank - len(shape)) + shape
    return ops.reshape(x, new_shape)


def hstack(xs):
    """Joins arrays along the second axis (the first for 1-D arrays)."""
    xs = [_at_least(x, 1) for x in _common(xs)]
    return ops.concatenate(xs, axis=0 if _ndim(xs[0]) == 1 else 1)


def vstack(xs):
    """Joins arrays along the first axis (1-D arrays become rows)."""
    return ops.concatenate([_at_least(x, 2) for x in _common(xs)], axis=0)


def dstack(xs):
    """Joins arrays along the third axis (2-D arrays become `(rows, columns, 1)`)."""
    return ops.concatenate([_at_least(x, 3) for x in _common(xs)], axis=2)


def fliplr(x):
    """Reverses the second axis (columns)."""
    if _ndim(x) < 2:
        raise ValueError(f"`fliplr` needs an input with at least 2 dimensions, got {_ndim(x)}.")
    return ops.flip(x, 1)


def flipud(x):
    """Reverses the first axis (rows)."""
    if _ndim(x) < 1:
        raise ValueError("`flipud` needs an input with at least 1 dimension.")
    return ops.flip(x, 0)


def rot90(array, k=1, axes=(0, 1)):
    """Rotates by 90 degrees `k` times in the plane of `axes` (from the first axis towards the second)."""
    ndim = _ndim(array)
    if ndim < 2:
        raise ValueError(f"`rot90` needs an input with at least 2 dimensions, got {ndim}.")
    if len(axes) != 2:
        raise ValueError(f"`axes` must name two different axes, got {axes!r}.")
    first, second = (normalize_axis(a, ndim, "axes") for a in axes)
    if first == second:
        raise ValueError(f"`axes` must name two different axes, got {axes!r}.")
    k = int(k) % 4
    if k == 0:
        return ops.reshape(array, np.shape(to_array(array)))
    if k == 2:
        return ops.flip(ops.flip(array, first), second)
    order = list(range(ndim))
    order[first], order[second] = order[second], order[first]
    if k == 1:
        return ops.transpose(ops.flip(array, second), order)
    return ops.flip(ops.transpose(array, order), second)


def roll(x, shift, axis=None):
    """Shifts elements along `axis` by `shift` (wrapping around); the flattened array when `axis` is None."""
    a = to_array(x)
    if axis is None:
        if a.size == 0:
            return x
        positions = np.roll(np.arange(a.size), int(np.sum(shift)))
        return ops.reshape(ops.take(ops.ravel(x), positions), a.shape)
    try:
        shifts, axes = np.broadcast_arrays(np.asarray(shift), np.asarray(axis))
    except ValueError:
        raise ValueError(f"`shift` and `axis` must broadcast together, got {shift!r} and {axis!r}.") from None
    out = x
    for s, ax in zip(shifts.ravel().tolist(), axes.ravel().tolist()):
        ax = normalize_axis(ax, a.ndim)
        if a.shape[ax]:
            out = ops.take(out, np.roll(np.arange(a.shape[ax]), int(s)), axis=ax)
    return out


def unstack(x, num=None, axis=0):
    """The slices of `x` along `axis`, as a list."""
    a = to_array(x)
    axis = normalize_axis(axis, a.ndim)
    if num is not None and num != a.shape[axis]:
        raise ValueError(f"`num` ({num}) must equal the size of axis {axis} ({a.shape[axis]}).")
    index = (builtins.slice(None),) * axis
    return [ops.getitem(x, index + (i,)) for i in range(a.shape[axis])]


def copy(x):
    """A copy of `x` (the gradient passes through)."""
    return elementwise(np.copy, x if isinstance(x, TensorOperators) else to_array(x), lambda v: 1.0)


def get_item(x, key):
    """`x[key]`, as `ops.getitem`."""
    return ops.getitem(x, key)


def view(x, dtype=None):
    """The same bytes read as `dtype` (no gradient); `x` itself when `dtype` is None."""
    if dtype is None:
        return x
    dtype = np.dtype(dtype)
    return without_gradient(lambda: values(x)[0].view(dtype), (x,))


def select(condlist, choicelist, default=0):
    """`choicelist[i]` where `condlist[i]` is the first true condition, else `default`.

    Example:
        >>> x = np.arange(5)
        >>> select([x < 2, x > 3], [x, x * 10], default=-1).tolist()
        [0, 1, -1, -1, 40]
    """
    condlist, choicelist = list(condlist), list(choicelist)
    if len(condlist) != len(choicelist):
        raise ValueError(f"`condlist` and `choicelist` need the same length, got {len(condlist)} and {len(choicelist)}.")
    if not condlist:
        raise ValueError("`select` needs at least one condition and choice.")
    for i, condition in enumerate(condlist):
        if to_array(condition).dtype != np.bool_:
            raise TypeError(f"`condlist[{i}]` must be boolean, got dtype {to_array(condition).dtype}.")
    choices = _common(choicelist + [default])
    out = choices[-1]
    for condition, choice in zip(reversed(condlist), reversed(choices[:-1])):
        out = ops.where(condition, choice, out)
    shape = np.broadcast_shapes(*[np.shape(to_array(v)) for v in condlist + choicelist])
    return ops.broadcast_to(out, shape) if np.shape(to_array(out)) != shape else out


def unravel_index(indices, shape):
    """The coordinates (one array per axis of `shape`) of flat `indices`."""
    dtype = to_array(indices).dtype
    return without_gradient(
        lambda: tuple(i.astype(dtype) for i in np.unravel_index(values(indices)[0], tuple(shape))), (indices,))
