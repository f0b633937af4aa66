"""`RandomInvert`: while training, replaces a random share of the images by `value_range[1] - image`."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)


class RandomInvert(BaseImagePreprocessingLayer):
    """Inverts each image with a probability drawn in `factor` (Keras's rule: an image is inverted
    when a uniform draw in [0, 1) falls below a probability drawn in `[lower, upper]`).

    Args:
        factor: `f` (meaning `(0, f)`) or `(lower, upper)` in [0, 1]; 1.0 by default.
        value_range: the images' range; an inverted image is `value_range[1] - image`.
        seed: an int for reproducible draws.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomInvert(factor=(1.0, 1.0))
        >>> layer(np.array([[[[0.0, 55.0, 255.0]]]], "float32"))[0, 0, 0].tolist()
        [255.0, 200.0, 0.0]
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range("RandomInvert", value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        batch = shape[0] if len(shape) == 4 else 1
        probability = self._generator.uniform(self.factor[0], self.factor[1], size=batch)
        return {"apply_inversion": self._generator.uniform(0, 1, size=batch) < probability}

    def _augment(self, images, transformation):
        apply = np.asarray(transformation["apply_inversion"]).reshape((-1,) + (1,) * (images.ndim - 1))
        out = np.where(apply, images.dtype.type(self.value_range[1]) - images, images).astype(images.dtype, copy=False)
        return out, lambda g: np.where(apply, -g, g).astype(g.dtype, copy=False)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
