"""`BaseGlobalPooling`: what the `GlobalAveragePooling*` and `GlobalMaxPooling*` layers share."""

from nanokeras.layers.layer import Layer
from nanokeras.ops.convolution_geometry import data_format_of


class BaseGlobalPooling(Layer):
    """Reduces all spatial axes to one value per channel (their mean or max).

    Args:
        data_format: "channels_last" or "channels_first" (default `keras.config.image_data_format()`).
        keepdims: keep the spatial axes, with size 1.
    """

    _replayable = True
    _reduce = None  # set by subclasses: np_ops.mean or np_ops.max

    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        self.data_format = data_format_of(data_format, type(self).__name__)
        self.keepdims = bool(keepdims)
        self.rank = pool_dimensions
        super().__init__(**kwargs)
        self.built = True

    def _axes(self, ndim):
        if ndim != self.rank + 2:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} expects inputs of rank {self.rank + 2} (batch, "
                f"{self.rank} spatial axes, channels), got rank {ndim}."
            )
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def call(self, inputs):
        return type(self)._reduce(inputs, axis=self._axes(len(inputs.shape)), keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        axes = self._axes(len(input_shape))
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
