"""`RandomContrast`: scales each image's deviation from its mean by a random factor while training."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)


def check_value_range(layer_name, value_range):
    if (not isinstance(value_range, (tuple, list)) or len(value_range) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value_range)):
        raise ValueError(f"{layer_name}: `value_range` must be a pair of numbers (low, high), got {value_range!r}.")
    return value_range


def clip_gradient_mask(unclipped, low, high):
    """1 where `clip` passes its input through, 0 where it clips."""
    return ((unclipped >= low) & (unclipped <= high)).astype(unclipped.dtype)


class RandomContrast(BaseImagePreprocessingLayer):
    """`(x - mean) * c + mean`, per image and channel (mean over the pixels), clipped to `value_range`.

    Args:
        factor: `f` or `(lower, upper)` in [0, 1]; the contrast `c` is drawn in `[1 - lower, 1 + upper]`
            (as Keras reads it: a single `f` gives `(0, f)`).
        value_range: the range of the images' values, `(0, 255)` by default.
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomContrast(0.5)
        >>> x = np.array([0.0, 2.0], "float32").reshape(1, 1, 2, 1)
        >>> layer.transform_images(x, {"contrast_factor": np.full((1, 1, 1, 1), 2.0)})[0, 0, :, 0].tolist()
        [0.0, 3.0]
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range("RandomContrast", value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        factor_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        if not training:
            return {"contrast_factor": np.ones(factor_shape, np.float32)}
        factor = self._generator.uniform(1.0 - self.factor[0], 1.0 + self.factor[1], size=factor_shape)
        return {"contrast_factor": factor.astype(self.dtype)}

    def _augment(self, images, transformation):
        factor = np.asarray(transformation["contrast_factor"], dtype=images.dtype).reshape((-1, 1, 1, 1))
        h_axis, w_axis = self._spatial_axes(images.ndim)
        mean = np.mean(np.mean(images, axis=h_axis, keepdims=True), axis=w_axis, keepdims=True)
        unclipped = (images - mean) * factor + mean
        low, high = self.value_range
        out = np.clip(unclipped, low, high).astype(images.dtype, copy=False)
        pixels = images.shape[h_axis] * images.shape[w_axis]

        def backward(g):
            passed = g * clip_gradient_mask(unclipped, low, high)
            through_mean = np.sum(passed, axis=(h_axis, w_axis), keepdims=True) / pixels
            return (passed * factor + through_mean * (1 - factor)).astype(g.dtype, copy=False)

        return out, backward

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config
