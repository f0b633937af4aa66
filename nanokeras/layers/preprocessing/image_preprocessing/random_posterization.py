"""`RandomPosterization`: while training, keeps only the top `bits` bits of each 0-255 value."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range, rescale
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)


class RandomPosterization(BaseImagePreprocessingLayer):
    """Values, in the 0-255 scale and cut to integers, lose their low `8 - bits` bits, with `bits`
    drawn per image from `factor` as Keras draws it (an integer in `[lower, upper)`, or `lower` when
    both are equal). Its output is piecewise constant: no gradient flows back through it.

    Args:
        factor: `bits` or `(lower, upper)` in [1, 8].
        value_range: the images' range (converted to 0-255 and back).
        data_format: "channels_last" or "channels_first".
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomPosterization(factor=(2, 2))  # 2 bits: 0, 64, 128, 192
        >>> layer(np.array([[[[30.0, 100.0, 250.0]]]], "float32"))[0, 0, 0].tolist()
        [0.0, 64.0, 192.0]
    """

    _USE_BASE_FACTOR = False  # (the base would first check a default factor of 0 against these bounds)
    _FACTOR_BOUNDS = (1, 8)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range("RandomPosterization", value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        batch = shape[0] if len(shape) == 4 else 1
        lower, upper = int(self.factor[0]), int(self.factor[1])
        if lower != upper:
            bits = self._generator.integers(lower, upper, size=batch)
        else:
            bits = np.full(batch, lower)
        return {"shift_factor": (8 - bits).astype(np.uint8)}

    def _augment(self, images, transformation):
        shift = np.asarray(transformation["shift_factor"], np.uint8).reshape((-1,) + (1,) * (images.ndim - 1))
        scaled, _ = rescale(images, self.value_range, (0, 255), images.dtype)
        levels = np.left_shift(np.right_shift(scaled.astype(np.uint8), shift), shift)
        out, _ = rescale(levels.astype(images.dtype), (0, 255), self.value_range, images.dtype)
        return out.astype(images.dtype, copy=False), lambda g: np.zeros_like(g)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
