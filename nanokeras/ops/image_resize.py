"""Resizing images as JAX does (`jax.image.resize`), one weight matrix per spatial axis.

Resampling along one axis is linear: output pixel `o` is a weighted sum of the
input pixels near its centre, `(o + 0.5) * in / out - 0.5`, the weights given by
the method's kernel (a triangle for bilinear, Keys' cubic, Lanczos), normalised
to sum to 1; pixels whose centre falls outside the input get 0. So a resize is
one small matrix per axis, applied with `matmul`, and its gradient is the same
matrices transposed. Nearest-neighbour picks `floor((o + 0.5) * in / out)`.

Example:
    >>> import numpy as np
    >>> resize_matrix(2, 4, "bilinear", False).round(3).tolist()
    [[1.0, 0.0], [0.75, 0.25], [0.25, 0.75], [0.0, 1.0]]
"""

import functools

import numpy as np

from nanokeras.ops.gradient_utils import _recording_tapes, record, value_of

METHODS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")
_EPSILON32 = float(np.finfo(np.float32).eps)


def _triangle(x):
    return np.maximum(0.0, 1.0 - np.abs(x))


def _keys_cubic(x):
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = np.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return np.where(x >= 2.0, 0.0, out)


def _lanczos(radius):
    def kernel(x):
        y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(x > 1e-3, y / np.where(x != 0, np.pi ** 2 * x ** 2, 1.0), 1.0)
        return np.where(x > radius, 0.0, out)

    return kernel


_KERNELS = {"bilinear": _triangle, "bicubic": _keys_cubic, "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0)}


@functools.lru_cache(maxsize=128)
def resize_matrix(in_size, out_size, method, antialias):
    """The (out_size, in_size) matrix resampling one axis (float64; see the module docstring)."""
    if method == "nearest":
        matrix = np.zeros((out_size, in_size))
        matrix[np.arange(out_size), nearest_indices(in_size, out_size)] = 1.0
        return matrix
    inv_scale = in_size / out_size
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    centres = (np.arange(out_size) + 0.5) * inv_scale - 0.5
    distance = np.abs(centres[:, None] - np.arange(in_size)[None, :]) / kernel_scale
    weights = _KERNELS[method](distance)
    total = weights.sum(axis=1, keepdims=True)
    weights = np.where(np.abs(total) > 1000.0 * _EPSILON32, weights / np.where(total != 0, total, 1.0), 0.0)
    inside = (centres >= -0.5) & (centres <= in_size - 0.5)
    return np.where(inside[:, None], weights, 0.0)


@functools.lru_cache(maxsize=128)
def nearest_indices(in_size, out_size):
    """The input index each output takes, computed in float32 as JAX does."""
    offsets = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * np.float32(in_size) / np.float32(out_size)
    return np.floor(offsets).astype(np.intp)


class Resampler:
    """Resizes the spatial axes of one layout of array, forward (`apply`) and transposed (`transpose`).

    Args:
        axes: the spatial axes, and for each its input and output size.
        method: one of `METHODS`; antialias: widen the kernel when shrinking.
        dtype: the dtype of the result.
    """

    def __init__(self, axes, in_sizes, out_sizes, method, antialias, dtype):
        self.axes = tuple(a for a, i, o in zip(axes, in_sizes, out_sizes) if i != o)
        self.sizes = tuple((i, o) for i, o in zip(in_sizes, out_sizes) if i != o)
        self.method = method
        self.dtype = np.dtype(dtype)
        self.matrices = tuple(resize_matrix(i, o, method, antialias).astype(self.dtype) for i, o in self.sizes)

    def apply(self, x):
        x = x.astype(self.dtype, copy=False) if self.method != "nearest" else x
        for axis, (i, o), matrix in zip(self.axes, self.sizes, self.matrices):
            if self.method == "nearest":
                x = np.take(x, nearest_indices(i, o), axis=axis)
            else:
                x = np.moveaxis(np.matmul(matrix, np.moveaxis(x, axis, -2)), -2, axis)
        return np.ascontiguousarray(x)

    def transpose(self, g):
        for axis, matrix in zip(reversed(self.axes), reversed(self.matrices)):
            g = np.moveaxis(np.matmul(matrix.T.astype(g.dtype), np.moveaxis(g, axis, -2)), -2, axis)
        return np.ascontiguousarray(g)


def resample(x, resampler, frame=None):
    """`resampler.apply` on `x` (after cropping or padding it by `frame`), recorded with its gradient.

    Args:
        frame: None, or `(kind, key, fill)`: kind "crop" takes `x[key]`; kind "pad"
            places `x` at `key` in a buffer of shape `fill[0]` filled with `fill[1]`.
    """
    xv = value_of(x)
    buffer = None
    if frame is not None and frame[0] == "pad":
        buffer = np.full(frame[2][0], frame[2][1], dtype=xv.dtype if xv.dtype.kind == "f" else resampler.dtype)

    def framed():
        if frame is None:
            return xv
        if frame[0] == "crop":
            return xv[frame[1]]
        np.copyto(buffer[frame[1]], xv)
        return buffer

    out = resampler.apply(framed())
    if not _recording_tapes:
        return out

    def forward():
        np.copyto(out, resampler.apply(framed()))

    def vjp(g):
        return (resample_transpose(g, resampler, frame, xv.shape, xv.dtype),)

    return record(out, (x,), vjp, forward)


def resample_transpose(g, resampler, frame, input_shape, input_dtype):
    """The gradient of `resample` for output gradient `g` (linear in `g`; recorded for higher derivatives)."""
    gv = value_of(g)

    def compute():
        grad = resampler.transpose(gv)
        if frame is None:
            return grad
        if frame[0] == "pad":
            return np.ascontiguousarray(grad[frame[1]])
        full = np.zeros(input_shape, dtype=grad.dtype)
        full[frame[1]] = grad
        return full

    out = compute()
    if not _recording_tapes:
        return out
    # The transpose of this linear map is the resize itself (with a zero-filled frame).
    linear_frame = frame if frame is None or frame[0] == "crop" else (frame[0], frame[1], (frame[2][0], 0.0))
    return record(out, (g,), lambda h: (resample(h, resampler, linear_frame),), lambda: np.copyto(out, compute()))


def aspect_ratio_frame(height, width, target_height, target_width, mode):
    """Keras's crop (or pad) box keeping the target's aspect ratio: `(h_start, w_start, h_size, w_size)`."""
    if mode == "crop":
        crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
        crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
        return (int(float(height - crop_height) / 2), int(float(width - crop_width) / 2), crop_height, crop_width)
    pad_height = max(height, int(float(width * target_height) / target_width))
    pad_width = max(width, int(float(height * target_width) / target_height))
    h_start = int(float(pad_height - height) / 2)
    w_start = int(float(pad_width - width) / 2)
    if h_start > 0:  # Keras pads one axis, the same amount on both sides
        return (h_start, 0, height + 2 * h_start, width)
    if w_start > 0:
        return (0, w_start, height, width + 2 * w_start)
    return (0, 0, height, width)

