"""Differentiable reshaping of the spatial axes of images and volumes: zero padding, cropping, repeating.

The engine ops behind `ZeroPadding*`, `Cropping*`, `UpSampling*` (nearest) and
`keras.ops.image.pad_images`/`crop_images`. Each works on the spatial axes of
either data format directly (no transposes), records one node, and has the
others as its gradient: padding and cropping undo each other, and the
gradient of repeating every element `s` times is the sum over those copies.
Internal helpers, not part of `keras.ops`.

Example:
    >>> import numpy as np
    >>> x = np.arange(4, dtype="float32").reshape(1, 2, 2, 1)
    >>> zero_pad(x, ((1, 0), (0, 1)), "channels_last")[0, :, :, 0].tolist()
    [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [2.0, 3.0, 0.0]]
    >>> repeat_spatial(x, (1, 2), "channels_last")[0, :, :, 0].tolist()
    [[0.0, 0.0, 1.0, 1.0], [2.0, 2.0, 3.0, 3.0]]
"""

import numpy as np

from nanokeras.ops.gradient_utils import _recording_tapes, record, to_array, value_of

__all__ = []  # internal: used by layers and `keras.ops.image`


def spatial_axes(ndim, data_format):
    """The indices of the spatial axes of an array of rank `ndim` (batch first)."""
    first = 1 if data_format == "channels_last" else 2
    return tuple(range(first, first + ndim - 2))


def _interior(ndim, data_format, margins, shape):
    """The index of the region inside `margins` ((lo, hi) per spatial axis) of an array of `shape`."""
    key = [slice(None)] * ndim
    for axis, (lo, hi) in zip(spatial_axes(ndim, data_format), margins):
        key[axis] = slice(lo, shape[axis] - hi)
    return tuple(key)


def zero_pad(x, pads, data_format):
    """`x` with `pads[i] = (before, after)` zeros added on spatial axis `i`."""
    xv = to_array(x)
    shape = list(xv.shape)
    for axis, (lo, hi) in zip(spatial_axes(xv.ndim, data_format), pads):
        shape[axis] += lo + hi
    out = np.zeros(shape, dtype=xv.dtype)
    inside = _interior(xv.ndim, data_format, pads, shape)
    out[inside] = xv
    if not _recording_tapes:
        return out
    return record(out, (x,), lambda g: (crop(g, pads, data_format),),
                  lambda: np.copyto(out[inside], xv))


def crop(x, crops, data_format):
    """`x` without `crops[i] = (before, after)` elements on spatial axis `i` (a view)."""
    xv = to_array(x)
    out = xv[_interior(xv.ndim, data_format, crops, xv.shape)]
    if not _recording_tapes:
        return out
    # `out` is a view of `x`: a replay, which rewrites `x` in place, changes it too.
    return record(out, (x,), lambda g: (zero_pad(g, crops, data_format),), lambda: None)


def _split_view(shape, ndim, data_format, sizes):
    """The shape that puts a length-`s` axis after each spatial axis."""
    axes = spatial_axes(ndim, data_format)
    split, expand = [], []
    for axis, n in enumerate(shape):
        split.append(n)
        expand.append(slice(None))
        if axis in axes:
            split.append(sizes[axes.index(axis)])
            expand.append(None)
    return tuple(split), tuple(expand)


def repeat_spatial(x, sizes, data_format):
    """Each element repeated `sizes[i]` times along spatial axis `i` (nearest-neighbour upsampling)."""
    xv = to_array(x)
    split, expand = _split_view(xv.shape, xv.ndim, data_format, sizes)
    shape = list(xv.shape)
    for axis, s in zip(spatial_axes(xv.ndim, data_format), sizes):
        shape[axis] *= s
    out = np.empty(shape, dtype=xv.dtype)
    np.copyto(out.reshape(split), xv[expand])
    if not _recording_tapes:
        return out
    return record(out, (x,), lambda g: (sum_repeats(g, sizes, data_format),),
                  lambda: np.copyto(out.reshape(split), xv[expand]))


def sum_repeats(x, sizes, data_format):
    """The sum over each block of `sizes` (the transpose of `repeat_spatial`)."""
    xv = value_of(x)
    shape = list(xv.shape)
    for axis, s in zip(spatial_axes(xv.ndim, data_format), sizes):
        shape[axis] //= s
    split, expand = _split_view(shape, xv.ndim, data_format, sizes)
    block_axes = tuple(i for i, e in enumerate(expand) if e is None)
    out = np.sum(xv.reshape(split), axis=block_axes)
    if not _recording_tapes:
        return out
    out = np.asarray(out)
    return record(out, (x,), lambda g: (repeat_spatial(g, sizes, data_format),),
                  lambda: np.sum(xv.reshape(split), axis=block_axes, out=out))
