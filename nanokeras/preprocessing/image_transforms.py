"""The image transforms of Keras 2's `ImageDataGenerator`, one image `(rows, cols, channels)` at a time.

The geometric ones (rotation, shift, shear, zoom) resample with SciPy's
`ndimage.affine_transform`, and brightness goes through Pillow, exactly as Keras 2
did: both are imported only when such a transform is asked for.
"""

import numpy as np

from nanokeras.utils import image_utils

# Keras 2 documented the first four; SciPy, which does the filling, also takes the others.
FILL_MODES = ("constant", "nearest", "reflect", "wrap", "mirror", "grid-constant", "grid-mirror", "grid-wrap")


def _ndimage():
    try:
        from scipy import ndimage
    except ImportError:
        raise ImportError(
            "Rotating, shifting, shearing and zooming images needs SciPy (as in Keras 2): pip install scipy"
        ) from None
    return ndimage


def flip_axis(x, axis):
    """`x` reversed along `axis`."""
    return np.flip(np.asarray(x), axis)


def transform_matrix_offset_center(matrix, x, y):
    """`matrix` (3x3, homogeneous) applied around the centre of an `x` by `y` image instead of its corner."""
    centre_x, centre_y = float(x) / 2 - 0.5, float(y) / 2 - 0.5
    to_centre = np.array([[1, 0, centre_x], [0, 1, centre_y], [0, 0, 1]])
    back = np.array([[1, 0, -centre_x], [0, 1, -centre_y], [0, 0, 1]])
    return to_centre @ matrix @ back


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=1, col_axis=2, channel_axis=0,
                           fill_mode="nearest", cval=0.0, order=1):
    """Rotates (`theta` degrees), shifts (`tx` rows, `ty` columns), shears (`shear` degrees)
    and zooms (`zx`, `zy`) one image about its centre, as Keras 2 did.

    `fill_mode` (`"constant"`, `"nearest"`, `"reflect"`, `"wrap"`) and `cval` say what fills
    points from outside the image; `order` is the spline order (1: bilinear).
    """
    if sorted((row_axis, col_axis, channel_axis)) != [0, 1, 2]:
        raise ValueError(
            f"`row_axis`, `col_axis` and `channel_axis` must be 0, 1 and 2 in some order, "
            f"got {row_axis}, {col_axis}, {channel_axis}."
        )
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"Expected one image with channels (rank 3), got shape {x.shape}.")
    if channel_axis not in (0, 2):
        raise ValueError(f"The channel axis must be the first or the last, got channel_axis={channel_axis}.")
    if fill_mode not in FILL_MODES:
        raise ValueError(f"`fill_mode` must be one of {list(FILL_MODES)}, got {fill_mode!r}.")
    steps = []
    if theta != 0:
        angle = np.deg2rad(theta)
        steps.append(np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]]))
    if tx != 0 or ty != 0:
        steps.append(np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]]))
    if shear != 0:
        angle = np.deg2rad(shear)
        steps.append(np.array([[1, -np.sin(angle), 0], [0, np.cos(angle), 0], [0, 0, 1]]))
    if zx != 1 or zy != 1:
        steps.append(np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]]))
    if not steps:
        return x
    matrix = steps[0]
    for step in steps[1:]:
        matrix = matrix @ step
    matrix = transform_matrix_offset_center(matrix, x.shape[row_axis], x.shape[col_axis])
    if col_axis > row_axis:
        # The matrix works on (row, col) coordinates; the channel-first planes below are (row, col) too
        # only when rows come first, else swap both the coordinates and the equations.
        matrix[:, [0, 1]] = matrix[:, [1, 0]]
        matrix[[0, 1]] = matrix[[1, 0]]
    ndimage = _ndimage()
    planes = np.moveaxis(x, channel_axis, 0)
    moved = [ndimage.affine_transform(plane, matrix[:2, :2], matrix[:2, 2], order=order, mode=fill_mode, cval=cval)
             for plane in planes]
    return np.moveaxis(np.stack(moved, axis=0), 0, channel_axis)


def apply_channel_shift(x, intensity, channel_axis=0):
    """Adds `intensity` to every channel, clipped to the image's original [min, max]."""
    x = np.asarray(x)
    low, high = np.min(x), np.max(x)
    return np.clip(x + intensity, low, high)


def apply_brightness_shift(x, brightness, scale=True):
    """Scales brightness by the factor `brightness` with Pillow's `ImageEnhance.Brightness`.

    The image passes through 8 bits, as in Keras 2. With `scale=False`, an image whose
    values lie outside [0, 255] is mapped back to its original range afterwards.
    """
    try:
        from PIL import ImageEnhance
    except ImportError:
        raise ImportError("Brightness shifts need Pillow (as in Keras 2): pip install pillow") from None
    low, high = np.min(x), np.max(x)
    outside_8_bits = (low < 0) or (high > 255)
    image = image_utils.array_to_img(x, scale=outside_8_bits or scale)
    x = image_utils.img_to_array(ImageEnhance.Brightness(image).enhance(brightness))
    if not scale and outside_8_bits:
        x = x / 255 * (high - low) + low
    return x


def _uniform(low, high, size=None):
    # Keras 2 drew its augmentations from numpy's global generator: the same draws give the same images.
    return np.random.uniform(low, high, size)


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                    interpolation_order=1):
    """Rotates by a random angle in [-rg, rg] degrees."""
    return apply_affine_transform(x, theta=_uniform(-rg, rg), row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                 interpolation_order=1):
    """Shifts by random fractions of the height (`hrg`) and width (`wrg`)."""
    height, width = x.shape[row_axis], x.shape[col_axis]
    tx = _uniform(-hrg, hrg) * height
    ty = _uniform(-wrg, wrg) * width
    return apply_affine_transform(x, tx=tx, ty=ty, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                 interpolation_order=1):
    """Shears by a random angle in [-intensity, intensity] degrees."""
    return apply_affine_transform(x, shear=_uniform(-intensity, intensity), row_axis=row_axis,
                                  col_axis=col_axis, channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                interpolation_order=1):
    """Zooms rows and columns by random factors in `zoom_range` (a pair)."""
    if len(zoom_range) != 2:
        raise ValueError(f"`zoom_range` must be a pair (low, high), got {zoom_range!r}.")
    zx, zy = (1, 1) if zoom_range[0] == 1 and zoom_range[1] == 1 else _uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(x, zx=zx, zy=zy, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_channel_shift(x, intensity_range, channel_axis=0):
    """Adds a random intensity in [-intensity_range, intensity_range] to every channel."""
    return apply_channel_shift(x, _uniform(-intensity_range, intensity_range), channel_axis)


def random_brightness(x, brightness_range, scale=True):
    """Scales brightness by a random factor in `brightness_range` (a pair)."""
    if len(brightness_range) != 2:
        raise ValueError(f"`brightness_range` must be a pair (low, high), got {brightness_range!r}.")
    return apply_brightness_shift(x, _uniform(brightness_range[0], brightness_range[1]), scale)
