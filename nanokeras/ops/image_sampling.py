"""Sampling images at arbitrary coordinates: `map_coordinates` and `affine_transform` (as JAX computes them).

A sample at a fractional coordinate is a weighted sum of the pixels around it:
for linear interpolation (order 1) the two neighbours on each axis, weighted
by closeness; for order 0 the nearest pixel (halves rounded away from zero).
Neighbours outside the image are read according to `fill_mode`: `constant`
uses `fill_value`, `nearest` repeats the edge, `wrap` tiles the image,
`mirror` and `reflect` mirror it (without and with repeating the edge pixel).

All neighbours of all samples are gathered at once (no loop over pixels);
the gradient scatters the output gradient back to those neighbours with
`numpy.bincount`. The coordinates (and the transform) get no gradient.
"""

import math

import numpy as np

from nanokeras.ops.gradient_utils import _recording_tapes, record, value_of

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
INTERPOLATIONS = {"nearest": 0, "bilinear": 1}


def _mirror(index, size):
    period = size - 1
    if period == 0:
        return np.zeros_like(index)
    return np.abs((index + period) % (2 * period) - period)


def _reflect(index, size):
    return (_mirror(2 * index + 1, 2 * size + 1) - 1) // 2


_FIXERS = {
    "constant": lambda index, size: index,
    "nearest": lambda index, size: np.clip(index, 0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": _mirror,
    "reflect": _reflect,
}


def _nodes(coordinate, order):
    """Neighbour indices (nodes, *shape) and their weights for one axis."""
    if order == 0:
        index = np.sign(coordinate) * np.floor(np.abs(coordinate) + 0.5)  # round half away from zero
        return index.astype(np.intp)[None], np.ones((1,) + coordinate.shape, dtype=coordinate.dtype)
    lower = np.floor(coordinate)
    upper_weight = coordinate - lower
    index = lower.astype(np.intp)
    return np.stack([index, index + 1]), np.stack([1 - upper_weight, upper_weight])


class Sampler:
    """Reads `values` (of `shape`) at coordinates along `axes`; other leading/trailing axes ride along.

    Built once per call: it holds the flat indices of every neighbour, whether
    it is inside the image, and its weight, so that the forward value and the
    gradient use the same neighbours.

    Args:
        shape: the sampled array's shape.
        coordinates: one float array per sampled axis, all of one shape `S`.
        lead: how many leading axes of `shape` are matched index-for-index with the
            first axes of `S` (the batch of `affine_transform`), or 0.
        order, fill_mode: as in `map_coordinates`.
    """

    def __init__(self, shape, coordinates, axes, lead, order, fill_mode):
        self.shape = tuple(shape)
        sample_shape = coordinates[0].shape
        nodes = [_nodes(c, order) for c in coordinates]
        count = len(axes)
        m = nodes[0][0].shape[0]
        corner = (m,) * count
        flat = np.zeros(corner + sample_shape, dtype=np.intp)
        valid = np.ones(corner + sample_shape, dtype=bool)
        weight = np.ones(corner + sample_shape, dtype=coordinates[0].dtype)
        strides = np.cumprod((1,) + self.shape[::-1])[::-1][1:]  # element strides of `shape`
        for i, (axis, (index, w)) in enumerate(zip(axes, nodes)):
            place = [1] * count
            place[i] = m
            index = index.reshape(tuple(place) + sample_shape)
            size = self.shape[axis]
            if fill_mode == "constant":
                valid = valid & (index >= 0) & (index < size)
            flat = flat + _FIXERS[fill_mode](index, size).clip(0, size - 1) * strides[axis]
            weight = weight * w.reshape(tuple(place) + sample_shape)
        if lead:
            batch = np.arange(self.shape[0]).reshape((1,) * count + (-1,) + (1,) * (len(sample_shape) - 1))
            flat = flat + batch * strides[0]
        trailing = self.shape[max(axes) + 1:] if axes else ()
        self.trailing = trailing
        self.trailing_offsets = np.arange(math.prod(trailing), dtype=np.intp).reshape(trailing)
        self.flat, self.valid, self.weight = flat, valid, weight
        self.corner_axes = tuple(range(count))
        self.fill_mode = fill_mode

    def _expand(self, a):
        return a.reshape(a.shape + (1,) * len(self.trailing))

    def read(self, values, fill_value):
        """The samples: (*S, *trailing)."""
        flat_values = values.reshape(-1)
        index = self._expand(self.flat) + self.trailing_offsets
        gathered = flat_values[index]
        if self.fill_mode == "constant":
            gathered = np.where(self._expand(self.valid), gathered, np.asarray(fill_value, dtype=values.dtype))
        terms = self._expand(self.weight).astype(values.dtype, copy=False) * gathered
        terms = terms.reshape((-1,) + terms.shape[len(self.corner_axes):])
        return np.sum(terms, axis=0) if terms.shape[0] > 1 else terms[0]

    def scatter(self, g):
        """The gradient with respect to the sampled array for the gradient `g` of the samples."""
        weights = self._expand(self.weight).astype(g.dtype, copy=False)
        contributions = weights * g.reshape((1,) * len(self.corner_axes) + g.shape)
        if self.fill_mode == "constant":
            contributions = contributions * self._expand(self.valid)
        index = self._expand(self.flat) + self.trailing_offsets
        size = math.prod(self.shape)
        sums = np.bincount(np.broadcast_to(index, contributions.shape).ravel(), weights=contributions.ravel(),
                           minlength=size)
        return sums.astype(g.dtype).reshape(self.shape)


def sample(x, sampler, fill_value, integer_output=False):
    """`sampler.read(x)`, recorded with its gradient (to `x` only)."""
    xv = value_of(x)

    def compute():
        out = sampler.read(xv, fill_value)
        if integer_output:
            out = (np.sign(out) * np.floor(np.abs(out) + 0.5)).astype(xv.dtype)
        return out

    out = compute()
    if not _recording_tapes or integer_output:
        return out

    def vjp(g):
        return (scatter(g, sampler),)

    return record(out, (x,), vjp, lambda: np.copyto(out, compute()))


def scatter(g, sampler):
    """The gradient of `sample`; linear in `g` (its transpose is sampling again, with zero fill)."""
    gv = value_of(g)
    out = sampler.scatter(gv)
    if not _recording_tapes:
        return out
    return record(out, (g,), lambda h: (sample(h, sampler, 0.0),), lambda: np.copyto(out, sampler.scatter(gv)))


def check_fill_mode(op, fill_mode):
    if fill_mode not in FILL_MODES:
        raise ValueError(
            f"`{op}`: `fill_mode` must be one of {', '.join(repr(m) for m in FILL_MODES)}, got {fill_mode!r}."
        )


def affine_coordinates(transform, height, width, dtype):
    """Input (y, x) read by each output pixel: (batch, height, width) arrays, from rows of 8 parameters.

    `[a0, a1, a2, b0, b1, b2, c0, c1]` maps output (x, y) to input
    `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with `k = c0 x + c1 y + 1`.
    """
    t = transform.astype(dtype, copy=False)
    y = np.arange(height, dtype=dtype).reshape(1, height, 1)
    x = np.arange(width, dtype=dtype).reshape(1, 1, width)
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, i].reshape(-1, 1, 1) for i in range(8))
    k = c0 * x + c1 * y + 1
    return (y * b1 + x * b0 + b2) / k, (y * a1 + x * a0 + a2) / k
