"""`Resizing`: resizes images to a fixed size (in training and in inference)."""

from nanokeras.layers.layer import Layer
from nanokeras.layers.preprocessing.image_preprocessing._affine import check_choice
from nanokeras.layers.convolutional._options import positive_int
from nanokeras.ops import image
from nanokeras.ops.convolution_geometry import data_format_of
from nanokeras.ops.image_resize import METHODS


class Resizing(Layer):
    """Resizes images to `(height, width)`, as `keras.ops.image.resize` does.

    Args:
        height, width: the output size.
        interpolation: "bilinear", "nearest", "bicubic", "lanczos3" or "lanczos5".
        crop_to_aspect_ratio: crop the largest centred box of the target's aspect ratio first.
        pad_to_aspect_ratio: pad with `fill_value` to the target's aspect ratio first.
        fill_mode: "constant" (the only mode); fill_value: the padding value.
        antialias: widen the filter when shrinking.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.Resizing(4, 6)(np.ones((2, 8, 8, 3), dtype="float32")).shape
        (2, 4, 6, 3)
    """

    _replayable = True

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                 fill_mode="constant", fill_value=0.0, antialias=False, data_format=None, **kwargs):
        self.height = positive_int(self, "height", height)
        self.width = positive_int(self, "width", width)
        self.interpolation = check_choice("Resizing", "interpolation", interpolation, METHODS)
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Resizing: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True.")
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode = check_choice("Resizing", "fill_mode", fill_mode, ("constant",))
        self.fill_value = fill_value
        self.antialias = bool(antialias)
        self.data_format = data_format_of(data_format, "Resizing")
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs, training=True):
        # `training` as in Keras's signature (whose default a functional config records); the
        # transformation is the same in training and at inference.
        return image.resize(inputs, (self.height, self.width), interpolation=self.interpolation,
                            antialias=self.antialias, crop_to_aspect_ratio=self.crop_to_aspect_ratio,
                            pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_mode=self.fill_mode,
                            fill_value=self.fill_value, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return _resized_shape(self, input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "height": self.height, "width": self.width,
                       "interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                       "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                       "fill_value": self.fill_value, "antialias": self.antialias})
        return config


def _resized_shape(layer, input_shape):
    shape = list(input_shape)
    if len(shape) not in (3, 4):
        raise ValueError(
            f"{type(layer).__name__} {layer.name!r} expects images of rank 3 or 4, got shape {tuple(input_shape)}."
        )
    first = len(shape) - 3 if layer.data_format == "channels_last" else len(shape) - 2
    shape[first], shape[first + 1] = layer.height, layer.width
    return tuple(shape)
