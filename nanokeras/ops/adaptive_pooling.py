"""`keras.ops` adaptive pooling: `adaptive_average_pool` and `adaptive_max_pool`, 1D to 3D.

The output has `output_size` positions per spatial axis, whatever the input's size. Output
position `i` of an axis of length `L` pools the window that starts at `floor(i * L / out)`,
as Keras computes it: windows are `ceil(L / out)` long, or one longer where the bin
`[floor(i * L / out), ceil((i + 1) * L / out))` is that long. Axes are pooled one after
the other (a rectangular window's mean or max is the same taken axis by axis).

Built from differentiable ops (`matmul` with a fixed averaging matrix; `take`, `max`,
`where`), so gradients and the compiled training step come from those ops.

Example:
    >>> import numpy as np
    >>> x = np.arange(5, dtype="float32").reshape(1, 5, 1)
    >>> adaptive_average_pool(x, 2)[0, :, 0].tolist()
    [1.0, 3.0]
    >>> adaptive_max_pool(x, 3)[0, :, 0].tolist()
    [1.0, 3.0, 4.0]
"""

import math

import numpy as np

from nanokeras.backend import config
from nanokeras.ops import numpy as _ops
from nanokeras.ops.gradient_utils import value_of

__all__ = ["adaptive_average_pool", "adaptive_max_pool"]


def _windows(length, out):
    """(starts, window sizes) of the `out` windows over an axis of `length`, as Keras takes them."""
    small = math.ceil(length / out)
    big = small + 1
    starts = (np.arange(out) * length) // out
    ends = -((-np.arange(1, out + 1) * length) // out)  # ceil
    sizes = np.where(ends - starts == big, big, small)
    return starts, sizes


def _arguments(inputs, output_size, data_format, name):
    x = inputs
    rank = len(np.shape(value_of(x))) - 2
    if rank not in (1, 2, 3):
        raise ValueError(f"`{name}` takes inputs of rank 3, 4 or 5 (batch, 1 to 3 spatial axes, channels), "
                         f"got shape {tuple(np.shape(value_of(x)))}.")
    sizes = (output_size,) * rank if isinstance(output_size, (int, np.integer)) else tuple(output_size)
    if len(sizes) != rank or not all(isinstance(s, (int, np.integer)) and s > 0 for s in sizes):
        raise ValueError(f"`{name}`: `output_size` must be a positive integer or {rank} of them for inputs "
                         f"with {rank} spatial axes, got {output_size!r}.")
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"`{name}`: `data_format` must be 'channels_last' or 'channels_first', got {data_format!r}.")
    return rank, tuple(int(s) for s in sizes), data_format


def _pool(inputs, output_size, data_format, name, pool_axis):
    rank, sizes, data_format = _arguments(inputs, output_size, data_format, name)
    x = inputs
    if data_format == "channels_first":
        x = _ops.moveaxis(x, 1, -1)
    for axis, out in zip(range(1, rank + 1), sizes):
        x = pool_axis(x, axis, out)
    if data_format == "channels_first":
        x = _ops.moveaxis(x, -1, 1)
    return x


def _average_axis(x, axis, out):
    length = np.shape(value_of(x))[axis]
    starts, sizes = _windows(length, out)
    dtype = np.asarray(value_of(x)).dtype
    weights = np.zeros((length, out), dtype=dtype)
    for i, (start, size) in enumerate(zip(starts, sizes)):
        weights[start:start + size, i] = dtype.type(1) / dtype.type(size)
    moved = _ops.moveaxis(x, axis, -1)
    return _ops.moveaxis(_ops.matmul(moved, weights), -1, axis)


def _max_axis(x, axis, out):
    length = np.shape(value_of(x))[axis]
    starts, sizes = _windows(length, out)
    small = int(sizes.min())
    pooled = []
    for size in sorted(set(int(s) for s in sizes)):
        index = np.minimum(starts[:, None] + np.arange(size), length - 1)  # (out, size)
        pooled.append(_ops.max(_ops.take(x, index, axis=axis), axis=axis + 1))
    if len(pooled) == 1:
        return pooled[0]
    shape = [1] * len(np.shape(value_of(pooled[0])))
    shape[axis] = out
    return _ops.where((sizes != small).reshape(shape), pooled[1], pooled[0])


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Averages each of `output_size` windows per spatial axis (see the module docstring).

    Args:
        inputs: `(batch, *spatial, channels)` (or channels first), 1 to 3 spatial axes.
        output_size: an int (every spatial axis) or one per spatial axis.
        data_format: "channels_last" or "channels_first" (default: `keras.config.image_data_format()`).
    """
    return _pool(inputs, output_size, data_format, "adaptive_average_pool", _average_axis)


def adaptive_max_pool(inputs, output_size, data_format=None):
    """The maximum of each of `output_size` windows per spatial axis (see the module docstring)."""
    return _pool(inputs, output_size, data_format, "adaptive_max_pool", _max_axis)
