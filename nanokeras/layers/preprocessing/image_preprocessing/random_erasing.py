"""`RandomErasing`: while training, overwrites a random rectangle of some images (noise or a constant)."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._mixing import (
    LabelledCall, batch_of, crop_bounds, patch_masks, spatial_size, unit_range,
)
from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, _is_number, shape_of,
)


class RandomErasing(LabelledCall, BaseImagePreprocessingLayer):
    """Erases a random rectangle of each image with a probability drawn in `factor` (an image is erased
    when a uniform draw in [0, 1) falls below it).

    The rectangle's width is `sqrt(s_w)` of the image's and its height `sqrt(s_h)` of the image's, `s_w`
    and `s_h` drawn in `scale`, placed uniformly. It is filled with `fill_value`, or (None) with normal
    noise times `value_range[1]`; either clipped to `value_range`. Labels pass through.

    Args:
        factor: `f` (meaning `(0, f)`) or `(lower, upper)` in [0, 1]; 1.0 by default.
        scale: `(lower, upper)` in [0, 1]: the range of the rectangle's squared side fractions.
        fill_value: None (noise), a number, or 3 numbers (one per channel).
        value_range: the images' range, `(low, high)`.
        seed: an int for reproducible draws.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomErasing(factor=(1.0, 1.0), scale=(0.25, 0.25), fill_value=0.0, seed=1)
        >>> int((layer(np.ones((1, 8, 8, 1), "float32")) == 0).sum())  # a 4 x 4 rectangle
        16
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255), seed=None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.scale = unit_range("RandomErasing", "scale", scale)
        constant = _is_number(fill_value)
        per_channel = isinstance(fill_value, (tuple, list)) and len(fill_value) == 3 and all(
            _is_number(v) for v in fill_value)
        if not (fill_value is None or constant or per_channel):
            raise ValueError(f"RandomErasing: `fill_value` must be None (noise), a number or 3 numbers "
                             f"(one per channel), got fill_value={fill_value!r}.")
        self.fill_value = fill_value
        self.value_range = check_value_range("RandomErasing", value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = shape_of(data)
        batch = batch_of(shape)
        height, width = spatial_size(self, shape)
        generator = self._generator
        sides = np.sqrt(generator.uniform(self.scale[0], self.scale[1], size=(batch, 2)).astype(np.float32))
        x0, x1 = crop_bounds(generator, batch, width, sides[:, 0])
        y0, y1 = crop_bounds(generator, batch, height, sides[:, 1])
        probability = generator.uniform(self.factor[0], self.factor[1], size=batch)
        apply = generator.uniform(0, 1, size=batch) < probability
        return {"apply_erasing": apply, "batch_masks": patch_masks(x0, x1, y0, y1, height, width, self.data_format),
                "fill_value": self._fill(generator, shape if len(shape) == 4 else (1,) + shape)}

    def _fill(self, generator, shape):
        """The values written into the rectangles (broadcastable to the batch), clipped to `value_range`."""
        low, high = self.value_range
        if self.fill_value is None:
            fill = generator.standard_normal(size=shape, dtype=np.float32) * np.float32(high)
        elif _is_number(self.fill_value):
            fill = np.asarray(self.fill_value, np.float32)
        else:
            channels = (1, 1, 1, 3) if self.data_format == "channels_last" else (1, 3, 1, 1)
            fill = np.asarray(self.fill_value, np.float32).reshape(channels)
        return np.clip(fill, np.float32(low), np.float32(high))

    def _augment(self, images, transformation):
        apply = np.asarray(transformation["apply_erasing"], dtype=bool).reshape(-1, 1, 1, 1)
        erased = np.asarray(transformation["batch_masks"], dtype=bool) & apply
        fill = np.asarray(transformation["fill_value"]).astype(images.dtype, copy=False)
        out = np.where(erased, fill, images).astype(images.dtype, copy=False)
        return out, lambda g: np.where(erased, 0, g).astype(g.dtype, copy=False)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "scale": self.scale, "fill_value": self.fill_value,
                       "value_range": self.value_range, "seed": self.seed})
        return config
