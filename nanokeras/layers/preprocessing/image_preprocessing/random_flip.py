"""`RandomFlip`: flips images left-right and/or upside down, at random, while training."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._affine import check_choice
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)

HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL = "horizontal", "vertical", "horizontal_and_vertical"


class RandomFlip(BaseImagePreprocessingLayer):
    """Flips each image with probability 1/2 while training.

    Args:
        mode: "horizontal" (left-right), "vertical" (upside down) or "horizontal_and_vertical"
            (as Keras: one draw per image decides both flips).
        seed: an int for reproducible flips.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> x = np.arange(3, dtype="float32").reshape(1, 1, 3, 1)
        >>> flip = keras.layers.RandomFlip("horizontal", seed=3)
        >>> flip.transform_images(x, {"flips": np.array([[[[True]]]])})[0, 0, :, 0].tolist()
        [2.0, 1.0, 0.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.mode = check_choice("RandomFlip", "mode", mode, (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL))
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = shape_of(data)
        flips_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        flips = self._generator.random(flips_shape, dtype=np.float32) <= 0.5
        return {"flips": flips, "input_shape": shape}

    def _augment(self, images, transformation):
        flips = np.asarray(transformation["flips"]).reshape((-1,) + (1,) * (images.ndim - 1))
        h_axis, w_axis = self._spatial_axes(images.ndim)
        axes = []
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            axes.append(w_axis)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            axes.append(h_axis)

        def flip(x):
            for axis in axes:
                x = np.where(flips, np.flip(x, axis=axis), x)
            return x

        return flip(images), flip  # flipping is its own transpose

    def get_config(self):
        config = super().get_config()
        config.update({"seed": self.seed, "mode": self.mode})
        return config
