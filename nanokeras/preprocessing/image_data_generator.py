"""Keras 2's `ImageDataGenerator`: batches of randomly augmented, normalized images.

Keras 3 replaced it with `keras.utils.image_dataset_from_directory` and augmentation
layers. Here it works as in Keras 2, with a note on the Keras 3 way: the same
settings and seeds give the same batches as Keras 2.

Example:
    >>> import warnings, numpy as np
    >>> from nanokeras.preprocessing.image import ImageDataGenerator
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     generator = ImageDataGenerator(rescale=1 / 255, horizontal_flip=True)
    >>> batches = generator.flow(np.full((10, 4, 4, 3), 255.0), np.arange(10), batch_size=4, seed=1)
    >>> len(batches), batches[0][0].shape, float(batches[0][0].max())
    (3, (4, 4, 4, 3), 1.0)
"""

import numbers
import warnings

import numpy as np

from nanokeras.backend import config
from nanokeras.preprocessing import image_transforms as transforms
from nanokeras.preprocessing.image_iterators import DirectoryIterator, NumpyArrayIterator
from nanokeras.utils import keras2_notes


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _random_shift(shift_range, size):
    """A shift in pixels: Keras 2 drew floats in [-r, r], or picked an int and a sign from a list/int."""
    try:
        shift = np.random.choice(shift_range)
        shift *= np.random.choice([-1, 1])
    except ValueError:  # a float range: np.random.choice only takes ints and 1-D arrays
        shift = np.random.uniform(-shift_range, shift_range)
    if np.max(shift_range) < 1:
        shift *= size
    return shift


class ImageDataGenerator:
    """Augments and normalizes images, batch by batch, for `fit`.

    Args:
        featurewise_center / featurewise_std_normalization: subtract the dataset's mean /
            divide by its std per channel (learnt by `fit(x)`).
        samplewise_center / samplewise_std_normalization: the same per image.
        zca_whitening, zca_epsilon: ZCA whitening (learnt by `fit(x)`).
        rotation_range: random rotations in [-r, r] degrees.
        width_shift_range / height_shift_range: random shifts, as fractions of the size
            (< 1), pixels (>= 1), or a list of allowed pixel shifts.
        brightness_range: a pair; random brightness factors (needs Pillow).
        shear_range: random shear angles in [-r, r] degrees.
        zoom_range: a float r (zooms in [1 - r, 1 + r]) or a pair.
        channel_shift_range: random shifts of all channels in [-r, r].
        fill_mode: `"nearest"`, `"constant"`, `"reflect"` or `"wrap"`; `cval` for constant.
        horizontal_flip / vertical_flip: random flips.
        rescale: multiply images by this (e.g. `1/255`) before anything else.
        preprocessing_function: a function applied to each image first.
        validation_split: the fraction used by `subset="validation"` in `flow*`.
        interpolation_order: spline order of geometric transforms (1: bilinear).

    Rotations, shifts, shears and zooms need SciPy, as in Keras 2.
    """

    def __init__(self, featurewise_center=False, samplewise_center=False, featurewise_std_normalization=False,
                 samplewise_std_normalization=False, zca_whitening=False, zca_epsilon=1e-6, rotation_range=0,
                 width_shift_range=0.0, height_shift_range=0.0, brightness_range=None, shear_range=0.0,
                 zoom_range=0.0, channel_shift_range=0.0, fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None, preprocessing_function=None, data_format=None,
                 validation_split=0.0, interpolation_order=1, dtype=None):
        data_format = data_format or config.image_data_format()
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(f"`data_format` must be 'channels_last' or 'channels_first', got {data_format!r}.")
        if validation_split and not 0 < validation_split < 1:
            raise ValueError(f"`validation_split` must be strictly between 0 and 1, got {validation_split!r}.")
        if fill_mode not in transforms.FILL_MODES:
            raise ValueError(f"`fill_mode` must be one of {list(transforms.FILL_MODES)}, got {fill_mode!r}.")
        if _is_number(zoom_range):
            zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif (isinstance(zoom_range, (list, tuple)) and len(zoom_range) == 2
              and all(_is_number(v) for v in zoom_range)):
            zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError(f"`zoom_range` must be a float or a pair of floats, got {zoom_range!r}.")
        if brightness_range is not None and (not isinstance(brightness_range, (tuple, list))
                                             or len(brightness_range) != 2):
            raise ValueError(f"`brightness_range` must be a pair of floats, got {brightness_range!r}.")
        keras2_notes.note("image_data_generator")
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self.zca_epsilon = zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.shear_range = shear_range
        self.zoom_range = zoom_range
        self.channel_shift_range = channel_shift_range
        self.fill_mode = fill_mode
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.dtype = dtype or config.floatx()
        self.interpolation_order = interpolation_order
        self.data_format = data_format
        self.channel_axis, self.row_axis, self.col_axis = (3, 1, 2) if data_format == "channels_last" else (1, 2, 3)
        self._validation_split = validation_split
        self.brightness_range = brightness_range
        self.mean = None
        self.std = None
        self.zca_whitening_matrix = None
        # Whitening implies centering, and std normalization implies centering, as in Keras 2.
        if zca_whitening:
            self.featurewise_center = True
            self.featurewise_std_normalization = False
        if self.featurewise_std_normalization:
            self.featurewise_center = True
        if samplewise_std_normalization:
            self.samplewise_center = True

    # ------------------------------------------------------------ iterators
    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None, save_to_dir=None,
             save_prefix="", save_format="png", ignore_class_split=False, subset=None):
        """Batches of augmented images from the arrays `x` (images) and `y` (labels).

        Returns a `Sequence` of `(x, y)` (or `(x, y, sample_weight)`, or `x` alone without
        `y`) batches for `fit`/`predict`, which is also an endless iterator (`next(...)`).
        `subset="training"`/`"validation"` uses the generator's `validation_split`.
        """
        return NumpyArrayIterator(
            x, y, self, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight, seed=seed,
            data_format=self.data_format, save_to_dir=save_to_dir, save_prefix=save_prefix,
            save_format=save_format, ignore_class_split=ignore_class_split, subset=subset, dtype=self.dtype)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None, save_to_dir=None,
                            save_prefix="", save_format="png", follow_links=False, subset=None,
                            interpolation="nearest", keep_aspect_ratio=False):
        """Batches of augmented images read from `directory/<class>/<image files>` (needs Pillow).

        `class_mode`: `"categorical"` (one-hot labels), `"binary"`/`"sparse"` (class
        indices), `"input"` (the images themselves) or None (images only).
        """
        return DirectoryIterator(
            directory, self, target_size=target_size, color_mode=color_mode, classes=classes,
            class_mode=class_mode, batch_size=batch_size, shuffle=shuffle, seed=seed, data_format=self.data_format,
            save_to_dir=save_to_dir, save_prefix=save_prefix, save_format=save_format, follow_links=follow_links,
            subset=subset, interpolation=interpolation, keep_aspect_ratio=keep_aspect_ratio, dtype=self.dtype)

    # ------------------------------------------------------- one image
    def standardize(self, x):
        """Applies the normalizations to one image (in place when possible, as Keras 2 did)."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        for wanted, value, what in ((self.featurewise_center, self.mean, "featurewise_center"),
                                    (self.featurewise_std_normalization, self.std, "featurewise_std_normalization"),
                                    (self.zca_whitening, self.zca_whitening_matrix, "zca_whitening")):
            if wanted and value is None:
                warnings.warn(f"This ImageDataGenerator specifies `{what}`, but it hasn't been fit on any "
                              "training data. Fit it first by calling `.fit(numpy_data)`.", stacklevel=2)
        if self.featurewise_center and self.mean is not None:
            x -= self.mean
        if self.featurewise_std_normalization and self.std is not None:
            x /= self.std + 1e-6
        if self.zca_whitening and self.zca_whitening_matrix is not None:
            whitened = x.reshape(-1, int(np.prod(x.shape[-3:]))) @ self.zca_whitening_matrix
            x = np.reshape(whitened, x.shape)
        return x

    def get_random_transform(self, img_shape, seed=None):
        """Draws the random parameters of one augmentation (a dict for `apply_transform`)."""
        row_axis, col_axis = self.row_axis - 1, self.col_axis - 1
        if seed is not None:
            np.random.seed(seed)
        theta = np.random.uniform(-self.rotation_range, self.rotation_range) if self.rotation_range else 0
        tx = _random_shift(self.height_shift_range, img_shape[row_axis]) if self.height_shift_range else 0
        ty = _random_shift(self.width_shift_range, img_shape[col_axis]) if self.width_shift_range else 0
        shear = np.random.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = (np.random.random() < 0.5) * self.horizontal_flip
        flip_vertical = (np.random.random() < 0.5) * self.vertical_flip
        channel_shift = None
        if self.channel_shift_range != 0:
            channel_shift = np.random.uniform(-self.channel_shift_range, self.channel_shift_range)
        brightness = None
        if self.brightness_range is not None:
            brightness = np.random.uniform(self.brightness_range[0], self.brightness_range[1])
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": flip_horizontal, "flip_vertical": flip_vertical,
                "channel_shift_intensity": channel_shift, "brightness": brightness}

    def apply_transform(self, x, transform_parameters):
        """Applies an augmentation (a dict as `get_random_transform` makes) to one image."""
        p = transform_parameters
        row_axis, col_axis, channel_axis = self.row_axis - 1, self.col_axis - 1, self.channel_axis - 1
        x = transforms.apply_affine_transform(
            x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0), p.get("shear", 0), p.get("zx", 1), p.get("zy", 1),
            row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis, fill_mode=self.fill_mode,
            cval=self.cval, order=self.interpolation_order)
        if p.get("channel_shift_intensity") is not None:
            x = transforms.apply_channel_shift(x, p["channel_shift_intensity"], channel_axis)
        if p.get("flip_horizontal", False):
            x = transforms.flip_axis(x, col_axis)
        if p.get("flip_vertical", False):
            x = transforms.flip_axis(x, row_axis)
        if p.get("brightness") is not None:
            x = transforms.apply_brightness_shift(x, p["brightness"], False)
        return x

    def random_transform(self, x, seed=None):
        """One image, randomly augmented."""
        return self.apply_transform(x, self.get_random_transform(x.shape, seed))

    # ------------------------------------------------------------ statistics
    def fit(self, x, augment=False, rounds=1, seed=None):
        """Learns the dataset statistics that the featurewise and ZCA options use.

        Args:
            x: images, shape `(samples, rows, cols, channels)`.
            augment: also fit on `rounds` randomly augmented copies.
            seed: seeds numpy's global generator first.
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"`fit` takes a batch of images of rank 4, got shape {x.shape}.")
        if seed is not None:
            np.random.seed(seed)
        x = np.copy(x)
        if self.rescale:
            x *= self.rescale
        if augment:
            augmented = np.zeros((rounds * x.shape[0],) + x.shape[1:], dtype=self.dtype)
            for r in range(rounds):
                for i in range(x.shape[0]):
                    augmented[i + r * x.shape[0]] = self.random_transform(x[i])
            x = augmented
        per_channel = [1, 1, 1]
        per_channel[self.channel_axis - 1] = x.shape[self.channel_axis]
        axes = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=axes), per_channel)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=axes), per_channel)
            x /= self.std + 1e-6
        if self.zca_whitening:
            n = len(x)
            u, s, _ = np.linalg.svd(np.reshape(x, (n, -1)).T, full_matrices=False)
            self.zca_whitening_matrix = (u * (np.sqrt(n) / (s + self.zca_epsilon))).dot(u.T)
