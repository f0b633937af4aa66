"""The numpy work of a convolution: every window as a strided view (im2col), then one matmul.

For an input `x` (batch, *spatial, channels) and a geometry (see
`convolution_geometry.py`), `numpy.lib.stride_tricks.as_strided` gives a view
of shape (batch, *output, *kernel, channels) whose element [n, o, j, c] is
`xp[n, o * stride + j * dilation, c]`: no copy, no Python loop. Copying that
view into a (windows, kernel * channels) matrix and multiplying by the kernel
reshaped to (kernel * channels, filters) is the whole convolution (one BLAS
call; a batched one when channels are split into groups). The kernel's
gradient is the same matrix transposed times the output gradient.

`ConvKernel` keeps the arrays one recorded convolution reuses between calls
(the padded input, the output), so a compiled step replays it without
allocating. The window matrix is the largest array of a convolution and is
used only for a moment (by one matmul): it lives in one scratch array per
thread, shared by every convolution, and the kernel's gradient rebuilds it
from the input. Memory then grows with the largest layer, not with the
number of layers and compiled steps.
"""

import functools
import threading

import numpy as np
from numpy.lib.stride_tricks import as_strided


def to_channels_last(array, data_format):
    """A view of `array` with the channels last."""
    return array if data_format == "channels_last" else np.moveaxis(array, 1, -1)


def from_channels_last(array, data_format):
    return array if data_format == "channels_last" else np.moveaxis(array, -1, 1)


def transposed_kernel(w, groups):
    """The kernel flipped in space, its input and output channels swapped within each group.

    `w` of shape (*k, a, groups * b) becomes (*k, b, groups * a). Applied twice it
    gives `w` back.
    """
    rank = w.ndim - 2
    flipped = w[(slice(None, None, -1),) * rank]
    a, b = w.shape[-2], w.shape[-1] // groups
    split = flipped.reshape(w.shape[:-2] + (a, groups, b))
    order = tuple(range(rank)) + (rank + 2, rank + 1, rank)
    return split.transpose(order).reshape(w.shape[:-2] + (b, groups * a))


def interior(size, lhs_dilation, pad_lo, padded_size):
    """`(source, destination)` slices putting one input axis into its dilated, padded buffer axis.

    Positions pushed out by a negative pad (a crop) are dropped; None when nothing is left.
    """
    first = 0 if pad_lo >= 0 else (-pad_lo + lhs_dilation - 1) // lhs_dilation
    reach = padded_size - 1 - pad_lo
    if reach < 0:
        return None
    last = min(size - 1, reach // lhs_dilation)
    if last < first:
        return None
    start = pad_lo + first * lhs_dilation
    return slice(first, last + 1), slice(start, start + (last - first) * lhs_dilation + 1, lhs_dilation)


_scratch = threading.local()


def scratch(shape, dtype):
    """A transient array of `shape`: a view of this thread's one scratch buffer (grown when too small).

    Valid until the next call: every window matrix is consumed by one matmul right away.
    """
    dtype = np.dtype(dtype)
    size = 1
    for n in shape:
        size *= n
    buffers = getattr(_scratch, "buffers", None)
    if buffers is None:
        buffers = _scratch.buffers = {}
    buffer = buffers.get(dtype.char)
    if buffer is None or buffer.size < size:
        buffer = buffers[dtype.char] = np.empty(size, dtype=dtype)
    return buffer[:size].reshape(shape)


@functools.lru_cache(maxsize=256)
def interior_slices(geo):
    """`(source, destination)` indexes putting a (batch, *spatial, channels) input into its padded buffer."""
    slices = [interior(size, l, lo, p) for size, l, (lo, _), p in zip(
        geo.input_shape, geo.lhs_dilation, geo.pads, geo.padded_shape())]
    if any(s is None for s in slices):
        return None
    return ((slice(None),) + tuple(s[0] for s in slices) + (slice(None),),
            (slice(None),) + tuple(s[1] for s in slices) + (slice(None),))


class ConvKernel:
    """Computes `conv(x, w)` for one geometry, reusing its buffers from call to call.

    Args:
        geometry: a `ConvGeometry`.
        data_format: how `x` and the result are laid out.
    """

    def __init__(self, geometry, data_format):
        self.geometry = geometry
        self.data_format = data_format
        self.padded = None  # the dilated/padded input (its borders stay zero)
        self.out = None
        self._slices = None
        self._view = self._view_source = None

    # ------------------------------------------------------------------ input
    def _padded_input(self, x):
        """The array the windows walk over: `x` itself, or `x` dilated/padded into a kept buffer."""
        geo = self.geometry
        if geo.is_plain():
            return x
        if self.padded is None:
            shape = (x.shape[0],) + geo.padded_shape() + (x.shape[-1],)
            self.padded = np.zeros(shape, dtype=x.dtype)
            self._slices = interior_slices(geo)
        if self._slices is not None:
            source, destination = self._slices
            np.copyto(self.padded[destination], x[source])
        return self.padded

    def _window_view(self, xp):
        """(batch, *output, *kernel, channels) view of `xp`; (groups, batch, ..., channels/groups) if grouped."""
        geo = self.geometry
        strides = xp.strides
        spatial = strides[1:-1]
        shape = (xp.shape[0],) + geo.output_shape + geo.kernel_shape
        view_strides = ((strides[0],) + tuple(s * t for s, t in zip(spatial, geo.strides))
                        + tuple(s * d for s, d in zip(spatial, geo.rhs_dilation)))
        channels = xp.shape[-1]
        if geo.groups == 1:
            return as_strided(xp, shape + (channels,), view_strides + (strides[-1],), writeable=False)
        per_group = channels // geo.groups
        grouped = as_strided(xp, shape + (geo.groups, per_group),
                             view_strides + (strides[-1] * per_group, strides[-1]), writeable=False)
        order = (grouped.ndim - 2,) + tuple(range(grouped.ndim - 2)) + (grouped.ndim - 1,)
        return grouped.transpose(order)

    def window_matrix(self, x, dtype):
        """The im2col matrix of channels-last `x`: (windows, kernel * channels), or (groups, windows,
        kernel * channels/groups). A view of the scratch buffer (or of `x` itself for a 1x1 convolution):
        use it before the next call."""
        geo = self.geometry
        xp = self._padded_input(x)
        batch, channels = x.shape[0], x.shape[-1]
        windows = geo.positions * batch
        if (geo.groups == 1 and all(k == 1 for k in geo.kernel_shape) and all(s == 1 for s in geo.strides)
                and xp.dtype == dtype and xp.flags.c_contiguous):
            return xp.reshape(windows, channels)  # a 1x1 convolution reads the input as it is
        if self._view_source is not xp:  # a replay reads the same array again: the view is kept
            self._view, self._view_source = self._window_view(xp), xp
        view = self._view
        taps = geo.taps
        if geo.groups == 1:
            shape = (windows, taps * channels)
        else:
            shape = (geo.groups, windows, taps * (channels // geo.groups))
        matrix = scratch(shape, dtype)
        np.copyto(matrix.reshape(view.shape), view)
        return matrix

    # -------------------------------------------------------------- kernels
    def kernel_matrix(self, w):
        """The kernel as the matmul's right operand: (taps * in, out) or (groups, taps * in/g, out/g)."""
        geo = self.geometry
        if geo.transpose_kernel:
            w = transposed_kernel(w, geo.groups)
        taps = geo.taps
        per_group_in, filters = w.shape[-2], w.shape[-1]
        if geo.groups == 1:
            return w.reshape(taps * per_group_in, filters)
        per_group_out = filters // geo.groups
        split = w.reshape(taps, per_group_in, geo.groups, per_group_out)
        return split.transpose(2, 0, 1, 3).reshape(geo.groups, taps * per_group_in, per_group_out)

    # -------------------------------------------------------------- forward
    def forward(self, x, w, fresh=False):
        """`conv(x, w)` in `data_format`.

        `w` has the layout (*kernel, in/groups, out) (before the flip of a transposed
        kernel). The result is written into a kept buffer, the same array every call,
        or into a new array when `fresh` (a gradient handed to others).
        """
        geo = self.geometry
        x = to_channels_last(x, self.data_format)
        matrix = self.window_matrix(x, w.dtype)
        kernel = self.kernel_matrix(w)
        filters = kernel.shape[-1] * geo.groups
        shape = (x.shape[0],) + geo.output_shape + (filters,)
        out = self.out
        if out is None or fresh:
            out = np.empty(shape, dtype=w.dtype)
            if not fresh:
                self.out = out
        rows = out.reshape(-1, filters)
        if geo.groups == 1:
            np.matmul(matrix, kernel, out=rows)
        else:
            grouped = rows.reshape(rows.shape[0], geo.groups, -1).transpose(1, 0, 2)
            np.matmul(matrix, kernel, out=grouped)
        return from_channels_last(out, self.data_format)

    def kernel_gradient(self, x, g, kernel_shape):
        """d(sum(conv(x, w) * g)) / dw (a new array), from the windows of `x` rebuilt."""
        geo = self.geometry
        g = to_channels_last(g, self.data_format)
        matrix = self.window_matrix(to_channels_last(x, self.data_format), g.dtype)
        filters = g.shape[-1]
        rows = g.reshape(-1, filters)
        if geo.groups == 1:
            grad = np.matmul(matrix.T, rows)
            taps_in = grad.shape[0]
            grad = grad.reshape(geo.kernel_shape + (taps_in // geo.taps, filters))
        else:
            per_group_out = filters // geo.groups
            grouped = rows.reshape(rows.shape[0], geo.groups, per_group_out).transpose(1, 0, 2)
            grad = np.matmul(matrix.transpose(0, 2, 1), grouped)  # (groups, taps * in/g, out/g)
            per_group_in = grad.shape[1] // geo.taps
            grad = grad.reshape((geo.groups,) + geo.kernel_shape + (per_group_in, per_group_out))
            order = tuple(range(1, geo.rank + 2)) + (0, geo.rank + 2)
            grad = grad.transpose(order).reshape(geo.kernel_shape + (per_group_in, filters))
        if geo.transpose_kernel:
            grad = transposed_kernel(grad, geo.groups)
        return np.ascontiguousarray(grad).reshape(kernel_shape)
