"""`Solarization`: while training, adds a random amount to each image and inverts the values above
a random threshold (in the `(0, 255)` scale)."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range, rescale
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)


def _factor(value, name):
    error = ValueError(f"Solarization: the `addition_factor` and `threshold_factor` arguments should be a number "
                       f"(or a list of two numbers) in the range [0, 1]. Received: {name}={value!r}")
    numbers = list(value) if isinstance(value, (tuple, list)) else [value]
    if (isinstance(value, (tuple, list)) and len(value) != 2) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in numbers):
        raise error
    return tuple(sorted(value)) if isinstance(value, (tuple, list)) else (0, value)


class Solarization(BaseImagePreprocessingLayer):
    """`r = clip(image + a, 0, 255)`, then `r` where `r < t`, else `255 - r` (in the 0-255 scale),
    with `a` drawn in `[addition_factor[0], 255 * addition_factor[1]]` and `t` in
    `[threshold_factor[0], 255 * threshold_factor[1]]` per image, as Keras draws them.

    Args:
        addition_factor, threshold_factor: `f` (meaning `(0, f)`) or `(lower, upper)` in [0, 1].
        value_range: the images' range (converted to 0-255 and back).
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.Solarization()  # a = t = 0: every value inverted
        >>> layer(np.array([[[[100.0, 200.0]]]], "float32"))[0, 0, 0].tolist()
        [155.0, 55.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.addition_factor = _factor(addition_factor, "addition_factor")
        self.threshold_factor = _factor(threshold_factor, "threshold_factor")
        self.value_range = check_value_range("Solarization", value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        size = (shape[0], 1, 1, 1) if len(shape) == 4 else (1, 1, 1)
        additions = self._generator.uniform(self.addition_factor[0], self.addition_factor[1] * 255, size=size)
        thresholds = self._generator.uniform(self.threshold_factor[0], self.threshold_factor[1] * 255, size=size)
        return {"additions": additions.astype(self.dtype), "thresholds": thresholds.astype(self.dtype)}

    def _augment(self, images, transformation):
        f = images.dtype.type
        shape = (-1,) + (1,) * (images.ndim - 1)
        additions = np.asarray(transformation["additions"], images.dtype).reshape(shape)
        thresholds = np.asarray(transformation["thresholds"], images.dtype).reshape(shape)
        scaled, into = rescale(images, self.value_range, (0, 255), images.dtype)
        unclipped = scaled + additions
        clipped = np.clip(unclipped, f(0), f(255))
        kept = clipped < thresholds
        solarized = np.where(kept, clipped, f(255) - clipped)
        out, back = rescale(solarized, (0, 255), self.value_range, images.dtype)

        def backward(g):
            passes = (unclipped >= 0) & (unclipped <= 255)
            sign = np.where(kept, 1.0, -1.0)
            return (g * (back * into) * sign * passes).astype(g.dtype, copy=False)

        return out.astype(images.dtype, copy=False), backward

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "addition_factor": self.addition_factor,
                       "threshold_factor": self.threshold_factor, "seed": self.seed})
        return config
