"""Images from and to files: `load_img`, `img_to_array`, `array_to_img`, `save_img`.

Pillow decodes and encodes the files; it is imported only when one of these
functions runs (`pip install pillow`, or the `images` extra).

Example:
    >>> import numpy as np, nanokeras as keras
    >>> picture = keras.utils.array_to_img(np.zeros((4, 6, 3)))
    >>> picture.size, keras.utils.img_to_array(picture).shape
    ((6, 4), (4, 6, 3))
"""

import io
import os
import pathlib
import tempfile
import warnings

import numpy as np

from nanokeras.backend import config

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")
COLOR_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}


def pillow():
    """The `PIL.Image` module, or an ImportError saying how to install it."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "Reading and writing images needs Pillow, which is not installed. Install it with "
            "`pip install pillow` (or `pip install 'nanokeras[images]'`)."
        ) from None
    return Image


def _data_format(data_format):
    if data_format is None:
        return config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"`data_format` must be 'channels_last' or 'channels_first', got {data_format!r}.")
    return data_format


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False):
    """Loads an image file into a PIL image.

    Args:
        path: a path (str or `pathlib.Path`) or an `io.BytesIO`.
        color_mode: "grayscale", "rgb" or "rgba".
        target_size: None (the file's size) or `(height, width)`.
        interpolation: how Pillow resamples to `target_size`: "nearest", "bilinear",
            "bicubic", "hamming", "box" or "lanczos".
        keep_aspect_ratio: resize the largest centred box of the target's aspect ratio.
    """
    image_module = pillow()
    if color_mode not in COLOR_MODES:
        raise ValueError(f"`color_mode` must be 'grayscale', 'rgb' or 'rgba', got {color_mode!r}.")
    if isinstance(path, io.BytesIO):
        source = path
    elif isinstance(path, (str, bytes, pathlib.Path)):
        with open(path, "rb") as f:
            source = io.BytesIO(f.read())
    else:
        raise TypeError(f"`path` must be a path or an io.BytesIO, got {type(path).__name__}.")
    try:
        image = image_module.open(source)
        image.load()
    except (OSError, SyntaxError, ValueError) as error:
        raise ValueError(f"Cannot read the image file {path!r}: {error}") from None
    mode = COLOR_MODES[color_mode]
    if color_mode == "grayscale":
        if image.mode not in ("L", "I;16", "I"):
            image = image.convert("L")
    elif image.mode != mode:
        image = image.convert(mode)
    if target_size is None:
        return image
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"`interpolation` must be one of {', '.join(INTERPOLATIONS)}, got {interpolation!r}.")
    resample = getattr(getattr(image_module, "Resampling", image_module), interpolation.upper())
    width_height = (int(target_size[1]), int(target_size[0]))
    if image.size == width_height:
        return image
    if keep_aspect_ratio:
        width, height = image.size
        crop_height = min(height, (width * width_height[1]) // width_height[0])
        crop_width = min(width, (height * width_height[0]) // width_height[1])
        top, left = (height - crop_height) // 2, (width - crop_width) // 2
        return image.resize(width_height, resample, box=[left, top, left + crop_width, top + crop_height])
    return image.resize(width_height, resample)


def img_to_array(img, data_format=None, dtype=None):
    """A PIL image (or anything `numpy.asarray` reads) as a 3-D array: (height, width, channels).

    Example:
        >>> import numpy as np
        >>> img_to_array(np.zeros((2, 3)), data_format="channels_first").shape
        (1, 2, 3)
    """
    data_format = _data_format(data_format)
    x = np.asarray(img, dtype=dtype or config.floatx())
    if x.ndim == 2:
        x = x[None] if data_format == "channels_first" else x[..., None]
    elif x.ndim == 3:
        if data_format == "channels_first":
            x = x.transpose(2, 0, 1)
    else:
        raise ValueError(f"`img_to_array` expects an image of rank 2 or 3, got shape {x.shape}.")
    return x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A 3-D array as a PIL image (1 channel: grayscale, 3: RGB, 4: RGBA).

    Args:
        scale: stretch the values to [0, 255] first (min to 0, max to 255).
    """
    image_module = pillow()
    data_format = _data_format(data_format)
    x = np.array(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(f"`array_to_img` expects one image of rank 3, got shape {x.shape}.")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x /= top
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return image_module.fromarray(x.astype("uint8"))  # RGBA, from the shape (Pillow 11 deprecates `mode=`)
    if channels == 3:
        return image_module.fromarray(x.astype("uint8"))  # RGB
    if channels == 1:
        if np.max(x) > 255:
            return image_module.fromarray(x[:, :, 0].astype("int32"))  # I
        return image_module.fromarray(x[:, :, 0].astype("uint8"))  # L
    raise ValueError(f"`array_to_img` supports 1, 3 or 4 channels, got {channels} (shape {x.shape}).")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an image array to a file (written to a temporary file, then renamed) or a file object.

    Args:
        file_format: the format ("png", "jpeg", ...); by default the path's extension.
        scale: stretch the values to [0, 255] first.
        **kwargs: passed to `PIL.Image.save`.
    """
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower() or None
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    image = array_to_img(x, data_format=data_format, scale=scale)
    if image.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2)
        image = image.convert("RGB")
    if not isinstance(path, (str, pathlib.Path)):
        image.save(path, format=file_format, **kwargs)
        return
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".nanokeras-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as f:
            image.save(f, format=file_format, **kwargs)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
