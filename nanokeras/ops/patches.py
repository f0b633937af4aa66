"""Rearranging image blocks in `keras.ops.nn`: `depth_to_space`, `space_to_depth` (pixel shuffles)
and `unfold`/`fold` (im2col and its inverse, on channels-first images as in PyTorch).

All are gathers or sums of the input's elements, so they are differentiable.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> x = np.arange(16.0).reshape(1, 2, 2, 4)
    >>> ops.depth_to_space(x, 2).shape
    (1, 4, 4, 1)
    >>> ops.unfold(np.ones((1, 2, 4, 4)), kernel_size=2, stride=2).shape
    (1, 8, 4)
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.math import segment_sum

__all__ = []
NN_NAMES = ["depth_to_space", "space_to_depth", "unfold", "fold"]


def _data_format(data_format):
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"`data_format` must be 'channels_last' or 'channels_first', got {data_format!r}.")
    return data_format


def _four_d(x, op):
    shape = np.shape(to_array(x))
    if len(shape) != 4:
        raise ValueError(f"`{op}` needs a 4-D input (batch, height, width, channels), got shape {shape}.")
    return shape


def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channel blocks into `block_size` x `block_size` spatial blocks (a pixel shuffle)."""
    shape = _four_d(x, "depth_to_space")
    b = int(block_size)
    if _data_format(data_format) == "channels_last":
        n, h, w, c = shape
        if c % (b * b):
            raise ValueError(f"The channels ({c}) must be divisible by block_size**2 ({b * b}).")
        x = ops.reshape(x, (n, h, w, b, b, c // (b * b)))
        return ops.reshape(ops.transpose(x, (0, 1, 3, 2, 4, 5)), (n, h * b, w * b, c // (b * b)))
    n, c, h, w = shape
    if c % (b * b):
        raise ValueError(f"The channels ({c}) must be divisible by block_size**2 ({b * b}).")
    x = ops.reshape(x, (n, c // (b * b), b, b, h, w))
    return ops.reshape(ops.transpose(x, (0, 1, 4, 2, 5, 3)), (n, c // (b * b), h * b, w * b))


def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves `block_size` x `block_size` spatial blocks into channels (the inverse of `depth_to_space`)."""
    shape = _four_d(x, "space_to_depth")
    b = int(block_size)
    channels_last = _data_format(data_format) == "channels_last"
    n, h, w, c = shape if channels_last else (shape[0], shape[2], shape[3], shape[1])
    if h % b or w % b:
        raise ValueError(f"The height and width ({h}, {w}) must be divisible by block_size ({b}).")
    if channels_last:
        x = ops.reshape(x, (n, h // b, b, w // b, b, c))
        return ops.reshape(ops.transpose(x, (0, 1, 3, 2, 4, 5)), (n, h // b, w // b, c * b * b))
    x = ops.reshape(x, (n, c, h // b, b, w // b, b))
    return ops.reshape(ops.transpose(x, (0, 1, 3, 5, 2, 4)), (n, c * b * b, h // b, w // b))


def _pair(v, name):
    pair = (v, v) if isinstance(v, (int, np.integer)) else tuple(v)
    if len(pair) != 2 or any(int(p) < 0 for p in pair):
        raise ValueError(f"`{name}` must be a non-negative int or a pair of them, got {v!r}.")
    return tuple(int(p) for p in pair)


def _block_positions(size, kernel, dilation, padding, stride):
    """(rows of each kernel offset and output position: shape (kernel, out), out) along one axis."""
    out = (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
    if out < 1:
        raise ValueError("The kernel (with dilation) does not fit in the padded input.")
    return np.arange(kernel)[:, None] * dilation + np.arange(out)[None, :] * stride, out


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """The sliding blocks of a (N, C, H, W) image as columns: shape (N, C * kH * kW, blocks)."""
    shape = np.shape(to_array(x))
    if len(shape) != 4:
        raise ValueError(f"Input must be a 4D tensor (N, C, H, W), got shape {shape}.")
    (kh, kw), (dh, dw) = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    (ph, pw), (sh, sw) = _pair(padding, "padding"), _pair(stride, "stride")
    n, c, h, w = shape
    rows, oh = _block_positions(h, kh, dh, ph, sh)
    cols, ow = _block_positions(w, kw, dw, pw, sw)
    padded = ops.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    # (kh, oh) rows and (kw, ow) columns, broadcast to (kh, kw, oh, ow).
    blocks = ops.getitem(padded, (slice(None), slice(None), rows[:, None, :, None], cols[None, :, None, :]))
    return ops.reshape(blocks, (n, c * kh * kw, oh * ow))


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The image (N, C, oH, oW) whose `unfold` are the columns `x` (N, C * kH * kW, blocks); overlapping
    blocks are summed."""
    shape = np.shape(to_array(x))
    if len(shape) != 3:
        raise ValueError(f"Input must be a 3D tensor (N, C * kH * kW, L), got shape {shape}.")
    (kh, kw), (dh, dw) = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    (ph, pw), (sh, sw) = _pair(padding, "padding"), _pair(stride, "stride")
    out_h, out_w = _pair(output_size, "output_size")
    n, ckk, blocks = shape
    if ckk % (kh * kw):
        raise ValueError(f"The second dimension ({ckk}) must be divisible by the kernel size product ({kh * kw}).")
    c = ckk // (kh * kw)
    rows, oh = _block_positions(out_h, kh, dh, ph, sh)
    cols, ow = _block_positions(out_w, kw, dw, pw, sw)
    if oh * ow != blocks:
        raise ValueError(f"`x` holds {blocks} blocks, but the output size, kernel, dilation, padding and stride "
                         f"give {oh * ow}.")
    height, width = out_h + 2 * ph, out_w + 2 * pw
    position = rows[:, None, :, None] * width + cols[None, :, None, :]  # (kh, kw, oh, ow)
    images = np.arange(n * c)[:, None] * (height * width)
    ids = (images + position.reshape(1, -1)).ravel()
    summed = segment_sum(ops.reshape(x, (-1,)), ids, num_segments=n * c * height * width)
    image = ops.reshape(summed, (n, c, height, width))
    return ops.getitem(image, (slice(None), slice(None), slice(ph, ph + out_h), slice(pw, pw + out_w)))
