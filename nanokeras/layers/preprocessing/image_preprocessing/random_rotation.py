"""`RandomRotation`: rotates images by a random angle while training."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._affine import affine_matrix, check_choice, warp
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


class RandomRotation(BaseImagePreprocessingLayer):
    """Rotates each image about its centre by a random fraction of a full turn while training.

    Args:
        factor: `f` (a turn fraction in [-f, f]) or `(lower, upper)`; 0.1 is up to 36 degrees.
        fill_mode: how pixels from outside the image are filled: "reflect", "wrap", "constant", "nearest".
        interpolation: "bilinear" or "nearest".
        seed: an int for reproducible rotations.
        fill_value: the value of "constant" filling.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.RandomRotation(0.2, seed=1)(np.ones((2, 5, 5, 3), dtype="float32")).shape
        (2, 5, 5, 3)
    """
    # As in Keras: a model holding it resolves `jit_compile="auto"` to False.
    supports_jit = False

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.fill_mode = check_choice("RandomRotation", "fill_mode", fill_mode, FILL_MODES)
        self.interpolation = check_choice("RandomRotation", "interpolation", interpolation, INTERPOLATIONS)
        self.fill_value = fill_value
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = shape_of(data)
        h_axis, w_axis = self._spatial_axes(len(shape))
        batch = shape[0] if len(shape) == 4 else 1
        height, width = shape[h_axis], shape[w_axis]
        angle = self._generator.uniform(self.factor[0] * 360.0, self.factor[1] * 360.0, size=(batch,))
        angle = angle.astype(np.float32)
        zeros = np.zeros((batch,), np.float32)
        matrix = affine_matrix(angle, np.ones((batch,), np.float32), (zeros, zeros), height, width)
        return {"angle": angle, "rotation_matrix": matrix if len(shape) == 4 else matrix[0],
                "image_height": height, "image_width": width, "batch_size": batch}

    def _augment(self, images, transformation):
        matrix = np.asarray(transformation["rotation_matrix"]).reshape(-1, 8)
        return warp(images, matrix, self.interpolation, self.fill_mode, self.fill_value, self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "fill_mode": self.fill_mode, "fill_value": self.fill_value,
                       "interpolation": self.interpolation, "seed": self.seed})
        return config
