"""`CenterCrop`: the centre of each image (resized first when the image is smaller)."""

from nanokeras.layers.convolutional._options import positive_int
from nanokeras.layers.layer import Layer
from nanokeras.layers.preprocessing.image_preprocessing.resizing import _resized_shape
from nanokeras.ops import image
from nanokeras.ops.convolution_geometry import data_format_of


class CenterCrop(Layer):
    """Crops the central `(height, width)` window of each image, in training and inference.

    An image smaller than the target on some side is first cropped to the
    target's aspect ratio, then resized (bilinear), as Keras does.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
        >>> keras.layers.CenterCrop(2, 2)(x)[0, :, :, 0].tolist()
        [[5.0, 6.0], [9.0, 10.0]]
    """

    _replayable = True

    def __init__(self, height, width, data_format=None, **kwargs):
        self.height = positive_int(self, "height", height)
        self.width = positive_int(self, "width", width)
        self.data_format = data_format_of(data_format, "CenterCrop")
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs, training=True):
        # `training` as in Keras's signature (whose default a functional config records); the
        # transformation is the same in training and at inference.
        shape = tuple(inputs.shape)
        _resized_shape(self, shape)
        first = len(shape) - 3 if self.data_format == "channels_last" else len(shape) - 2
        h_diff, w_diff = shape[first] - self.height, shape[first + 1] - self.width
        if h_diff >= 0 and w_diff >= 0:
            top, left = h_diff // 2, w_diff // 2
            return image.crop_images(inputs, top, left, None, None, self.height, self.width,
                                     data_format=self.data_format)
        return image.resize(inputs, (self.height, self.width), crop_to_aspect_ratio=True,
                            data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return _resized_shape(self, input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "height": self.height, "width": self.width})
        return config
