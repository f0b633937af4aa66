"""`BasePooling`: what the `MaxPooling*` and `AveragePooling*` layers share."""

from nanokeras.layers.layer import Layer
from nanokeras.ops import pooling
from nanokeras.ops.core import cast
from nanokeras.ops.convolution_geometry import ConvGeometry, data_format_of, int_tuple, padding_of


class BasePooling(Layer):
    """Downsamples the spatial axes with the max or the mean of each window.

    Args:
        pool_size: the window, an int or one per spatial axis.
        strides: the step between windows (default: `pool_size`).
        padding: "valid" (whole windows only) or "same" (output size `ceil(input / stride)`).
        data_format: "channels_last" or "channels_first" (default `keras.config.image_data_format()`).
    """

    _replayable = True
    _rank = None  # set by subclasses: the number of spatial axes
    _mode = None  # set by subclasses: "max" or "average"

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        cls = type(self).__name__
        self.pool_size = int_tuple(pool_size, self._rank, "pool_size", cls)
        self.strides = self.pool_size if strides is None else int_tuple(strides, self._rank, "strides", cls)
        self.pool_mode = self._mode
        self.padding = padding_of(padding, cls)
        self.data_format = data_format_of(data_format, cls)
        self.rank = self._rank
        super().__init__(name=name, **kwargs)
        self.built = True

    def call(self, inputs):
        self.compute_output_shape(tuple(inputs.shape))  # a clear error for a wrong rank or a too-small input
        op = pooling.max_pool if self.pool_mode == "max" else pooling.average_pool
        dtype = inputs.dtype
        if self.pool_mode == "max" and dtype.kind in "iub":
            # As Keras: the maximum of integers (or bools) in their dtype. The pooling op works in
            # floats; float64 holds every int32 exactly, and only the max's dtype comes out.
            out = op(cast(inputs, "float64"), self.pool_size, self.strides, self.padding, self.data_format)
            return cast(out, dtype.name)
        return op(inputs, self.pool_size, self.strides, self.padding, self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        cls = type(self).__name__
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"{cls} {self.name!r} expects inputs of rank {self.rank + 2} (batch, {self.rank} spatial axes, "
                f"channels), got shape {input_shape}."
            )
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        known = tuple(1 if s is None else s for s in spatial)
        geo = ConvGeometry(known, self.pool_size, self.strides, self.padding)
        out = []
        for size, o in zip(spatial, geo.output_shape):
            if size is not None and o <= 0:
                raise ValueError(
                    f"{cls} {self.name!r}: pool_size={self.pool_size} is larger than the input's spatial shape "
                    f"{tuple(spatial)} with padding='valid'. Use padding='same' or a smaller pool."
                )
            out.append(None if size is None else o)
        if self.data_format == "channels_last":
            return (input_shape[0],) + tuple(out) + (input_shape[-1],)
        return input_shape[:2] + tuple(out)

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "padding": self.padding, "strides": self.strides,
                       "data_format": self.data_format})
        return config
