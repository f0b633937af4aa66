"""`BaseSeparableConv`: what `SeparableConv1D` and `SeparableConv2D` share."""

from nanokeras.layers.convolutional import _options
from nanokeras.layers.convolutional.base_depthwise_conv import _conv_output_shape
from nanokeras.layers.layer import Layer
from nanokeras.ops import convolution


class BaseSeparableConv(Layer):
    """A depthwise convolution (each channel on its own) followed by a 1x1 convolution mixing channels.

    Far fewer weights than a full convolution with the same receptive field.

    Args:
        rank, depth_multiplier: as in `BaseDepthwiseConv`; filters: the output channels.
        kernel_size, strides, padding ("valid"/"same"), data_format, dilation_rate, activation,
        use_bias: as in `BaseConv`.
        depthwise_*, pointwise_*, bias_* initializer/regularizer/constraint: the weights' options.

    Weights: `depthwise_kernel` (*kernel_size, channels, depth_multiplier), `pointwise_kernel`
    (1, ..., channels * depth_multiplier, filters), `bias` (filters,).
    """

    _replayable = True

    def __init__(self, rank, depth_multiplier, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        _options.check_geometry(self, rank, kernel_size, strides, padding, data_format, dilation_rate)
        self.depth_multiplier = _options.positive_int(self, "depth_multiplier", depth_multiplier)
        self.filters = _options.positive_int(self, "filters", filters)
        self.activation = _options.activation_of(activation)
        self.use_bias = bool(use_bias)
        _options.set_weight_options(self, ("depthwise", "pointwise", "bias"), locals())
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)

    def build(self, input_shape):
        channels = _options.channels_of(self, input_shape)
        self.compute_output_shape(input_shape)
        self.depthwise_kernel = _options.add_weight(self, "depthwise", "depthwise_kernel",
                                                    self.kernel_size + (channels, self.depth_multiplier))
        self.pointwise_kernel = _options.add_weight(self, "pointwise", "pointwise_kernel",
                                                    (1,) * self.rank + (channels * self.depth_multiplier,
                                                                        self.filters))
        self.bias = _options.add_weight(self, "bias", "bias", (self.filters,)) if self.use_bias else None
        self.built = True

    def call(self, inputs):
        shape = tuple(inputs.shape)
        channels = _options.channels_of(self, shape)
        if channels != self.depthwise_kernel.shape[-2]:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} was built for inputs with "
                f"{self.depthwise_kernel.shape[-2]} channels, got input shape {shape}."
            )
        self.compute_output_shape(shape)  # a clear error when the kernel does not fit
        mixed = convolution.depthwise_conv(inputs, self.depthwise_kernel, self.strides, self.padding,
                                           self.data_format, self.dilation_rate)
        mixed_shape = tuple(mixed.shape)
        spatial = mixed_shape[1:-1] if self.data_format == "channels_last" else mixed_shape[2:]
        ones = (1,) * self.rank
        geo = convolution.geometry(spatial, ones, ones, "valid", None, ones, 1, False)
        return _options.convolve(self, mixed, self.pointwise_kernel, geo)

    def compute_output_shape(self, input_shape):
        _options.channels_of(self, input_shape)
        return _conv_output_shape(self, input_shape, self.filters)

    def get_config(self):
        config = super().get_config()
        config.update({
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": _options.activations.serialize(self.activation),
            "use_bias": self.use_bias,
        })
        config.update(_options.weight_options_config(self, ("depthwise", "pointwise", "bias")))
        return config
