"""`RandomZoom`: zooms images in or out by a random factor while training."""

import numbers

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._affine import check_choice, warp
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.random_rotation import FILL_MODES, INTERPOLATIONS


def factor_range(layer_name, argument, factor, low_inclusive):
    """`(lower, upper)` from `f` (meaning `(-f, f)`) or a pair, each in (-1, 1] (zoom) or [-1, 1] (translation)."""
    bounds = "[-1.0, 1.0]" if low_inclusive else "(-1.0, 1.0]"
    error = ValueError(
        f"{layer_name}: `{argument}` must be a number or a pair of numbers in {bounds}, got {argument}={factor!r}."
    )

    def check(value):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise error
        if value > 1.0 or value < -1.0 or (value == -1.0 and not low_inclusive):
            raise error

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise error
        check(factor[0])
        check(factor[1])
        return tuple(sorted(factor))
    check(factor)
    return (-abs(factor), abs(factor))


class RandomZoom(BaseImagePreprocessingLayer):
    """Zooms each image by a random factor while training (about its centre).

    Args:
        height_factor: `f` or `(lower, upper)`; a zoom of `1 + u`, `u` drawn in the range:
            positive values zoom out (the image shrinks), negative values zoom in.
        width_factor: the same for the width; None keeps the aspect ratio (the height's zoom).
        fill_mode, interpolation, seed, fill_value, data_format: as in `RandomRotation`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.RandomZoom(0.2, seed=1)(np.ones((2, 5, 5, 1), dtype="float32")).shape
        (2, 5, 5, 1)
    """
    # As in Keras: a model holding it resolves `jit_compile="auto"` to False.
    supports_jit = False

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = factor_range("RandomZoom", "height_factor", height_factor, False)
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = factor_range("RandomZoom", "width_factor", width_factor, False)
        self.fill_mode = check_choice("RandomZoom", "fill_mode", fill_mode, FILL_MODES)
        self.interpolation = check_choice("RandomZoom", "interpolation", interpolation, INTERPOLATIONS)
        self.fill_value = fill_value
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = shape_of(data)
        zoom_shape = (shape[0], 1) if len(shape) == 4 else (1, 1)
        generator = self._generator
        height_zoom = generator.uniform(1.0 + self.height_lower, 1.0 + self.height_upper, size=zoom_shape)
        if self.width_factor is not None:
            width_zoom = generator.uniform(1.0 + self.width_lower, 1.0 + self.width_upper, size=zoom_shape)
        else:
            width_zoom = height_zoom
        return {"height_zoom": height_zoom.astype(np.float32), "width_zoom": width_zoom.astype(np.float32),
                "input_shape": shape}

    def _augment(self, images, transformation):
        h_axis, w_axis = self._spatial_axes(images.ndim)
        height, width = images.shape[h_axis], images.shape[w_axis]
        zooms = np.concatenate([np.asarray(transformation["width_zoom"]), np.asarray(transformation["height_zoom"])],
                               axis=1).astype(np.float32)
        x_offset = (np.float32(width) - 1.0) / 2.0 * (1.0 - zooms[:, 0:1])
        y_offset = (np.float32(height) - 1.0) / 2.0 * (1.0 - zooms[:, 1:])
        n = zooms.shape[0]
        zeros = np.zeros((n, 1), np.float32)
        matrix = np.concatenate([zooms[:, 0:1], zeros, x_offset, zeros, zooms[:, 1:], y_offset, zeros, zeros],
                                axis=1).astype(np.float32)
        return warp(images, matrix, self.interpolation, self.fill_mode, self.fill_value, self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor,
                       "fill_mode": self.fill_mode, "interpolation": self.interpolation, "seed": self.seed,
                       "fill_value": self.fill_value})
        return config
