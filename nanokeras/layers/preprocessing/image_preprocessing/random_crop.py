"""`RandomCrop`: a random `(height, width)` window of the batch while training, the centre otherwise."""

import numpy as np

from nanokeras.backend import random as backend_random
from nanokeras.layers.convolutional._options import positive_int
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.resizing import _resized_shape
from nanokeras.ops import image, image_resize


class RandomCrop(BaseImagePreprocessingLayer):
    """Crops a random window (the same for the whole batch) while training.

    When an image is smaller than the target on some side, the window starting
    at the centred box of the target's aspect ratio is taken and resized to
    `(height, width)`, as Keras does. At inference the largest centred window of
    the target's aspect ratio is resized to `(height, width)` (Keras 3.15 returns
    the images uncropped there, which breaks the layers after it), so the output
    always has the target size.

    Args:
        height, width: the output size.
        seed: an int for reproducible crops (a random one is chosen and saved when None, as in Keras).
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.RandomCrop(3, 3, seed=0)(np.ones((2, 5, 6, 1), dtype="float32")).shape
        (2, 3, 3, 1)
    """
    # As in Keras: a model holding it resolves `jit_compile="auto"` to False.
    supports_jit = False

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(data_format=data_format, name=name, **kwargs)
        self.height = positive_int(self, "height", height)
        self.width = positive_int(self, "width", width)
        self._set_seed(seed if seed is not None else backend_random.draw_seed())

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        h_axis, w_axis = self._spatial_axes(len(shape))
        height, width = shape[h_axis], shape[w_axis]
        if training and height > self.height and width > self.width:
            generator = self._generator
            h_start = int(generator.uniform(0, float(height - self.height + 1)))
            w_start = int(generator.uniform(0, float(width - self.width + 1)))
            return (h_start, w_start)
        top, left, _, _ = image_resize.aspect_ratio_frame(height, width, self.height, self.width, "crop")
        return (top, left)

    def _augment(self, images, transformation):
        h_axis, w_axis = self._spatial_axes(images.ndim)
        top, left = (int(v) for v in transformation)
        key = [slice(None)] * images.ndim
        key[h_axis], key[w_axis] = slice(top, top + self.height), slice(left, left + self.width)
        key = tuple(key)
        cropped = images[key]  # smaller than the target when the image is: then resized, as Keras does
        crop_height, crop_width = cropped.shape[h_axis], cropped.shape[w_axis]
        resampler = None
        if crop_height != self.height or crop_width != self.width:
            resampler = image_resize.Resampler((h_axis, w_axis), (crop_height, crop_width), (self.height, self.width),
                                               "bilinear", False, images.dtype)
            out = resampler.apply(cropped)
        else:
            out = np.ascontiguousarray(cropped)

        def backward(g):
            grad = np.zeros(images.shape, dtype=g.dtype)
            grad[key] = g if resampler is None else resampler.transpose(g)
            return grad

        return out, backward

    def _inference(self, inputs):
        return image.resize(inputs, (self.height, self.width), crop_to_aspect_ratio=True,
                            data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return _resized_shape(self, input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, "seed": self.seed})
        return config
