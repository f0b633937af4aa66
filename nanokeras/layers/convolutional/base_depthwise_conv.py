"""`BaseDepthwiseConv`: what `DepthwiseConv1D` and `DepthwiseConv2D` share."""

from nanokeras.layers.convolutional import _options
from nanokeras.layers.layer import Layer
from nanokeras.ops import convolution
from nanokeras.ops.convolution_geometry import ConvGeometry


class BaseDepthwiseConv(Layer):
    """Convolves each input channel separately with `depth_multiplier` filters of its own.

    Args:
        rank: the number of spatial axes.
        depth_multiplier: filters per input channel; the output has `channels * depth_multiplier`.
        kernel_size, strides, padding ("valid"/"same"), data_format, dilation_rate, activation,
        use_bias: as in `BaseConv`.
        depthwise_initializer, bias_initializer, depthwise_regularizer, bias_regularizer,
        activity_regularizer, depthwise_constraint, bias_constraint: the weights' options.

    Weights: `kernel` of shape (*kernel_size, channels, depth_multiplier) and `bias`.
    """

    _replayable = True

    def __init__(self, rank, depth_multiplier, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        _options.check_geometry(self, rank, kernel_size, strides, padding, data_format, dilation_rate)
        self.depth_multiplier = _options.positive_int(self, "depth_multiplier", depth_multiplier)
        self.activation = _options.activation_of(activation)
        self.use_bias = bool(use_bias)
        _options.set_weight_options(self, ("depthwise", "bias"), locals())
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)

    def build(self, input_shape):
        channels = _options.channels_of(self, input_shape)
        self.compute_output_shape(input_shape)
        self.kernel = _options.add_weight(self, "depthwise", "kernel",
                                          self.kernel_size + (channels, self.depth_multiplier))
        self.bias = (_options.add_weight(self, "bias", "bias", (channels * self.depth_multiplier,))
                     if self.use_bias else None)
        self.built = True

    def call(self, inputs):
        shape = tuple(inputs.shape)
        channels = _options.channels_of(self, shape)
        if channels != self.kernel.shape[-2]:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} was built for inputs with {self.kernel.shape[-2]} channels, "
                f"got input shape {shape}."
            )
        spatial = shape[1:-1] if self.data_format == "channels_last" else shape[2:]
        geo = convolution.geometry(spatial, self.kernel_size, self.strides, self.padding, None, self.dilation_rate,
                                   channels, False)
        if any(o <= 0 for o in geo.output_shape):
            self.compute_output_shape(shape)
        return _options.convolve(self, inputs, self.kernel, geo)

    def compute_output_shape(self, input_shape):
        return _conv_output_shape(self, input_shape, _options.channels_of(self, input_shape) * self.depth_multiplier)

    def get_config(self):
        config = super().get_config()
        config.update({
            "depth_multiplier": self.depth_multiplier,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": _options.activations.serialize(self.activation),
            "use_bias": self.use_bias,
        })
        config.update(_options.weight_options_config(self, ("depthwise", "bias")))
        return config


def _conv_output_shape(layer, input_shape, filters):
    """The output shape of a (non-transposed) convolution layer, with a clear error when the kernel does not fit."""
    input_shape = tuple(input_shape)
    spatial = input_shape[1:-1] if layer.data_format == "channels_last" else input_shape[2:]
    known = tuple(1 if s is None else s for s in spatial)
    geo = ConvGeometry(known, layer.kernel_size, layer.strides, layer.padding, None, layer.dilation_rate)
    out = []
    for size, o in zip(spatial, geo.output_shape):
        if size is not None and o <= 0:
            raise ValueError(
                f"{type(layer).__name__} {layer.name!r}: the kernel (kernel_size={layer.kernel_size}, "
                f"dilation_rate={layer.dilation_rate}) is larger than the input's spatial shape {tuple(spatial)} "
                f"with padding={layer.padding!r}: the output would be empty. Use padding='same', a smaller kernel "
                "or a larger input."
            )
        out.append(None if size is None else o)
    if layer.data_format == "channels_last":
        return (input_shape[0],) + tuple(out) + (filters,)
    return (input_shape[0], filters) + tuple(out)
