"""`RandomSaturation`: while training, scales each RGB image's saturation by a random factor."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._hsv import (
    channels_back, channels_last, hsv_to_rgb, rgb_to_hsv,
)
from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.random_contrast import clip_gradient_mask

_EPSILON = np.float32(1e-7)  # keras.config.epsilon(), which Keras adds to keep the factor finite at u = 1


class RandomSaturation(BaseImagePreprocessingLayer):
    """Converts each image to HSV, multiplies the saturation by `u / (1 - u + 1e-7)` (`u` drawn per
    image in `factor`: 0.5 keeps the image, 0 makes it gray, near 1 saturates it fully) and converts
    back. As in Keras, the scaled saturation is clipped to `value_range`, the images are not rescaled,
    and a single number `f` means `(-f, f)` (a negative `u` also gives gray).

    Args:
        factor: `f` or `(lower, upper)` in [-1, 1].
        value_range: the images' range (the saturation's clip).
        data_format: "channels_last" or "channels_first".
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomSaturation(factor=(0.0, 0.0))  # gray: every channel at the max
        >>> layer(np.array([[[[200.0, 100.0, 50.0]]]], "float32"))[0, 0, 0].tolist()
        [200.0, 200.0, 200.0]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range("RandomSaturation", value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        batch = shape[0] if len(shape) == 4 else 1
        u = self._generator.uniform(self.factor[0], self.factor[1], size=batch).astype(np.float32)
        return {"factor": u / (1 - u + _EPSILON)}

    def _augment(self, images, transformation):
        factor = np.asarray(transformation["factor"], images.dtype).reshape((-1,) + (1,) * (images.ndim - 2))
        hsv, hsv_backward = rgb_to_hsv(channels_last(self, images))
        scaled = hsv[..., 1] * factor
        low, high = self.value_range
        saturation = np.clip(scaled, low, high).astype(images.dtype, copy=False)
        out, rgb_backward = hsv_to_rgb(np.stack([hsv[..., 0], saturation, hsv[..., 2]], axis=-1))

        def backward(g):
            dtype = g.dtype
            g_hsv = rgb_backward(channels_last(self, g))
            g_hsv[..., 1] *= factor * clip_gradient_mask(scaled, low, high)
            return channels_back(self, hsv_backward(g_hsv)).astype(dtype, copy=False)

        return channels_back(self, out).astype(images.dtype, copy=False), backward

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
