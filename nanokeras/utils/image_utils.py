"""Image files and arrays: `load_img`, `img_to_array`, `array_to_img`, `save_img`.

These need Pillow (`pip install pillow`), imported only when one of them is called.

Example:
    >>> import numpy as np
    >>> from nanokeras.utils import img_to_array
    >>> img_to_array(np.zeros((2, 3), dtype="uint8")).shape   # a grayscale image gains a channel axis
    (2, 3, 1)
"""

import io
import os
import pathlib
import warnings

import numpy as np

from nanokeras.backend import config

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")
_COLOR_MODES = ("grayscale", "rgb", "rgba")


def _pil_image():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("Reading and writing images needs Pillow: pip install pillow") from None
    return Image


def _check_data_format(data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"`data_format` must be 'channels_last' or 'channels_first', got {data_format!r}.")
    return data_format


def img_to_array(img, data_format=None, dtype=None):
    """A Pillow image (or array) as a float array `(height, width, channels)`."""
    data_format = _check_data_format(data_format)
    x = np.asarray(img, dtype=dtype or config.floatx())
    if x.ndim == 2:
        x = x[:, :, np.newaxis]
    elif x.ndim != 3:
        raise ValueError(f"Unsupported image shape: {x.shape}. Expected (height, width[, channels]).")
    return x.transpose(2, 0, 1) if data_format == "channels_first" else x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A `(height, width, channels)` array as a Pillow image (1, 3 or 4 channels).

    With `scale`, values are first stretched to [0, 255] (min to 0, max to 255).
    """
    data_format = _check_data_format(data_format)
    x = np.asarray(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(f"Expected an image array of rank 3 (one image), got shape {x.shape}.")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x /= top
        x *= 255
    image = _pil_image()
    channels = x.shape[2]
    if channels == 4:
        return image.fromarray(x.astype("uint8"))  # RGBA, from the shape (Pillow 11 deprecates `mode=`)
    if channels == 3:
        return image.fromarray(x.astype("uint8"))  # RGB
    if channels == 1:
        if np.max(x) > 255:
            return image.fromarray(x[:, :, 0].astype("int32"))  # I
        return image.fromarray(x[:, :, 0].astype("uint8"))  # L
    raise ValueError(f"Unsupported number of channels: {channels} (expected 1, 3 or 4).")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Writes the image array `x` to `path` (format from the extension unless `file_format`)."""
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2)
        img = img.convert("RGB")
    if not isinstance(path, (str, pathlib.Path)):
        img.save(path, format=file_format, **kwargs)
        return
    path = str(path)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        img.save(temporary, format=file_format or None, **kwargs)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False):
    """Reads an image file as a Pillow image.

    Args:
        path: a file path or an `io.BytesIO`.
        color_mode: `"rgb"`, `"rgba"` or `"grayscale"`.
        target_size: `(height, width)` to resize to, or None.
        interpolation: the resampling for resizing: `"nearest"`, `"bilinear"`,
            `"bicubic"`, `"hamming"`, `"box"` or `"lanczos"`.
        keep_aspect_ratio: crop the centre to the target's aspect ratio before resizing.
    """
    if color_mode not in _COLOR_MODES:
        raise ValueError(f"`color_mode` must be one of {list(_COLOR_MODES)}, got {color_mode!r}.")
    if target_size is not None and interpolation not in _INTERPOLATIONS:
        raise ValueError(f"`interpolation` must be one of {list(_INTERPOLATIONS)}, got {interpolation!r}.")
    image = _pil_image()
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        with open(path, "rb") as file:
            img = image.open(io.BytesIO(file.read()))
    else:
        raise TypeError(f"`path` must be a file path or an io.BytesIO, got {type(path).__name__}.")
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif img.mode != color_mode.upper():
        img = img.convert(color_mode.upper())
    if target_size is None:
        return img
    width_height = (int(target_size[1]), int(target_size[0]))
    if img.size == width_height:
        return img
    resampling = getattr(image, "Resampling", image)
    resample = getattr(resampling, interpolation.upper())
    if not keep_aspect_ratio:
        return img.resize(width_height, resample)
    width, height = img.size
    crop_height = min(height, (width * width_height[1]) // width_height[0])
    crop_width = min(width, (height * width_height[0]) // width_height[1])
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return img.resize(width_height, resample, box=[left, top, left + crop_width, top + crop_height])
