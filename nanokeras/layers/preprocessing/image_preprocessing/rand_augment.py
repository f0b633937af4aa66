"""`RandAugment`: while training, `num_ops` operations drawn from eleven augmentations, all of one strength."""

import numbers

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range, rescale
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    apply_in_turn,
)
from nanokeras.layers.preprocessing.image_preprocessing.equalization import Equalization
from nanokeras.layers.preprocessing.image_preprocessing.random_brightness import RandomBrightness
from nanokeras.layers.preprocessing.image_preprocessing.random_color_degeneration import RandomColorDegeneration
from nanokeras.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from nanokeras.layers.preprocessing.image_preprocessing.random_posterization import RandomPosterization
from nanokeras.layers.preprocessing.image_preprocessing.random_rotation import RandomRotation
from nanokeras.layers.preprocessing.image_preprocessing.random_sharpness import RandomSharpness
from nanokeras.layers.preprocessing.image_preprocessing.random_shear import RandomShear
from nanokeras.layers.preprocessing.image_preprocessing.random_translation import RandomTranslation
from nanokeras.layers.preprocessing.image_preprocessing.solarization import Solarization

# The operations, in Keras's order (a drawn index names one of them).
OPERATIONS = ("random_shear", "random_translation", "random_rotation", "random_brightness",
              "random_color_degeneration", "random_contrast", "random_sharpness", "random_posterization",
              "solarization", "auto_contrast", "equalization")


def make_operations(factor, value_range, interpolation, seed, data_format):
    """The operations' layers by name, all of strength `factor` (a pair); auto contrast is `auto_contrast`."""
    geometric = dict(interpolation=interpolation, seed=seed, data_format=data_format)
    color = dict(value_range=value_range, seed=seed, data_format=data_format)
    return {
        "random_shear": RandomShear(x_factor=factor, y_factor=factor, **geometric),
        "random_translation": RandomTranslation(height_factor=factor, width_factor=factor, **geometric),
        "random_rotation": RandomRotation(factor=factor, **geometric),
        "random_brightness": RandomBrightness(factor=factor, **color),
        "random_color_degeneration": RandomColorDegeneration(factor=factor, **color),
        "random_contrast": RandomContrast(factor=factor, **color),
        "random_sharpness": RandomSharpness(factor=factor, **color),
        # Keras keeps between 1 and 8 * factor bits.
        "random_posterization": RandomPosterization(factor=max(1, int(8 * factor[1])), **color),
        "solarization": Solarization(addition_factor=factor, threshold_factor=factor, **color),
        "equalization": Equalization(value_range=value_range, data_format=data_format),
    }


def auto_contrast(images, value_range, data_format):
    """`AutoContrast` on a batch (numpy), and its gradient (the stretch's slope, the range held fixed)."""
    dtype = images.dtype
    low_high = check_value_range("AutoContrast", value_range)
    scaled, _ = rescale(images, low_high, (0, 255), dtype)
    axes = (1, 2) if data_format == "channels_last" else (2, 3)
    low = scaled.min(axis=axes, keepdims=True)
    high = scaled.max(axis=axes, keepdims=True)
    flat = high == low  # a flat channel is left as it was
    scale = np.where(flat, dtype.type(1), dtype.type(255) / np.where(flat, dtype.type(1), high - low))
    stretched = np.clip(scaled * scale - low * scale, 0, 255).astype(dtype, copy=False)
    out, _ = rescale(stretched, (0, 255), low_high, dtype)
    out = np.where(flat, images, out).astype(dtype, copy=False)
    return out, lambda g: (g * scale).astype(g.dtype, copy=False)


class RandAugment(BaseImagePreprocessingLayer):
    """RandAugment (Cubuk et al., 2019): at each call, draws `num_ops` operations (with repetition) among
    shear, translation, rotation, brightness, color degeneration, contrast, sharpness, posterization,
    solarization, auto contrast and equalization, and applies them in turn to the whole batch; each
    operation's own parameters are drawn per image, with strengths up to `factor`.

    Args:
        value_range: the images' range, `(0, 255)` by default.
        num_ops: how many operations to apply (2 by default).
        factor: the strength, a number `f` in [0, 1] (meaning `(0, f)`) or a pair; 0.5 by default.
        interpolation: "bilinear" (default) or "nearest", for the geometric operations.
        seed: an int for reproducible draws.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> out = keras.layers.RandAugment(seed=1)(images)
        >>> out.shape, bool(out.min() >= 0 and out.max() <= 255)
        ((2, 8, 8, 3), True)
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear", seed=None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        check_value_range("RandAugment", value_range)
        self.value_range = value_range  # kept as given, as Keras's config keeps it
        if not isinstance(num_ops, numbers.Integral) or isinstance(num_ops, bool) or num_ops < 0:
            raise ValueError(f"RandAugment: `num_ops` must be a non-negative integer, got num_ops={num_ops!r}.")
        self.num_ops = int(num_ops)
        self._set_factor(factor)
        if interpolation not in ("nearest", "bilinear"):
            raise ValueError(f"RandAugment: `interpolation` must be 'nearest' or 'bilinear', "
                             f"got interpolation={interpolation!r}.")
        self.interpolation = interpolation
        self._set_seed(seed)
        self._operations = make_operations(self.factor, value_range, interpolation, seed, self.data_format)
        for operation in self._operations.values():
            operation._noise = self._noise  # one random stream for all draws, as Keras's one seed generator

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        # The operations are drawn for the batch, then every operation's parameters (as Keras draws them).
        indices = self._generator.integers(0, len(OPERATIONS), size=self.num_ops)
        transforms = {name: operation.get_random_transformation(data)
                      for name, operation in self._operations.items()}
        return {"layer_idxes": indices, "transforms": transforms}

    def _augment(self, images, transformation):
        return apply_in_turn(images, [self._step(OPERATIONS[int(index)], transformation["transforms"])
                                      for index in transformation["layer_idxes"]])

    def _step(self, name, transforms):
        if name == "auto_contrast":
            return lambda images: auto_contrast(images, self.value_range, self.data_format)
        return lambda images: self._operations[name]._augment(images, transforms[name])

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "num_ops": self.num_ops, "factor": self.factor,
                       "interpolation": self.interpolation, "seed": self.seed})
        return config
