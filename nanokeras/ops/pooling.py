"""`keras.ops` pooling: `max_pool` and `average_pool`, N-D, "valid" or "same", either data format.

The windows are a strided view of the input (as in `convolution_kernels.py`),
so a pool is one numpy reduction over the window axes. The gradient of a max
pool goes to the first largest element of each window (as JAX and TensorFlow
choose on ties); an average pool spreads it evenly. When windows do not
overlap, the gradient is written straight through the same view; when they
do, contributions to one input element are summed with `numpy.bincount`.

Example:
    >>> import numpy as np
    >>> x = np.array([1.0, 3.0, 2.0, 5.0, 4.0], "float32").reshape(1, 5, 1)
    >>> max_pool(x, 2)[0, :, 0].tolist()
    [3.0, 5.0]
    >>> average_pool(x, 2, padding="same")[0, :, 0].tolist()
    [2.0, 3.5, 4.0]
"""

import functools
import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from nanokeras.ops.convolution_geometry import ConvGeometry, data_format_of, int_tuple, padding_of
from nanokeras.ops.convolution_kernels import from_channels_last, interior_slices, to_channels_last
from nanokeras.ops.gradient_utils import _recording_tapes, record, to_array, value_of
from nanokeras.ops.tape import needs_gradient

__all__ = ["max_pool", "average_pool"]


@functools.lru_cache(maxsize=256)
def _geometry(spatial_shape, pool_size, strides, padding):
    return ConvGeometry(spatial_shape, pool_size, strides, padding)


def _windows(xp, geo, writeable=False):
    """(batch, *output, *pool, channels) view of the padded input `xp`."""
    strides = xp.strides
    spatial = strides[1:-1]
    shape = (xp.shape[0],) + geo.output_shape + geo.kernel_shape + (xp.shape[-1],)
    view_strides = ((strides[0],) + tuple(s * t for s, t in zip(spatial, geo.strides)) + spatial
                    + (strides[-1],))
    return as_strided(xp, shape, view_strides, writeable=writeable)


def _window_counts(geo, dtype):
    """How many real (not padding) elements each "same" window holds, shaped (1, *output, 1)."""
    counts = np.ones((), dtype=np.float64)
    for axis, (size, k, s, (lo, _), out) in enumerate(zip(
            geo.input_shape, geo.kernel_shape, geo.strides, geo.pads, geo.output_shape)):
        starts = np.arange(out) * s - lo
        per_axis = np.minimum(starts + k, size) - np.maximum(starts, 0)
        shape = [1] * geo.rank
        shape[axis] = out
        counts = counts * per_axis.reshape(shape)
    return counts.reshape((1,) + geo.output_shape + (1,)).astype(dtype)


class _Pool:
    """One pooling call's arrays (the padded input buffer, the output), reused by replays.

    Windows that tile the input (strides == pool size, the common case) are read
    through a reshape that splits each spatial axis into (windows, pool): the
    reductions then run over long contiguous runs. Other windows are a strided view.
    """

    def __init__(self, geo, mode, data_format):
        self.geo, self.mode, self.data_format = geo, mode, data_format
        self.tiled = all(s == k for s, k in zip(geo.strides, geo.kernel_shape))
        rank = geo.rank
        if self.tiled:  # (batch, o0, p0, o1, p1, ..., channels)
            self.window_axes = tuple(2 + 2 * i for i in range(rank))
        else:  # (batch, *outputs, *pools, channels)
            self.window_axes = tuple(range(1 + rank, 1 + 2 * rank))
        self.padded = None
        self.slices = None
        self.out = None
        self.counts = None
        self.grad = None  # the input gradient's array, kept once a compiled step replays the pool

    def padded_input(self, x):
        geo = self.geo
        if all(p == (0, 0) for p in geo.pads):
            return x
        if self.padded is None:
            fill = -np.inf if self.mode == "max" else 0
            shape = (x.shape[0],) + geo.padded_shape() + (x.shape[-1],)
            self.padded = np.full(shape, fill, dtype=x.dtype)
            source, destination = interior_slices(geo)
            self.slices = (destination, source)
        np.copyto(self.padded[self.slices[0]], x[self.slices[1]])
        return self.padded

    def view(self, xp):
        """The windows of the (padded) channels-last input `xp`, in this pool's layout."""
        geo = self.geo
        if not self.tiled:
            return _windows(xp, geo)
        used = xp[(slice(None),) + tuple(slice(0, o * k) for o, k in zip(geo.output_shape, geo.kernel_shape))]
        split = (xp.shape[0],) + sum(((o, k) for o, k in zip(geo.output_shape, geo.kernel_shape)), ()) + (
            xp.shape[-1],)
        return used.reshape(split)

    def expand(self, out):
        """`out` (batch, *outputs, channels) shaped to broadcast against `view`."""
        if self.tiled:
            split = (out.shape[0],) + sum(((o, 1) for o in self.geo.output_shape), ()) + (out.shape[-1],)
            return out.reshape(split)
        return out[(slice(None),) * (1 + self.geo.rank) + (None,) * self.geo.rank + (slice(None),)]

    def reduce(self, windows, out):
        """The max or sum over the window axes, written into `out` (one axis at a time when tiled)."""
        ufunc = np.maximum if self.mode == "max" else np.add
        if not self.tiled:
            return ufunc.reduce(windows, axis=self.window_axes, out=out)
        for done, axis in enumerate(self.window_axes[:-1]):
            windows = ufunc.reduce(windows, axis=axis - done)
        return ufunc.reduce(windows, axis=self.window_axes[-1] - len(self.window_axes) + 1, out=out)

    def forward(self, x):
        xl = to_channels_last(_floats(x), self.data_format)
        windows = self.view(self.padded_input(xl))
        if self.out is None:
            self.out = np.empty((xl.shape[0],) + self.geo.output_shape + (xl.shape[-1],), dtype=xl.dtype)
        self.reduce(windows, self.out)
        if self.mode == "average":
            if self.counts is None:
                same = any(p != (0, 0) for p in self.geo.pads)
                self.counts = (_window_counts(self.geo, xl.dtype) if same
                               else np.asarray(self.geo.taps, dtype=xl.dtype))
            np.divide(self.out, self.counts, out=self.out)
        return from_channels_last(self.out, self.data_format)

    def _weights(self, x):
        """Each window element's share of its window's output: 1 on the (first) maximum, or 1/count."""
        if self.mode == "max":
            windows = self.view(self.padded_input(to_channels_last(_floats(x), self.data_format)))
            return _first_maxima(windows, self.expand(self.out), self.window_axes)
        if np.ndim(self.counts):
            return 1 / self.expand(self.counts)
        return 1 / self.counts

    def spread(self, x, g, keep=False):
        """The input gradient for output gradient `g`: each output's gradient back to its window.

        A new array, or with `keep` (a replayed step) the same array every call.
        """
        geo = self.geo
        gl = to_channels_last(g, self.data_format)
        batch, channels = gl.shape[0], gl.shape[-1]
        padded_shape = (batch,) + geo.padded_shape() + (channels,)
        if self.tiled or all(s >= k for s, k in zip(geo.strides, geo.kernel_shape)):
            # Windows do not overlap: each input element receives from at most one window (and the
            # elements no window covers stay zero, so a kept array needs no clearing).
            grad = self.grad if keep and self.grad is not None else np.zeros(padded_shape, dtype=gl.dtype)
            if keep:
                self.grad = grad
            target = self.view(grad) if self.tiled else _windows(grad, geo, writeable=True)
            np.multiply(self._weights(x), self.expand(gl), out=target)
            if self.padded is not None:
                return from_channels_last(grad[self.slices[0]], self.data_format)
            return from_channels_last(grad, self.data_format)
        else:
            window_shape = (batch,) + geo.output_shape + geo.kernel_shape + (channels,)
            contributions = np.broadcast_to(self._weights(x) * self.expand(gl), window_shape)
            size = math.prod(padded_shape)
            index = _windows(np.arange(size, dtype=np.intp).reshape(padded_shape), geo)
            sums = np.bincount(index.ravel(), weights=contributions.ravel(), minlength=size)
            grad = sums.astype(gl.dtype).reshape(padded_shape)
        if self.padded is not None:
            grad = np.ascontiguousarray(grad[self.slices[0]])
        return from_channels_last(grad, self.data_format)

    def gather(self, x, h):
        """The transpose of `spread`: each window's input-shaped `h`, weighted as the pool weighs it, summed."""
        geo = self.geo
        hl = to_channels_last(h, self.data_format)
        padded = np.zeros((hl.shape[0],) + geo.padded_shape() + (hl.shape[-1],), dtype=hl.dtype)
        if self.padded is not None:
            padded[self.slices[0]] = hl[self.slices[1]]
        else:
            padded[...] = hl
        result = np.empty((hl.shape[0],) + geo.output_shape + (hl.shape[-1],), dtype=hl.dtype)
        weighted = self.view(padded) * self._weights(x)
        ufunc_mode, self.mode = self.mode, "average"  # a sum over each window
        try:
            self.reduce(weighted, result)
        finally:
            self.mode = ufunc_mode
        return from_channels_last(result, self.data_format)


def _floats(x):
    """Integer images pool as `floatx()` (recomputed on every call, so a replay sees new values)."""
    if x.dtype.kind == "f":
        return x
    from nanokeras.backend import config

    return x.astype(config.floatx())


def _first_maxima(windows, maxima, axes):
    """True where a window element is its window's first maximum (in row-major window order)."""
    hits = windows == maxima
    if np.count_nonzero(hits) == maxima.size:  # no ties: every window has exactly one maximum
        return hits
    # Ties: score each maximum higher the earlier it comes in its window, keep the best score.
    pool = tuple(windows.shape[a] for a in axes)
    size = math.prod(pool)
    key_shape = [1] * windows.ndim
    for a, p in zip(axes, pool):
        key_shape[a] = p
    keys = (size - np.arange(size, dtype=np.uint8 if size < 255 else np.int64)).reshape(key_shape)
    scored = hits * keys
    best = scored
    for axis in axes:
        best = np.maximum.reduce(best, axis=axis, keepdims=True)
    return np.equal(scored, best) & hits


def _spread_op(pool, x, g):
    """`pool.spread` recorded (for derivatives of gradients): linear in `g`, its transpose is `gather`."""
    gv = value_of(g)
    out = pool.spread(x, gv)
    if not _recording_tapes:
        return out
    return record(out, (g,), lambda h: (_gather_op(pool, x, h),),
                  lambda: np.copyto(out, pool.spread(x, gv)))


def _gather_op(pool, x, h):
    hv = value_of(h)
    out = np.asarray(pool.gather(x, hv))
    if not _recording_tapes:
        return out
    return record(out, (h,), lambda g: (_spread_op(pool, x, g),),
                  lambda: np.copyto(out, pool.gather(x, hv)))


def _pool(op, mode, inputs, pool_size, strides, padding, data_format):
    data_format = data_format_of(data_format, op)
    x = to_array(inputs)
    if x.ndim < 3:
        raise ValueError(
            f"`{op}` expects inputs of rank >= 3 (batch, *spatial, channels), got shape {x.shape}."
        )
    rank = x.ndim - 2
    pool_size = int_tuple(pool_size, rank, "pool_size", op)
    strides = pool_size if strides is None else int_tuple(strides, rank, "strides", op)
    padding = padding_of(padding, op)
    spatial = x.shape[1:-1] if data_format == "channels_last" else x.shape[2:]
    geo = _geometry(tuple(spatial), pool_size, strides, padding)
    if any(o <= 0 for o in geo.output_shape):
        raise ValueError(
            f"`{op}`: pool_size={pool_size} is larger than the input's spatial shape {tuple(spatial)} "
            f"with padding='valid': the output would be empty. Use padding='same' or a smaller pool."
        )
    pool = _Pool(geo, mode, data_format)
    out = pool.forward(x)
    if not _recording_tapes:
        return out

    replayed = []
    wanted = needs_gradient(inputs)  # read now: a watched array is unwatched when its tape closes

    def forward():
        pool.forward(x)
        if not replayed:
            replayed.append(True)

    def vjp(g):
        if _recording_tapes:
            return (_spread_op(pool, x, g),)
        return (pool.spread(x, value_of(g), keep=bool(replayed)) if wanted else None,)

    return record(out, (inputs,), vjp, forward)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The largest value of each window.

    Args:
        inputs: (batch, *spatial, channels) (or channels first).
        pool_size: an int or one per spatial axis.
        strides: the step between windows (default: `pool_size`).
        padding: "valid" or "same" ("same" pads with -inf).
        data_format: "channels_last" or "channels_first" (default: `keras.config.image_data_format()`).

    Example:
        >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
        >>> max_pool(x, 2)[0, :, :, 0].tolist()
        [[5.0, 7.0], [13.0, 15.0]]
    """
    return _pool("max_pool", "max", inputs, pool_size, strides, padding, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The mean of each window; with "same" padding, of its real (not padded) elements.

    Example:
        >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
        >>> average_pool(x, 2)[0, :, :, 0].tolist()
        [[2.5, 4.5], [10.5, 12.5]]
    """
    return _pool("average_pool", "average", inputs, pool_size, strides, padding, data_format)
