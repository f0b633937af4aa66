"""`keras.preprocessing.image`: image files and arrays, and Keras 2's `ImageDataGenerator`.

`load_img`, `img_to_array`, `array_to_img`, `save_img` and `smart_resize` are Keras 3
API. The rest (`ImageDataGenerator`, its iterators and transform functions) is Keras 2
API that Keras 3 removed; it works here with Keras 2's results.
"""

from nanokeras.preprocessing.image_data_generator import ImageDataGenerator
from nanokeras.preprocessing.image_iterators import DirectoryIterator, Iterator, NumpyArrayIterator
from nanokeras.preprocessing.image_transforms import (
    apply_affine_transform,
    apply_brightness_shift,
    apply_channel_shift,
    flip_axis,
    random_brightness,
    random_channel_shift,
    random_rotation,
    random_shear,
    random_shift,
    random_zoom,
    transform_matrix_offset_center,
)
from nanokeras.utils.image_utils import array_to_img, img_to_array, load_img, save_img


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last", **kwargs):
    """Resizes images to `size` without distorting them: crops, then resizes (Keras 3 API).

    First the largest centred box with the aspect ratio of `size` is cut out of each
    image (e.g. `(340, 340)` out of `(340, 500)` for a square `size`), then that box is
    resized to `size`, as `keras.ops.image.resize(x, size, crop_to_aspect_ratio=True)`.

    Args:
        x: one image `(height, width, channels)` or a batch `(batch, height, width, channels)`
            (channels first with `data_format="channels_first"`).
        size: `(height, width)` of the result.
        interpolation: "bilinear" (default), "nearest", "bicubic", "lanczos3" or "lanczos5".
        data_format: "channels_last" (default) or "channels_first".

    Returns:
        The resized images, a numpy array: float32 (float16 stays float16) except with
        "nearest", which keeps the input's dtype (64-bit types narrowed to 32 bits, as Keras
        on JAX).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> image = np.zeros((340, 500, 3), "float32")
        >>> keras.preprocessing.image.smart_resize(image, (200, 200)).shape
        (200, 200, 3)
    """
    import numpy as np

    from nanokeras.ops import image as image_ops
    from nanokeras.ops.tensor import value_of

    if kwargs:
        raise TypeError(f"smart_resize() got unexpected keyword arguments: {list(kwargs)}")
    try:
        size = tuple(size)
    except TypeError:
        raise TypeError(
            f"smart_resize: `size` must be a tuple of 2 integers (height, width), got {size!r}."
        ) from None
    if len(size) != 2:
        raise ValueError(f"smart_resize: `size` must be a tuple of 2 integers (height, width), got {size!r}.")
    images = value_of(x)
    if not isinstance(images, np.ndarray):
        images = np.asarray(images)
    if images.ndim not in (3, 4):
        raise ValueError(
            "smart_resize: expected an image of shape (height, width, channels) or a batch of shape "
            f"(batch_size, height, width, channels), got shape {images.shape}."
        )
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"smart_resize: `data_format` must be 'channels_last' or 'channels_first', got {data_format!r}."
        )
    narrow = {"f": np.float32, "i": np.int32, "u": np.uint32}
    if images.dtype.itemsize == 8 and images.dtype.kind in narrow:  # Keras on JAX holds no 64-bit arrays
        images = images.astype(narrow[images.dtype.kind])
    if images.dtype.kind != "f" and interpolation != "nearest":
        images = images.astype(np.float32)  # interpolated integer (or bool) images come back as float32
    return np.asarray(image_ops.resize(images, size, interpolation=interpolation, crop_to_aspect_ratio=True,
                                       data_format=data_format))
