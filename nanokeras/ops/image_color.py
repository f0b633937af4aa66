"""Color conversions of `keras.ops.image`: `rgb_to_hsv` and `hsv_to_rgb` (values in [0, 1]).

Written with differentiable ops, following the formulas Keras uses on JAX
(from dm_pix), so their gradients match too.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.image.rgb_to_hsv(np.array([[[1.0, 0.0, 0.0]]], "float32")).tolist()
    [[[0.0, 1.0, 1.0]]]
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array

__all__ = []
IMAGE_NAMES = ["rgb_to_hsv", "hsv_to_rgb"]


def _planes(images, data_format, op):
    a = to_array(images)
    if a.ndim not in (3, 4):
        raise ValueError(f"`{op}` expects images of rank 3 (single image) or 4 (batch), got shape {a.shape}.")
    if a.dtype.kind != "f":
        raise ValueError(f"`{op}` expects float images, got dtype {a.dtype}.")
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"`data_format` must be 'channels_last' or 'channels_first', got {data_format!r}.")
    axis = -1 if data_format == "channels_last" else -3
    if a.shape[axis] != 3:
        raise ValueError(f"`{op}` expects 3 channels, got shape {a.shape} ({data_format}).")
    index = [slice(None)] * a.ndim
    planes = []
    for channel in range(3):
        index[axis] = channel
        planes.append(ops.getitem(images, tuple(index)))
    return planes, axis


def rgb_to_hsv(images, data_format=None):
    """RGB images to HSV (hue, saturation, value), each in [0, 1]."""
    (red, green, blue), axis = _planes(images, data_format, "rgb_to_hsv")
    eps = float(np.finfo(to_array(images).dtype).eps)
    red, green, blue = (ops.where(ops.less(ops.abs(p), eps), 0.0, p) for p in (red, green, blue))
    value = ops.maximum(ops.maximum(red, green), blue)
    spread = ops.subtract(value, ops.minimum(ops.minimum(red, green), blue))
    saturation = ops.where(ops.greater(value, 0), ops.divide(spread, ops.where(ops.greater(value, 0), value, 1.0)),
                           0.0)
    scale = ops.divide(1.0, ops.multiply(ops.where(ops.greater(spread, 0), spread, 1.0), 6.0))
    hue = ops.where(ops.equal(value, green), ops.add(ops.multiply(scale, ops.subtract(blue, red)), 2.0 / 6.0),
                    ops.add(ops.multiply(scale, ops.subtract(red, green)), 4.0 / 6.0))
    hue = ops.where(ops.equal(value, red), ops.multiply(scale, ops.subtract(green, blue)), hue)
    hue = ops.add(ops.where(ops.greater(spread, 0), hue, 0.0), ops._astype(ops.less(hue, 0.0), to_array(hue).dtype))
    return ops.stack([hue, saturation, value], axis=axis)


def hsv_to_rgb(images, data_format=None):
    """HSV images (hue, saturation, value in [0, 1]) to RGB."""
    (hue, saturation, value), axis = _planes(images, data_format, "hsv_to_rgb")
    sector = ops.multiply(ops.mod(hue, 1.0), 6.0)
    red = ops.clip(ops.subtract(ops.abs(ops.subtract(sector, 3.0)), 1.0), 0.0, 1.0)
    green = ops.clip(ops.subtract(2.0, ops.abs(ops.subtract(sector, 2.0))), 0.0, 1.0)
    blue = ops.clip(ops.subtract(2.0, ops.abs(ops.subtract(sector, 4.0))), 0.0, 1.0)
    grey = ops.subtract(1.0, saturation)
    planes = [ops.multiply(value, ops.add(grey, ops.multiply(saturation, d))) for d in (red, green, blue)]
    return ops.stack(planes, axis=axis)
