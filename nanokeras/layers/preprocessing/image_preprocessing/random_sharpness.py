"""`RandomSharpness`: while training, blends each image with a smoothed copy (blurring or sharpening)."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.random_contrast import clip_gradient_mask

# Keras's smoothing kernel: 5/13 at the center, 1/13 around it.
_SMOOTH = np.array([[1.0, 1.0, 1.0], [1.0, 5.0, 1.0], [1.0, 1.0, 1.0]]) / 13.0


def correlate(images, kernel, spatial_axes):
    """Each channel of `images` cross-correlated with the 2-D `kernel` (odd sizes), zeros outside
    the image ("same" padding). For a symmetric kernel this map is its own adjoint, so the same call
    also gives the gradient."""
    kh, kw = kernel.shape
    h_axis, w_axis = spatial_axes
    pad = [(0, 0)] * images.ndim
    pad[h_axis], pad[w_axis] = (kh // 2, kh // 2), (kw // 2, kw // 2)
    padded = np.pad(images, pad)
    height, width = images.shape[h_axis], images.shape[w_axis]
    out = np.zeros_like(images)
    index = [slice(None)] * images.ndim
    for i in range(kh):
        for j in range(kw):
            index[h_axis], index[w_axis] = slice(i, i + height), slice(j, j + width)
            out += padded[tuple(index)] * kernel[i, j]
    return out


class RandomSharpness(BaseImagePreprocessingLayer):
    """`clip(x + (1 - 2f) * (smooth(x) - x), value_range)` per image, with `f` drawn in `factor` and
    `smooth` Keras's 3x3 kernel (5/13 at the center, 1/13 around, zeros past the border): `f = 0`
    gives the smoothed image, 0.5 the image itself, 1 a sharpened one.

    Args:
        factor: `f` (meaning `(0, f)`) or `(lower, upper)` in [0, 1].
        value_range: the images' range, for the clip.
        data_format: "channels_last" or "channels_first".
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomSharpness(factor=(0.0, 0.0))  # fully smoothed
        >>> round(float(layer(np.full((1, 3, 3, 1), 130.0, "float32"))[0, 1, 1, 0]), 2)  # center: unchanged
        130.0
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range("RandomSharpness", value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        batch = shape[0] if len(shape) == 4 else 1
        return {"factor": self._generator.uniform(self.factor[0], self.factor[1], size=batch).astype(np.float32)}

    def _augment(self, images, transformation):
        factor = np.asarray(transformation["factor"], images.dtype) * images.dtype.type(2)
        factor = factor.reshape((-1,) + (1,) * (images.ndim - 1))
        axes = self._spatial_axes(images.ndim)
        kernel = _SMOOTH.astype(images.dtype)
        unclipped = images + (1 - factor) * (correlate(images, kernel, axes) - images)
        low, high = self.value_range
        out = np.clip(unclipped, low, high).astype(images.dtype, copy=False)

        def backward(g):
            g = g * clip_gradient_mask(unclipped, low, high)
            return (factor * g + (1 - factor) * correlate(g, kernel.astype(g.dtype), axes)).astype(g.dtype, copy=False)

        return out, backward

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
