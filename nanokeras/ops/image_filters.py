"""Filters of `keras.ops.image`: `gaussian_blur`, `sobel_edges`, and `ssim` (structural similarity).

Each filters every channel on its own with a small kernel, computed as a sum
of shifted slices of the (zero-padded) images: differentiable, and cheap for
the kernel sizes these use (the Gaussian is separable: one pass per axis).

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> image = np.zeros((5, 5, 1), "float32"); image[2, 2] = 1.0
    >>> round(float(ops.image.gaussian_blur(image)[2, 2, 0]), 4)
    0.2042
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.op_builders import cast_to, dtype_of

__all__ = []
IMAGE_NAMES = ["gaussian_blur", "sobel_edges", "ssim"]


def _batched_channels_last(images, data_format, op):
    """(images as (batch, height, width, channels), batched, channels_first)."""
    a = to_array(images)
    if a.ndim not in (3, 4):
        raise ValueError(f"`{op}` expects images of rank 3 (single image) or 4 (batch), got shape {a.shape}.")
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"`data_format` must be 'channels_last' or 'channels_first', got {data_format!r}.")
    batched = a.ndim == 4
    if not batched:
        images = ops.expand_dims(images, 0)
    first = data_format == "channels_first"
    if first:
        images = ops.transpose(images, (0, 2, 3, 1))
    return images, batched, first


def _restore(images, batched, first):
    if first:
        images = ops.transpose(images, (0, 3, 1, 2))
    return images if batched else ops.squeeze(images, 0)


def filter2d(images, kernel, padding="same"):
    """Cross-correlates each channel of (batch, height, width, channels) `images` with the 2-D `kernel`.

    "same" pads with zeros as XLA's SAME does (the extra row or column after); "valid" does not pad.
    """
    kh, kw = kernel.shape
    if padding == "same":
        top, left = (kh - 1) // 2, (kw - 1) // 2
        images = ops.pad(images, ((0, 0), (top, kh - 1 - top), (left, kw - 1 - left), (0, 0)))
    height, width = np.shape(to_array(images))[1] - kh + 1, np.shape(to_array(images))[2] - kw + 1
    if height < 1 or width < 1:
        raise ValueError(f"The filter ({kh}x{kw}) is larger than the images ({np.shape(to_array(images))[1:3]}).")
    out = None
    for i in range(kh):
        for j in range(kw):
            if kernel[i, j] == 0:
                continue
            term = ops.multiply(ops.getitem(images, (slice(None), slice(i, i + height), slice(j, j + width))),
                                kernel[i, j])
            out = term if out is None else ops.add(out, term)
    if out is None:
        out = ops.multiply(ops.getitem(images, (slice(None), slice(0, height), slice(0, width))), 0.0)
    return out


def _gaussian(size, sigma, dtype):
    x = np.arange(size, dtype=dtype) - np.asarray((size - 1) / 2, dtype)
    values = np.exp(np.asarray(-0.5, dtype) * (x / np.asarray(sigma, dtype)) ** 2)
    return values / np.sum(values)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs each channel with a Gaussian kernel (zeros outside the image).

    As in Keras, `kernel_size[0]` and `sigma[0]` shape the kernel along the width,
    `kernel_size[1]` and `sigma[1]` along the height.
    """
    images, batched, first = _batched_channels_last(images, data_format, "gaussian_blur")
    dtype = to_array(images).dtype
    if dtype.kind != "f":
        images = cast_to(images, config.floatx())
        dtype = to_array(images).dtype
    kernel_size = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    sigma = (sigma, sigma) if isinstance(sigma, (int, float)) else tuple(sigma)
    across, down = _gaussian(kernel_size[0], sigma[0], dtype), _gaussian(kernel_size[1], sigma[1], dtype)
    blurred = filter2d(filter2d(images, down[:, None]), across[None, :])
    return _restore(blurred, batched, first)


_SOBEL_Y = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])
_SOBEL_X = _SOBEL_Y.T


def sobel_edges(images, data_format=None):
    """The vertical and horizontal Sobel gradients of each channel: shape `images.shape + (2,)`,
    `[..., 0]` the vertical (dy) and `[..., 1]` the horizontal (dx) one."""
    images, batched, first = _batched_channels_last(images, data_format, "sobel_edges")
    if to_array(images).dtype.kind != "f":
        images = cast_to(images, config.floatx())
    dtype = to_array(images).dtype
    dy = _restore(filter2d(images, _SOBEL_Y.astype(dtype)), batched, first)
    dx = _restore(filter2d(images, _SOBEL_X.astype(dtype)), batched, first)
    return ops.stack([dy, dx], axis=-1)


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, data_format=None):
    """The structural similarity of two images (or batches), averaged over positions and channels:
    1 for identical images. Local statistics use a Gaussian window (`filter_size`, `filter_sigma`)."""
    original = to_array(image1).dtype
    dtype = result_type(dtype_of(image1), float)
    first, batched, flag = _batched_channels_last(cast_to(image1, dtype), data_format, "ssim")
    second, _, _ = _batched_channels_last(cast_to(image2, dtype), data_format, "ssim")
    if np.shape(to_array(first)) != np.shape(to_array(second)):
        raise ValueError(f"`ssim` needs two images of one shape, got {np.shape(to_array(image1))} and "
                         f"{np.shape(to_array(image2))}.")
    window = _gaussian(filter_size, filter_sigma, np.dtype(dtype))

    def local_mean(x):
        return filter2d(filter2d(x, window[:, None], "valid"), window[None, :], "valid")

    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu1, mu2 = local_mean(first), local_mean(second)
    mu1_sq, mu2_sq, mu12 = ops.multiply(mu1, mu1), ops.multiply(mu2, mu2), ops.multiply(mu1, mu2)
    var1 = ops.subtract(local_mean(ops.multiply(first, first)), mu1_sq)
    var2 = ops.subtract(local_mean(ops.multiply(second, second)), mu2_sq)
    covariance = ops.subtract(local_mean(ops.multiply(first, second)), mu12)
    numerator = ops.multiply(ops.add(ops.multiply(mu12, 2.0), c1), ops.add(ops.multiply(covariance, 2.0), c2))
    denominator = ops.multiply(ops.add(ops.add(mu1_sq, mu2_sq), c1), ops.add(ops.add(var1, var2), c2))
    per_image = ops.mean(ops.divide(numerator, denominator), axis=(1, 2, 3))
    out = per_image if batched else ops.squeeze(per_image, 0)
    return cast_to(out, original if original.kind == "f" else dtype)
