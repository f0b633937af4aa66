"""`extract_patches_3d`: the patches of volumes (batch, depth, height, width, channels) as vectors.

Each output position holds its patch flattened in (depth, height, width,
channels) order, as Keras lays it out. A gather of the input's elements, so it
is differentiable.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.image.extract_patches_3d(np.ones((1, 4, 4, 4, 2)), 2).shape
    (1, 2, 2, 2, 16)
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array

__all__ = []
IMAGE_NAMES = ["extract_patches_3d"]


def _triple(v, name):
    triple = (v,) * 3 if isinstance(v, (int, np.integer)) else tuple(v)
    if len(triple) != 3:
        raise ValueError(f"`{name}` must be an int or a tuple of 3 ints, got {v!r}.")
    return tuple(int(t) for t in triple)


def _positions(size, patch, stride, dilation, padding):
    """Indices into the padded axis (patch offset, output position) and the padding before/after."""
    span = (patch - 1) * dilation + 1
    if padding == "valid":
        out = (size - span) // stride + 1
        before = after = 0
    else:
        out = -(-size // stride)
        total = max((out - 1) * stride + span - size, 0)
        before, after = total // 2, total - total // 2
    if out < 1:
        raise ValueError(f"The patch (span {span}) does not fit in an axis of size {size}.")
    return np.arange(patch)[:, None] * dilation + np.arange(out)[None, :] * stride, before, after


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Patches of `size` (an int or (depth, height, width)) every `strides` (default: `size`)."""
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same', got {padding!r}.")
    data_format = config.image_data_format() if data_format is None else data_format
    size = _triple(size, "size")
    strides = size if strides is None else _triple(strides, "strides")
    dilation = _triple(dilation_rate, "dilation_rate")
    a = to_array(volumes)
    if a.ndim not in (4, 5):
        raise ValueError(f"`extract_patches_3d` expects volumes of rank 4 or 5, got shape {a.shape}.")
    batched = a.ndim == 5
    if not batched:
        volumes = ops.expand_dims(volumes, 0)
    if data_format == "channels_first":
        volumes = ops.transpose(volumes, (0, 2, 3, 4, 1))
    shape = np.shape(to_array(volumes))
    axes = [_positions(shape[1 + i], size[i], strides[i], dilation[i], padding) for i in range(3)]
    volumes = ops.pad(volumes, ((0, 0),) + tuple((b, e) for _, b, e in axes) + ((0, 0),))
    (d, _, _), (h, _, _), (w, _, _) = axes
    # (batch, pd, od, ph, oh, pw, ow, channels), then the offsets moved next to the channels.
    patches = ops.getitem(volumes, (slice(None), d[:, :, None, None, None, None], h[None, None, :, :, None, None],
                                    w[None, None, None, None, :, :]))
    patches = ops.transpose(patches, (0, 2, 4, 6, 1, 3, 5, 7))
    out_shape = np.shape(to_array(patches))
    patches = ops.reshape(patches, out_shape[:4] + (int(np.prod(out_shape[4:])),))
    if data_format == "channels_first":
        patches = ops.transpose(patches, (0, 4, 1, 2, 3))
    return patches if batched else ops.squeeze(patches, 0)
