"""`BaseImagePreprocessingLayer`: what the image augmentation layers share.

An augmentation layer draws a random transformation per batch
(`get_random_transformation`) and applies it (`transform_images`), only when
training: `fit` and direct calls (`layer(images)`) augment, `predict` and
`evaluate` pass images through. The draw happens inside one recorded op, so
a compiled training step draws fresh transformations at every step.
"""

import numbers

import numpy as np

from nanokeras.layers._argument_checks import check_seed
from nanokeras.layers.layer import Layer
from nanokeras.layers.regularization._noise import NoiseSource
from nanokeras.ops.convolution_geometry import data_format_of
from nanokeras.ops.random_transform import random_transform


class BaseImagePreprocessingLayer(Layer):
    """Base of the random image layers; images are (batch, h, w, c), (h, w, c) or channels first.

    Args:
        factor: the strength of the transformation: a number `f` (meaning `(-f, f)`) or
            `(lower, upper)`, within the layer's bounds.
        data_format: "channels_last" or "channels_first" (default `keras.config.image_data_format()`).
    """

    _USE_BASE_FACTOR = True
    _FACTOR_BOUNDS = (-1, 1)
    _replayable = True

    def __init__(self, factor=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format_of(data_format, type(self).__name__)
        if self._USE_BASE_FACTOR:
            self._set_factor(factor or 0.0)
        elif factor is not None:
            raise ValueError(f"{type(self).__name__} does not take a `factor` argument, got factor={factor!r}.")
        self.built = True

    def _set_factor(self, factor):
        low, high = self._FACTOR_BOUNDS
        error = ValueError(
            f"{type(self).__name__}: `factor` must be a number or a pair of numbers in [{low}, {high}], "
            f"got factor={factor!r}."
        )
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or not all(_is_number(f) for f in factor):
                raise error
            if factor[0] > high or factor[1] < low:
                raise error
            lower, upper = sorted(factor)
        elif _is_number(factor):
            if factor < low or factor > high:
                raise error
            factor = abs(factor)
            lower, upper = max(-factor, low), factor
        else:
            raise error
        self.factor = (lower, upper)

    def _set_seed(self, seed):
        self.seed = check_seed(type(self).__name__, seed)
        self._noise = NoiseSource(self.seed)

    @property
    def _generator(self):
        return self._noise.generator

    def _spatial_axes(self, ndim):
        """(height axis, width axis) of a batch (ndim 4) or a single image (ndim 3)."""
        if ndim not in (3, 4):
            raise ValueError(
                f"{type(self).__name__} {self.name!r} expects images of rank 3 (height, width, channels) or 4 "
                f"(batch, height, width, channels), got rank {ndim}."
            )
        return (ndim - 3, ndim - 2) if self.data_format == "channels_last" else (ndim - 2, ndim - 1)

    # What subclasses define.
    def get_random_transformation(self, data, training=True, seed=None):
        """The random parameters for a batch like `data` (an array, or its shape)."""
        return None

    def _augment(self, images, transformation):
        """`(augmented batch, backward)` for a batch and a transformation (numpy; `backward(g) -> dx`)."""
        raise NotImplementedError

    def transform_images(self, images, transformation, training=True):
        """Applies `transformation` (from `get_random_transformation`) to a batch or a single image."""
        images = np.asarray(images, dtype=self.dtype)
        if not training or transformation is None:
            return images
        if images.ndim == 3:
            return self._augment(images[None], transformation)[0][0]
        return self._augment(images, transformation)[0]

    def call(self, inputs, training=True):
        if training is None:
            training = True
        shape = tuple(inputs.shape)
        self._spatial_axes(len(shape))
        if not training:
            return self._inference(inputs)
        batched = len(shape) == 4
        batch_shape = shape if batched else (1,) + shape

        def draw():
            return self.get_random_transformation(batch_shape, training=True)

        def apply(x, transformation):
            if batched:
                return self._augment(x, transformation)
            out, backward = self._augment(x[None], transformation)
            return out[0], lambda g: backward(g[None])[0]

        return random_transform(inputs, draw, apply)

    def _inference(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def shape_of(data):
    """The shape of `data` (an array, a Tensor, or already a shape)."""
    if isinstance(data, tuple) and all(isinstance(d, (int, np.integer)) for d in data):
        return data
    if isinstance(data, dict):
        data = data["images"]
    return tuple(np.shape(getattr(data, "value", data)))


def apply_in_turn(images, steps):
    """Applies `steps` (each `images -> (images, backward)`) in order; returns the images and one backward.

    Layers made of other augmentations (RandAugment, RandomColorJitter, AugMix) chain their steps'
    backward functions in reverse, so gradients flow through the whole sequence.
    """
    backwards = []
    for step in steps:
        images, step_backward = step(images)
        backwards.append(step_backward)

    def backward(g):
        for step_backward in reversed(backwards):
            g = step_backward(g)
        return g

    return images, backward
