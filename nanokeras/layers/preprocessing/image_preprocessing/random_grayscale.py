"""`RandomGrayscale`: while training, turns a random share of the images gray (channels kept)."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)

_LUMA = np.array([0.2989, 0.5870, 0.1140])  # the weights of keras.ops.image.rgb_to_grayscale


def luma(layer, images):
    """`(gray, weights, channel axis)` of an RGB batch: its luma (one channel kept, size 1) and
    the luma weights shaped to multiply the images."""
    channel_axis = -1 if layer.data_format == "channels_last" else 1
    if images.shape[channel_axis] != 3:
        raise ValueError(f"{type(layer).__name__} {layer.name!r} expects RGB images (3 channels), "
                         f"got {images.shape[channel_axis]} channels.")
    shape = [1] * images.ndim
    shape[channel_axis] = 3
    weights = _LUMA.astype(images.dtype).reshape(shape)
    return np.sum(images * weights, axis=channel_axis, keepdims=True), weights, channel_axis


class RandomGrayscale(BaseImagePreprocessingLayer):
    """Each RGB image becomes, with probability `factor`, its luma `0.2989 R + 0.587 G + 0.114 B`
    in every channel.

    Args:
        factor: the probability in [0, 1] that an image is turned gray (0.5 by default).
        data_format: "channels_last" or "channels_first".
        seed: an int for reproducible draws.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.RandomGrayscale(factor=1.0)
        >>> [round(float(v), 2) for v in layer(np.array([[[[255.0, 0.0, 0.0]]]], "float32"))[0, 0, 0]]
        [76.22, 76.22, 76.22]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 <= factor <= 1:
            raise ValueError(f"RandomGrayscale: `factor` should be between 0 and 1. Received: factor={factor!r}")
        self.factor = factor
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        batch = shape[0] if len(shape) == 4 else 1
        return {"apply": self._generator.uniform(0, 1, size=batch) < self.factor}

    def _augment(self, images, transformation):
        gray, weights, channel_axis = luma(self, images)
        apply = np.asarray(transformation["apply"]).reshape((-1,) + (1,) * (images.ndim - 1))
        out = np.where(apply, gray, images).astype(images.dtype, copy=False)

        def backward(g):
            through_gray = np.sum(g, axis=channel_axis, keepdims=True) * weights
            return np.where(apply, through_gray, g).astype(g.dtype, copy=False)

        return out, backward

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor})  # Keras's config has no seed: the same keys, for the bridge
        return config
