"""`RandomGaussianBlur`: while training, blurs a random share of the images with a Gaussian kernel."""

import numbers

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.random_contrast import clip_gradient_mask
from nanokeras.layers.preprocessing.image_preprocessing.random_sharpness import correlate


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _kernel_size(value):
    """`(width size, height size)`, both odd."""
    sizes = list(value) if isinstance(value, (tuple, list)) else [value]
    if (isinstance(value, (tuple, list)) and len(value) != 2) or not all(
            _is_number(v) and v == int(v) and int(v) % 2 == 1 and v > 0 for v in sizes):
        raise ValueError("RandomGaussianBlur: `kernel_size` should be an odd positive integer or a pair of them "
                         f"(width, height). Received: kernel_size={value!r}")
    return (sizes[0], sizes[-1])


def _sigma(value):
    """`(lower, upper)` as Keras reads it: a number `s` in [0, 1] means `(0, s)`; a pair may reach past 1
    as long as its lower end is at most 1."""
    error = ValueError("RandomGaussianBlur: `sigma` should be a number in [0, 1] or a pair of numbers "
                       f"(lower, upper) with lower <= 1 and upper >= 0. Received: sigma={value!r}")
    if isinstance(value, (tuple, list)):
        if len(value) != 2 or not all(_is_number(v) for v in value) or value[0] > 1 or value[1] < 0:
            raise error
        return tuple(sorted(value))
    if not _is_number(value) or not 0 <= value <= 1:
        raise error
    return (0, value)


def gaussian_kernel(size, sigma, dtype):
    """The normalized 1-D Gaussian weights of `keras.ops.image.gaussian_blur`."""
    x = np.arange(size, dtype=dtype) - np.asarray((size - 1) / 2, dtype)
    weights = np.exp(np.asarray(-0.5, dtype) * (x / np.asarray(sigma, dtype)) ** 2)
    return weights / np.sum(weights)


class RandomGaussianBlur(BaseImagePreprocessingLayer):
    """Each image is blurred with probability `p`, drawn per image in `factor`, by a Gaussian kernel of
    `kernel_size` whose two standard deviations (width, height, shared by the batch, plus 1e-6) are drawn
    in `sigma`; zeros lie past the border. Then, as in Keras, every image is clipped to `value_range`.

    Args:
        factor: `p` (meaning `(0, p)`) or `(lower, upper)` in [0, 1] (1.0 by default).
        kernel_size: an odd size, or `(width, height)` sizes (3 by default).
        sigma: `s` in [0, 1] (meaning `(0, s)`) or `(lower, upper)` (1.0 by default).
        value_range: the images' range, for the clip.
        data_format: "channels_last" or "channels_first".
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomGaussianBlur(factor=(1.0, 1.0), kernel_size=3, sigma=(1.0, 1.0))
        >>> x = np.zeros((1, 3, 3, 1), "float32"); x[0, 1, 1, 0] = 100.0
        >>> [round(float(v), 1) for v in layer(x)[0, 1, :, 0]]  # one bright pixel spread over its neighbours
        [12.4, 20.4, 12.4]
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format=None, seed=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.kernel_size = _kernel_size(kernel_size)
        self.sigma = _sigma(sigma)
        check_value_range("RandomGaussianBlur", value_range)
        self.value_range = value_range  # kept as given (Keras's config does not sort it)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        batch = shape[0] if len(shape) == 4 else 1
        probability = self._generator.uniform(self.factor[0], self.factor[1], size=batch)
        threshold = self._generator.uniform(0, 1, size=batch)
        sigma = self._generator.uniform(self.sigma[0], self.sigma[1], size=2).astype(self.dtype)
        return {"should_apply_blur": threshold < probability, "blur_factor": sigma + np.asarray(1e-6, self.dtype)}

    def _augment(self, images, transformation):
        sigma = np.asarray(transformation["blur_factor"], images.dtype)
        across = gaussian_kernel(int(self.kernel_size[0]), sigma[0], images.dtype)
        down = gaussian_kernel(int(self.kernel_size[1]), sigma[1], images.dtype)
        kernel = np.outer(down, across)  # symmetric both ways: the blur is its own adjoint
        axes = self._spatial_axes(images.ndim)
        apply = np.asarray(transformation["should_apply_blur"]).reshape((-1,) + (1,) * (images.ndim - 1))
        unclipped = np.where(apply, correlate(images, kernel, axes), images)
        low, high = self.value_range
        out = np.clip(unclipped, low, high).astype(images.dtype, copy=False)

        def backward(g):
            g = g * clip_gradient_mask(unclipped, low, high)
            return np.where(apply, correlate(g, kernel.astype(g.dtype), axes), g).astype(g.dtype, copy=False)

        return out, backward

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "kernel_size": self.kernel_size, "sigma": self.sigma,
                       "value_range": self.value_range, "seed": self.seed})
        return config
