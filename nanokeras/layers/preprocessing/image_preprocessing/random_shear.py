"""`RandomShear`: shears images along x and y by random amounts while training."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._affine import check_choice, warp
from nanokeras.layers.preprocessing.image_preprocessing._mixing import LabelledCall, batch_of, unit_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.random_rotation import FILL_MODES, INTERPOLATIONS


def shear_matrix(shear_factor):
    """Rows `[1, s_x, 0, s_y, 1, 0, 0, 0]`: output (x, y) reads input `(x + s_x y, y + s_y x)` (about the
    top-left corner, as Keras shears)."""
    s = np.asarray(shear_factor, np.float32).reshape(-1, 2)
    ones, zeros = np.ones(len(s), np.float32), np.zeros(len(s), np.float32)
    return np.stack([ones, s[:, 0], zeros, s[:, 1], ones, zeros, zeros, zeros], axis=1)


class RandomShear(LabelledCall, BaseImagePreprocessingLayer):
    """Shears each image: output pixel `(x, y)` reads input `(x + s_x y, y + s_y x)`, with `s_x` drawn in
    `x_factor` and `s_y` in `y_factor`, both negated for a random half of the images.

    Args:
        x_factor, y_factor: `f` in [0, 1] (meaning `(-f, f)`) or `(lower, upper)` in [-1, 1]: the shear as
            a fraction of the other side; 0 by default (no shear).
        interpolation: "bilinear" or "nearest".
        fill_mode: how pixels from outside the image are filled: "reflect", "wrap", "constant", "nearest".
        fill_value: the value of "constant" filling.
        data_format: "channels_last" or "channels_first".
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.RandomShear(x_factor=0.3, seed=1)(np.ones((2, 5, 5, 3), dtype="float32")).shape
        (2, 5, 5, 3)
    """
    # As in Keras: a model holding it resolves `jit_compile="auto"` to False.
    supports_jit = False

    _USE_BASE_FACTOR = False

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                 data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.x_factor = unit_range("RandomShear", "x_factor", x_factor, symmetric=True)
        self.y_factor = unit_range("RandomShear", "y_factor", y_factor, symmetric=True)
        self.fill_mode = check_choice("RandomShear", "fill_mode", fill_mode, FILL_MODES)
        self.interpolation = check_choice("RandomShear", "interpolation", interpolation, INTERPOLATIONS)
        self.fill_value = fill_value
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = shape_of(data)
        batch = batch_of(shape)
        generator = self._generator
        sign = np.where(generator.uniform(0, 1, size=(batch, 1)) > 0.5, -1.0, 1.0)  # one sign for both axes
        shear_y = generator.uniform(self.y_factor[0], self.y_factor[1], size=(batch, 1))
        shear_x = generator.uniform(self.x_factor[0], self.x_factor[1], size=(batch, 1))
        return {"shear_factor": (np.concatenate([shear_x, shear_y], axis=1) * sign).astype(np.float32),
                "input_shape": shape}

    def _augment(self, images, transformation):
        matrix = shear_matrix(transformation["shear_factor"])
        return warp(images, matrix, self.interpolation, self.fill_mode, self.fill_value, self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({"x_factor": self.x_factor, "y_factor": self.y_factor, "fill_mode": self.fill_mode,
                       "interpolation": self.interpolation, "seed": self.seed, "fill_value": self.fill_value})
        return config
