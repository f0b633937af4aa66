"""`RandomTranslation`: shifts images by a random offset while training."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._affine import check_choice, warp
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.random_rotation import FILL_MODES, INTERPOLATIONS
from nanokeras.layers.preprocessing.image_preprocessing.random_zoom import factor_range


class RandomTranslation(BaseImagePreprocessingLayer):
    """Shifts each image by a random fraction of its height and width while training.

    Args:
        height_factor, width_factor: `f` (a shift in [-f, f] of the size) or `(lower, upper)`, in [-1, 1].
        fill_mode, interpolation, seed, fill_value, data_format: as in `RandomRotation`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.RandomTranslation(0.1, 0.2, seed=1)(np.ones((2, 5, 5, 1), dtype="float32")).shape
        (2, 5, 5, 1)
    """
    # As in Keras: a model holding it resolves `jit_compile="auto"` to False.
    supports_jit = False

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = factor_range("RandomTranslation", "height_factor", height_factor, True)
        self.width_factor = width_factor
        self.width_lower, self.width_upper = factor_range("RandomTranslation", "width_factor", width_factor, True)
        self.fill_mode = check_choice("RandomTranslation", "fill_mode", fill_mode, FILL_MODES)
        self.interpolation = check_choice("RandomTranslation", "interpolation", interpolation, INTERPOLATIONS)
        self.fill_value = fill_value
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = shape_of(data)
        h_axis, w_axis = self._spatial_axes(len(shape))
        batch = shape[0] if len(shape) == 4 else 1
        generator = self._generator
        height_translate = generator.uniform(self.height_lower, self.height_upper, size=(batch, 1)) * shape[h_axis]
        width_translate = generator.uniform(self.width_lower, self.width_upper, size=(batch, 1)) * shape[w_axis]
        translations = np.concatenate([width_translate, height_translate], axis=1).astype(np.float32)
        return {"translations": translations, "input_shape": shape}

    def _augment(self, images, transformation):
        translations = np.asarray(transformation["translations"], dtype=np.float32)
        n = translations.shape[0]
        ones, zeros = np.ones((n, 1), np.float32), np.zeros((n, 1), np.float32)
        matrix = np.concatenate([ones, zeros, -translations[:, 0:1], zeros, ones, -translations[:, 1:],
                                 zeros, zeros], axis=1)
        return warp(images, matrix, self.interpolation, self.fill_mode, self.fill_value, self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor,
                       "fill_mode": self.fill_mode, "interpolation": self.interpolation, "seed": self.seed,
                       "fill_value": self.fill_value})
        return config
