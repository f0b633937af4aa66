"""`Equalization`: while training, equalizes the histogram of each channel."""

import numbers

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class Equalization(BaseImagePreprocessingLayer):
    """Per channel, in the 0-255 scale, maps each value through the channel's cumulative histogram
    (`bins` bins), so that the values spread over the whole range. As in Keras, one histogram is taken
    over the whole batch for each channel, a channel with a single occupied bin is left as it is, and
    the layer works while training (direct calls, `fit`) only: `predict` passes images through.
    Its output is piecewise constant: no gradient flows back through an equalized channel.

    Args:
        value_range: the images' range (converted to 0-255 and back).
        bins: the number of histogram bins (256 by default).
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> x = np.array([10.0, 10.0, 20.0, 30.0], "float32").reshape(1, 1, 4, 1)
        >>> keras.layers.Equalization()(x)[0, 0, :, 0].tolist()
        [0.0, 0.0, 128.0, 255.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if not isinstance(bins, numbers.Integral) or isinstance(bins, bool) or bins < 1:
            raise ValueError(f"Equalization: `bins` should be a positive integer. Received: bins={bins!r}")
        self.bins = bins
        self.value_range = check_value_range("Equalization", value_range)

    def get_random_transformation(self, data, training=True, seed=None):
        return {}  # nothing random; an empty transformation (not None) still applies the layer

    def _to_255(self, values, dtype):
        low, high = self.value_range
        scale = (255 - 0) / (high - low)
        return values * dtype.type(scale) + dtype.type(0 - low * scale)

    def _from_255(self, values, dtype):
        low, high = self.value_range
        scale = (high - low) / (255 - 0)
        return values * dtype.type(scale) + dtype.type(low - 0 * scale)

    def _equalize(self, channel):
        """`(equalized channel, whether it was left as it is)`, a channel being all its images' pixels."""
        f32 = np.float32
        # The histogram's bins, as Keras computes them (in float32, then truncated to integers).
        scaled = channel.astype(f32) * f32(self.bins - 1) / f32(255)
        bins = np.clip(scaled.astype(np.int32), 0, self.bins - 1)
        histogram = np.bincount(bins.reshape(-1), minlength=self.bins)
        if np.count_nonzero(histogram) <= 1:
            return channel, True
        cdf = np.cumsum(histogram)
        cdf_min = cdf[np.argmax(cdf > 0)]
        denominator = cdf[-1] - cdf_min
        # (Keras divides the integer counts in float32; rounding is half to even.)
        ratio = f32((cdf - cdf_min) * 255) / f32(denominator or 1)
        lookup = np.clip(np.round(ratio), 0, 255).astype(channel.dtype)
        # The lookup's indices: another order of operations than the histogram's, as in Keras.
        indices = np.clip(channel / channel.dtype.type(255.0) * channel.dtype.type(self.bins - 1), 0, self.bins - 1)
        return lookup[indices.astype(np.int32)], False

    def _augment(self, images, transformation):
        dtype = images.dtype
        channel_axis = -1 if self.data_format == "channels_last" else 1
        scaled = self._to_255(images, dtype)
        channels, kept = [], []
        for c in range(images.shape[channel_axis]):
            channel, unchanged = self._equalize(np.take(scaled, c, axis=channel_axis))
            channels.append(channel)
            kept.append(unchanged)
        out = self._from_255(np.stack(channels, axis=channel_axis), dtype).astype(dtype, copy=False)
        shape = [1] * images.ndim
        shape[channel_axis] = len(kept)
        # A channel left as it is passes its gradient (the two rescalings cancel); an equalized one gives none.
        passes = np.asarray(kept).reshape(shape)

        def backward(g):
            return np.where(passes, g, 0).astype(g.dtype, copy=False)

        return out, backward

    def get_config(self):
        config = super().get_config()
        config.update({"bins": self.bins, "value_range": self.value_range})
        return config
