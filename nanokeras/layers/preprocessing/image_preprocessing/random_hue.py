"""`RandomHue`: while training, turns each RGB image's hue by a random amount."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._hsv import (
    channels_back, channels_last, hsv_to_rgb, rgb_to_hsv,
)
from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range, rescale
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.random_contrast import clip_gradient_mask


class RandomHue(BaseImagePreprocessingLayer):
    """Converts each image (scaled to [0, 1]) to HSV, adds `d` to the hue (wrapping around 1),
    converts back and clips to [0, 1]. As Keras draws it, `d = ±f / 2` per image, with `f` drawn
    in `factor` and either sign equally likely (so `factor=(1, 1)` always turns the hue by half a turn).

    Args:
        factor: `f` (meaning `(0, f)`) or `(lower, upper)` in [0, 1].
        value_range: the images' range (converted to [0, 1] and back).
        data_format: "channels_last" or "channels_first".
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomHue(factor=(1.0, 1.0))  # half a turn: red becomes cyan
        >>> layer(np.array([[[[255.0, 0.0, 0.0]]]], "float32"))[0, 0, 0].tolist()
        [0.0, 255.0, 255.0]
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        check_value_range("RandomHue", value_range)
        self.value_range = value_range  # kept as given (Keras's config does not sort it)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        batch = shape[0] if len(shape) == 4 else 1
        sign = np.where(self._generator.uniform(0, 1, size=batch) > 0.5, -1.0, 1.0)
        factor = self._generator.uniform(self.factor[0], self.factor[1], size=batch)
        return {"factor": (sign * factor * 0.5).astype(self.dtype)}

    def _augment(self, images, transformation):
        f = images.dtype.type
        delta = np.asarray(transformation["factor"], images.dtype).reshape((-1,) + (1,) * (images.ndim - 2))
        unit, into = rescale(channels_last(self, images), self.value_range, (0, 1), images.dtype)
        hsv, hsv_backward = rgb_to_hsv(unit)
        hue = hsv[..., 0] + delta
        hue = np.where(hue > 1, hue - f(1), hue)
        hue = np.where(hue < 0, hue + f(1), hue)
        unclipped, rgb_backward = hsv_to_rgb(np.stack([hue, hsv[..., 1], hsv[..., 2]], axis=-1))
        out, back = rescale(np.clip(unclipped, f(0), f(1)), (0, 1), self.value_range, images.dtype)

        def backward(g):
            dtype = g.dtype
            g = channels_last(self, g) * (back * clip_gradient_mask(unclipped, 0, 1))
            # The hue's turn (and its wrap) adds a constant: its gradient passes unchanged.
            g = hsv_backward(rgb_backward(g)) * into
            return channels_back(self, g).astype(dtype, copy=False)

        return channels_back(self, out).astype(images.dtype, copy=False), backward

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
