"""`RandomBrightness`: adds a random offset to each image while training."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.random_contrast import check_value_range, clip_gradient_mask


class RandomBrightness(BaseImagePreprocessingLayer):
    """Adds `u * (high - low)` to every pixel of an image, `u` drawn in the factor's range, then clips.

    Args:
        factor: `f` (meaning `[-f, f]`) or `(lower, upper)`, in [-1, 1].
        value_range: the range of the images' values, `(0, 255)` by default.
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomBrightness(0.1, value_range=(0, 1))
        >>> x = np.full((1, 1, 2, 1), 0.5, "float32")
        >>> layer.transform_images(x, {"rgb_delta": np.full((1, 1, 1, 1), 0.25)})[0, 0, :, 0].tolist()
        [0.75, 0.75]
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        self.value_range = sorted(check_value_range("RandomBrightness", value_range))
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        delta_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        if not training:
            return {"rgb_delta": np.zeros(delta_shape, np.float32)}
        delta = self._generator.uniform(self.factor[0], self.factor[1], size=delta_shape).astype(np.float32)
        return {"rgb_delta": delta * np.float32(self.value_range[1] - self.value_range[0])}

    def _augment(self, images, transformation):
        delta = np.asarray(transformation["rgb_delta"], dtype=images.dtype).reshape((-1, 1, 1, 1))
        unclipped = images + delta
        low, high = self.value_range
        out = np.clip(unclipped, low, high).astype(images.dtype, copy=False)
        return out, lambda g: (g * clip_gradient_mask(unclipped, low, high)).astype(g.dtype, copy=False)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
