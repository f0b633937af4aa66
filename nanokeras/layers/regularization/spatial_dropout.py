"""`SpatialDropout1D`, `SpatialDropout2D`, `SpatialDropout3D`: drop whole feature maps while training."""

import numpy as np

from nanokeras.layers._argument_checks import check_float_in_range, check_seed
from nanokeras.layers.regularization._noise import NoiseSource, as_floats
from nanokeras.layers.regularization.dropout import Dropout
from nanokeras.layers.layer import Layer
from nanokeras.ops.convolution_geometry import data_format_of
from nanokeras.ops.random_transform import random_transform


class _SpatialDropout(Dropout):
    """Dropout of entire channels: one keep-or-drop decision per sample and channel.

    Neighbouring pixels of a feature map are strongly correlated, so dropping
    single pixels regularizes little; dropping whole maps does (Tompson et al., 2014).
    Kept channels are scaled by `1 / (1 - rate)`. Only active with `training=True`.
    """

    _replayable = True
    _rank = None

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        cls = type(self).__name__
        rate = check_float_in_range(cls, "rate", rate, 0, 1, high_inclusive=False)
        seed = check_seed(cls, seed)
        Layer.__init__(self, name=name, dtype=dtype)
        self.rate = rate
        self.seed = seed
        self.noise_shape = None
        self.data_format = data_format_of(data_format, cls)
        self._noise = NoiseSource(seed)
        self.built = True

    def _mask_shape(self, shape):
        if len(shape) != self._rank + 2:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} expects inputs of rank {self._rank + 2}, got shape {tuple(shape)}."
            )
        if self.data_format == "channels_last":
            return (shape[0],) + (1,) * self._rank + (shape[-1],)
        return tuple(shape[:2]) + (1,) * self._rank

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        inputs = as_floats(self, inputs)
        keep = 1.0 - self.rate
        shape = self._mask_shape(tuple(inputs.shape))
        generator = self._noise

        def draw():
            return generator.generator.random(shape, dtype=np.float32) < keep

        def apply(x, mask):
            scale = np.asarray(keep, dtype=x.dtype)
            return np.where(mask, x / scale, 0).astype(x.dtype, copy=False), \
                lambda g: np.where(mask, g / scale, 0).astype(g.dtype, copy=False)

        return random_transform(inputs, draw, apply)

    def get_config(self):
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}


class SpatialDropout1D(_SpatialDropout):
    """Drops whole feature channels of (batch, steps, channels) inputs (see `_SpatialDropout`).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> out = keras.layers.SpatialDropout1D(0.5, seed=1)(np.ones((1, 3, 4), "float32"), training=True)
        >>> bool(np.all((out == out[:, :1]) ))   # a channel is kept or dropped at every step
        True
    """

    _rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, "channels_last", seed=seed, name=name, dtype=dtype)


class SpatialDropout2D(_SpatialDropout):
    """Drops whole feature maps of images (see `_SpatialDropout`).

    Args:
        rate: the fraction of channels to drop, in [0, 1).
        data_format: "channels_last" or "channels_first" (default `keras.config.image_data_format()`).
        seed: an int for a reproducible stream of masks.
    """

    _rank = 2

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, data_format, seed=seed, name=name, dtype=dtype)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class SpatialDropout3D(_SpatialDropout):
    """Drops whole feature volumes of (batch, depth, rows, cols, channels) inputs (see `SpatialDropout2D`)."""

    _rank = 3

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, data_format, seed=seed, name=name, dtype=dtype)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
