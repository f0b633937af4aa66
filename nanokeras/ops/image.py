"""`keras.ops.image`: resizing, affine warps, sampling, cropping, padding and patches of image batches.

Images are (batch, height, width, channels) (or a single (height, width,
channels) image), or channels first. Every function is differentiable with
respect to the images.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> images = np.ones((2, 4, 4, 3), "float32")
    >>> ops.image.resize(images, (8, 6)).shape
    (2, 8, 6, 3)
"""

import numpy as np

from nanokeras.ops import image_resize, image_sampling, spatial
from nanokeras.ops.convolution import conv
from nanokeras.ops.convolution_geometry import data_format_of
from nanokeras.ops.gradient_utils import to_array, value_of
from nanokeras.ops.symbolic_dispatch import accepting_symbolic_tensors

__all__ = ["resize", "affine_transform", "map_coordinates", "crop_images", "pad_images", "rgb_to_grayscale",
           "extract_patches"]


def _images(op, images, data_format):
    """(array, batched, data_format, (height axis, width axis)) for rank-3 or rank-4 images."""
    data_format = data_format_of(data_format, op)
    rank = np.ndim(value_of(images))
    if rank not in (3, 4):
        raise ValueError(
            f"`{op}` expects images of rank 3 (height, width, channels) or 4 (batch, height, width, channels), "
            f"got shape {np.shape(value_of(images))}."
        )
    axes = (rank - 3, rank - 2) if data_format == "channels_last" else (rank - 2, rank - 1)
    return rank == 4, data_format, axes


@accepting_symbolic_tensors
def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """Resizes images to `size = (height, width)`, as `jax.image.resize` (Keras's JAX backend) does.

    Args:
        interpolation: "bilinear", "nearest", "bicubic", "lanczos3" or "lanczos5".
        antialias: widen the filter when shrinking (no effect when enlarging).
        crop_to_aspect_ratio: first crop the largest centred box of the target's aspect ratio.
        pad_to_aspect_ratio: first pad (with `fill_value`) to the target's aspect ratio.

    Example:
        >>> x = np.array([0.0, 1.0], "float32").reshape(1, 1, 2, 1)
        >>> resize(x, (1, 4))[0, 0, :, 0].tolist()
        [0.0, 0.25, 0.75, 1.0]
    """
    _, data_format, axes = _images("resize", images, data_format)
    if interpolation not in image_resize.METHODS:
        raise ValueError(
            f"`resize`: `interpolation` must be one of {', '.join(repr(m) for m in image_resize.METHODS)}, "
            f"got {interpolation!r}."
        )
    if fill_mode != "constant":
        raise ValueError(f"`resize`: only fill_mode='constant' is supported, got fill_mode={fill_mode!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("`resize`: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True.")
    try:
        target = tuple(int(s) for s in size)
    except (TypeError, ValueError):
        target = ()
    if len(target) != 2 or min(target) <= 0:
        raise ValueError(f"`resize`: `size` must be (height, width), two positive ints, got {size!r}.")
    x = to_array(images)
    height, width = x.shape[axes[0]], x.shape[axes[1]]
    frame = None
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        mode = "crop" if crop_to_aspect_ratio else "pad"
        top, left, h, w = image_resize.aspect_ratio_frame(height, width, target[0], target[1], mode)
        key = [slice(None)] * x.ndim
        key[axes[0]], key[axes[1]] = slice(top, top + h), slice(left, left + w)
        if mode == "pad":
            key[axes[0]], key[axes[1]] = slice(top, top + height), slice(left, left + width)
            shape = list(x.shape)
            shape[axes[0]], shape[axes[1]] = h, w
            frame = ("pad", tuple(key), (tuple(shape), fill_value))
        else:
            frame = ("crop", tuple(key), None)
        height, width = h, w
    from nanokeras.backend import config

    dtype = x.dtype if x.dtype.kind == "f" or interpolation == "nearest" else np.dtype(config.floatx())
    resampler = image_resize.Resampler(axes, (height, width), target, interpolation, bool(antialias), dtype)
    out = image_resize.resample(images, resampler, frame)
    if x.dtype.kind in "iub" and interpolation != "nearest":
        out = _back_to_integers(out, x.dtype)
    return out


def _back_to_integers(out, dtype):
    """A float resize of integer (or bool) images in their own dtype, as Keras: rounded half to even and
    clipped to the dtype's range (bools: True where positive, a saturating cast)."""
    from nanokeras.ops import numpy as ops

    if dtype.kind == "b":
        return ops.greater(out, 0)
    out = ops.round(out)
    if dtype.itemsize < 4:  # (32-bit bounds are not exact in float32; overshoots that far do not occur)
        info = np.iinfo(dtype)
        out = ops.clip(out, float(info.min), float(info.max))
    return ops._astype(out, dtype)


@accepting_symbolic_tensors
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0.0):
    """Samples `inputs` at `coordinates` (one array of positions per axis of `inputs`).

    Args:
        order: 0 (nearest) or 1 (linear).
        fill_mode: "constant", "nearest", "wrap", "mirror" or "reflect".

    Example:
        >>> grid = np.arange(12.0, dtype="float32").reshape(3, 4)
        >>> map_coordinates(grid, [np.array([0.5, 1.5]), np.array([1.5, 2.5])], 1).tolist()
        [3.5, 8.5]
    """
    x = to_array(inputs)
    coordinates = [np.asarray(value_of(c)) for c in coordinates]
    if len(coordinates) != x.ndim:
        raise ValueError(
            f"`map_coordinates`: `coordinates` must have one array per axis of `inputs` ({x.ndim}), "
            f"got {len(coordinates)}."
        )
    if order not in (0, 1):
        raise ValueError(f"`map_coordinates`: `order` must be 0 or 1, got {order!r}.")
    image_sampling.check_fill_mode("map_coordinates", fill_mode)
    shapes = {c.shape for c in coordinates}
    if len(shapes) != 1:
        raise ValueError(f"`map_coordinates`: the coordinate arrays must share one shape, got {sorted(shapes)}.")
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype("float32")
    coordinates = [c.astype(dtype, copy=False) for c in coordinates]
    sampler = image_sampling.Sampler(x.shape, coordinates, tuple(range(x.ndim)), 0, order, fill_mode)
    return image_sampling.sample(inputs, sampler, fill_value, integer_output=x.dtype.kind in "iu")


@accepting_symbolic_tensors
def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0,
                     data_format=None):
    """Warps images: output pixel (x, y) reads the input at the point `transform` maps it to.

    Args:
        transform: 8 numbers `[a0, a1, a2, b0, b1, b2, c0, c1]` (or one row per image):
            output (x, y) reads input `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`,
            `k = c0 x + c1 y + 1`. The transform is not differentiated.
        interpolation: "nearest" or "bilinear".
        fill_mode: "constant" (`fill_value`), "nearest", "wrap", "mirror" or "reflect".

    Example:
        >>> x = np.arange(4.0, dtype="float32").reshape(1, 1, 4, 1)
        >>> shift_left = np.array([1, 0, 1, 0, 1, 0, 0, 0], "float32")   # reads x + 1
        >>> affine_transform(x, shift_left)[0, 0, :, 0].tolist()
        [1.0, 2.0, 3.0, 0.0]
    """
    batched, data_format, axes = _images("affine_transform", images, data_format)
    if interpolation not in image_sampling.INTERPOLATIONS:
        raise ValueError(f"`affine_transform`: `interpolation` must be 'nearest' or 'bilinear', got {interpolation!r}.")
    image_sampling.check_fill_mode("affine_transform", fill_mode)
    t = np.asarray(value_of(transform))
    if t.ndim not in (1, 2) or t.shape[-1] != 8:
        raise ValueError(
            f"`affine_transform`: `transform` must have shape (8,) or (batch, 8), got {t.shape}."
        )
    x = to_array(images)
    if not batched:
        x = x[None]
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    if t.ndim == 1:
        t = t[None]
    if t.shape[0] not in (1, x.shape[0]):
        raise ValueError(
            f"`affine_transform`: {t.shape[0]} transforms for {x.shape[0]} images; give one or one per image."
        )
    t = np.broadcast_to(t, (x.shape[0], 8))
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype("float32")
    y_in, x_in = image_sampling.affine_coordinates(t, x.shape[1], x.shape[2], dtype)
    sampler = image_sampling.Sampler(x.shape, [y_in, x_in], (1, 2), 1, image_sampling.INTERPOLATIONS[interpolation],
                                     fill_mode)
    return _to_layout(image_sampling.sample(_to_channels_last(images, batched, data_format), sampler, fill_value,
                                            integer_output=x.dtype.kind in "iu"), batched, data_format)


def _to_channels_last(images, batched, data_format):
    """`images` as (batch, h, w, c), through recorded ops when they are tracked."""
    from nanokeras.ops import numpy as np_ops

    out = images if batched else np_ops.expand_dims(images, 0)
    return out if data_format == "channels_last" else np_ops.moveaxis(out, 1, -1)


def _to_layout(out, batched, data_format):
    from nanokeras.ops import numpy as np_ops

    if data_format == "channels_first":
        out = np_ops.moveaxis(out, -1, 1)
    return out if batched else np_ops.squeeze(out, 0)


def _margins(op, kind, size, first, last, target):
    """`(first, last)` from two of (first, last, target) for one axis of length `size`."""
    names = {"crop": ("cropping", "target"), "pad": ("padding", "target")}[kind]
    if [first, last, target].count(None) != 1:
        raise ValueError(
            f"`{op}`: give exactly two of the top/bottom (or left/right) {names[0]} and the target size; "
            f"got first={first}, last={last}, target={target}."
        )
    sign = 1 if kind == "pad" else -1
    if first is None:
        first = sign * (int(target) - size) - int(last)
    if last is None:
        last = sign * (int(target) - size) - int(first)
    if int(first) < 0 or int(last) < 0:
        raise ValueError(f"`{op}`: the {names[0]} must be >= 0, got ({first}, {last}) for an axis of size {size}.")
    return int(first), int(last)


@accepting_symbolic_tensors
def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None,
               target_height=None, target_width=None, data_format=None):
    """Pads images with zeros; each axis takes two of (before, after, target size).

    Example:
        >>> pad_images(np.ones((2, 2, 1), "float32"), 1, 0, 1, 0, None, None).shape
        (4, 2, 1)
    """
    _, data_format, axes = _images("pad_images", images, data_format)
    shape = np.shape(value_of(images))
    pads = (_margins("pad_images", "pad", shape[axes[0]], top_padding, bottom_padding, target_height),
            _margins("pad_images", "pad", shape[axes[1]], left_padding, right_padding, target_width))
    return _with_batch(spatial.zero_pad, images, pads, data_format)


@accepting_symbolic_tensors
def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None, right_cropping=None,
                target_height=None, target_width=None, data_format=None):
    """Crops images; each axis takes two of (before, after, target size).

    Example:
        >>> crop_images(np.ones((4, 5, 1), "float32"), 1, 1, None, None, 2, 3).shape
        (2, 3, 1)
    """
    _, data_format, axes = _images("crop_images", images, data_format)
    shape = np.shape(value_of(images))
    crops = (_margins("crop_images", "crop", shape[axes[0]], top_cropping, bottom_cropping, target_height),
             _margins("crop_images", "crop", shape[axes[1]], left_cropping, right_cropping, target_width))
    if crops[0][0] + crops[0][1] >= shape[axes[0]] or crops[1][0] + crops[1][1] >= shape[axes[1]]:
        raise ValueError(f"`crop_images`: cropping {crops} leaves nothing of images of shape {shape}.")
    return _with_batch(spatial.crop, images, crops, data_format)


def _with_batch(fn, images, margins, data_format):
    """Calls a spatial op (which expects a batch axis) on batched or single images."""
    if np.ndim(value_of(images)) == 4:
        return fn(images, margins, data_format)
    from nanokeras.ops import numpy as np_ops

    return np_ops.squeeze(fn(np_ops.expand_dims(images, 0), margins, data_format), 0)


@accepting_symbolic_tensors
def rgb_to_grayscale(images, data_format=None):
    """Luma `0.2989 R + 0.5870 G + 0.1140 B`, keeping a channels axis of size 1.

    Example:
        >>> rgb_to_grayscale(np.ones((2, 2, 3), "float32")).shape
        (2, 2, 1)
    """
    _, data_format, _ = _images("rgb_to_grayscale", images, data_format)
    from nanokeras.ops import numpy as np_ops

    x = to_array(images)
    axis = -1 if data_format == "channels_last" else -3
    if x.shape[axis] != 3:
        raise ValueError(f"`rgb_to_grayscale` expects 3 channels (RGB), got images of shape {x.shape}.")
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype("float32")
    weights = np.array([0.2989, 0.5870, 0.1140], dtype=dtype)
    gray = np_ops.tensordot(images, weights, axes=([x.ndim + axis], [0]))
    return np_ops.expand_dims(gray, axis)


@accepting_symbolic_tensors
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Every `size` patch as a vector: (batch, rows, cols, size[0] * size[1] * channels).

    Example:
        >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
        >>> extract_patches(x, 2)[0, 0, 0].tolist()
        [0.0, 1.0, 4.0, 5.0]
    """
    batched, data_format, axes = _images("extract_patches", images, data_format)
    size = (size, size) if isinstance(size, int) else tuple(size)
    if len(size) != 2:
        raise ValueError(f"`extract_patches`: `size` must be an int or (height, width), got {size!r}.")
    x = to_array(images)
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[-3]
    out_dim = size[0] * size[1] * channels
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype("float32")
    kernel = np.eye(out_dim, dtype=dtype).reshape(size + (channels, out_dim))
    from nanokeras.ops import numpy as np_ops

    batch = images if batched else np_ops.expand_dims(images, 0)
    patches = conv(batch, kernel, strides or size, padding, data_format, dilation_rate)
    return patches if batched else np_ops.squeeze(patches, 0)


# Color conversions, filters and 3-D patches live in files of their own, gathered here.
from nanokeras.ops import image_color as _image_color  # noqa: E402
from nanokeras.ops import image_filters as _image_filters  # noqa: E402
from nanokeras.ops import image_warps as _image_warps  # noqa: E402
from nanokeras.ops import volume_patches as _volume_patches  # noqa: E402
from nanokeras.ops.op_builders import gather as _gather  # noqa: E402

_GATHERED = [name for module in (_image_color, _image_filters, _volume_patches, _image_warps)
             for name in module.IMAGE_NAMES]
_gather(globals(), [_image_color, _image_filters, _volume_patches, _image_warps], "IMAGE_NAMES")
for _name in _GATHERED:
    globals()[_name] = accepting_symbolic_tensors(globals()[_name])
del _name
