"""`BaseAdaptivePooling`: what the `AdaptiveAveragePooling*` and `AdaptiveMaxPooling*` layers share."""

from nanokeras.layers.layer import Layer
from nanokeras.ops.convolution_geometry import data_format_of

_AXES_NAMES = {1: "length", 2: "(height, width)", 3: "(depth, height, width)"}


class BaseAdaptivePooling(Layer):
    """Pools each spatial axis to `output_size` positions, whatever the input's size.

    Args:
        output_size: an int (every spatial axis) or one int per spatial axis.
        data_format: "channels_last" or "channels_first" (default `keras.config.image_data_format()`).
    """

    _replayable = True
    _pool = None  # set by subclasses: ops.adaptive_average_pool or ops.adaptive_max_pool
    rank = None

    def __init__(self, output_size, data_format=None, **kwargs):
        self.output_size = _output_size(output_size, self.rank)
        self.data_format = data_format_of(data_format, type(self).__name__)
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs):
        return type(self)._pool(inputs, self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"{type(self).__name__} {self.name!r} expects inputs of rank {self.rank + 2} "
                             f"(batch, {self.rank} spatial axes, channels), got shape {input_shape}.")
        if self.data_format == "channels_last":
            return (input_shape[0],) + self.output_size + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + self.output_size

    def get_config(self):
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config


def _output_size(output_size, rank):
    if isinstance(output_size, bool):
        output_size = None  # not an int here
    if isinstance(output_size, int):
        sizes = (output_size,) * rank
    elif isinstance(output_size, (tuple, list)) and len(output_size) == rank:
        sizes = tuple(output_size)
    else:
        raise TypeError(f"`output_size` must be an integer or a {_AXES_NAMES[rank]} tuple of {rank} integer(s). "
                        f"Received: {output_size!r} of type {type(output_size).__name__}.")
    if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes):
        raise ValueError(f"`output_size` must hold positive integers, got {output_size!r}.")
    return sizes
