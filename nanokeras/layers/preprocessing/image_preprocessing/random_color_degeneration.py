"""`RandomColorDegeneration`: while training, blends each image towards its grayscale version."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.random_contrast import clip_gradient_mask
from nanokeras.layers.preprocessing.image_preprocessing.random_grayscale import luma


class RandomColorDegeneration(BaseImagePreprocessingLayer):
    """`clip(x + f * (gray(x) - x), value_range)` per image, with `f` drawn in `factor`
    (Keras's rule: a number `f` means `(-f, f)`; `f > 0` desaturates, `f < 0` saturates).

    Args:
        factor: `f` or `(lower, upper)` in [-1, 1].
        value_range: the images' range, for the clip.
        data_format: "channels_last" or "channels_first".
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomColorDegeneration(factor=(1.0, 1.0))  # fully gray
        >>> [round(float(v), 1) for v in layer(np.array([[[[200.0, 100.0, 0.0]]]], "float32"))[0, 0, 0]]
        [118.5, 118.5, 118.5]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range("RandomColorDegeneration", value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        batch = shape[0] if len(shape) == 4 else 1
        factor = self._generator.uniform(self.factor[0], self.factor[1], size=(batch, 1, 1, 1))
        return {"factor": factor.astype(self.dtype)}

    def _augment(self, images, transformation):
        gray, weights, channel_axis = luma(self, images)
        factor = np.asarray(transformation["factor"], images.dtype).reshape((-1,) + (1,) * (images.ndim - 1))
        unclipped = images + factor * (gray - images)
        low, high = self.value_range
        out = np.clip(unclipped, low, high).astype(images.dtype, copy=False)

        def backward(g):
            g = g * clip_gradient_mask(unclipped, low, high)
            through_gray = np.sum(factor * g, axis=channel_axis, keepdims=True) * weights
            return ((1 - factor) * g + through_gray).astype(g.dtype, copy=False)

        return out, backward

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
