"""`AutoContrast`: stretches each image's channels to the full value range (always, not only in training)."""

import numpy as np

from nanokeras.layers.layer import Layer
from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.ops import numpy as np_ops
from nanokeras.ops.convolution_geometry import data_format_of


class AutoContrast(Layer):
    """Per image and channel, maps the darkest value to the range's low end and the brightest to
    its high end (in the 0-255 scale, as Keras computes it; a flat channel is left as it was).
    Deterministic: applied in training and inference alike, as in Keras.

    Args:
        value_range: the images' range, `(0, 255)` by default.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.AutoContrast()(np.array([[[[50.0], [100.0]]]], "float32"))[0, 0, :, 0].tolist()
        [0.0, 255.0]
    """

    _replayable = True

    def __init__(self, value_range=(0, 255), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.value_range = check_value_range("AutoContrast", value_range)
        self.data_format = data_format_of(data_format, type(self).__name__)
        self.built = True

    def _to(self, images, original, target):
        if original[0] == target[0] and original[1] == target[1]:
            return images
        unit = np_ops.divide(np_ops.subtract(images, float(original[0])), float(original[1] - original[0]))
        return np_ops.add(np_ops.multiply(unit, float(target[1] - target[0])), float(target[0]))

    def call(self, inputs, training=True):
        # `training` as in Keras's signature (whose default a functional config records); the
        # transformation is the same in training and at inference.
        rank = len(inputs.shape)
        if rank not in (3, 4):
            raise ValueError(f"AutoContrast {self.name!r} expects images of rank 3 or 4, got rank {rank}.")
        images = self._to(inputs, self.value_range, (0, 255))
        axes = (rank - 3, rank - 2) if self.data_format == "channels_last" else (rank - 2, rank - 1)
        low = np_ops.min(images, axis=axes, keepdims=True)
        high = np_ops.max(images, axis=axes, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):  # a flat channel: NaN, then the input again
            scale = np_ops.divide(255.0, np_ops.subtract(high, low))
            stretched = np_ops.clip(np_ops.add(np_ops.multiply(images, scale),
                                               np_ops.multiply(np_ops.negative(low), scale)), 0.0, 255.0)
            results = self._to(stretched, (0, 255), self.value_range)
        return np_ops.where(np_ops.isnan(results), inputs, results)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "data_format": self.data_format})
        return config
