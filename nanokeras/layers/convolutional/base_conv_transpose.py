"""`BaseConvTranspose`: what `Conv1DTranspose`, `Conv2DTranspose` and `Conv3DTranspose` share."""

from nanokeras.layers.convolutional import _options
from nanokeras.layers.layer import Layer
from nanokeras.ops import convolution
from nanokeras.ops.convolution_geometry import conv_transpose_pads, int_tuple, output_size


class BaseConvTranspose(Layer):
    """A transposed convolution layer (sometimes called deconvolution): it maps each input position to a
    kernel-sized patch of the output, undoing the shape change of a `Conv` with the same arguments.

    Args:
        rank, filters, kernel_size, strides, padding ("valid" or "same"), data_format, dilation_rate,
        activation, use_bias and the weights' options: as in `BaseConv`.
        output_padding: extra rows/columns added at the end of each spatial axis (each < its stride),
            or None to size the output as Keras does: `input * stride` ("same") or
            `(input - 1) * stride + max(kernel, stride)` ("valid").

    Weights: `kernel` of shape (*kernel_size, filters, channels) and `bias` (filters,).
    """

    _replayable = True

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        name = type(self).__name__
        _options.check_geometry(self, rank, kernel_size, strides, padding, data_format, dilation_rate)
        self.filters = _options.positive_int(self, "filters", filters)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = int_tuple(output_padding, rank, "output_padding", name, allow_zero=True)
            for i, (extra, stride) in enumerate(zip(self.output_padding, self.strides)):
                if extra >= stride:
                    raise ValueError(
                        f"{name}: each `output_padding` must be smaller than its stride; at axis {i} "
                        f"output_padding={self.output_padding} and strides={self.strides}."
                    )
        _options.refuse_strides_with_dilation(self)
        self.activation = _options.activation_of(activation)
        self.use_bias = bool(use_bias)
        _options.set_weight_options(self, ("kernel", "bias"), locals())
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)

    def _pads(self):
        extra = self.output_padding or (None,) * self.rank
        return tuple(conv_transpose_pads(k, s, d, self.padding, e)
                     for k, s, d, e in zip(self.kernel_size, self.strides, self.dilation_rate, extra))

    def build(self, input_shape):
        channels = _options.channels_of(self, input_shape)
        self.compute_output_shape(input_shape)
        self.kernel = _options.add_weight(self, "kernel", "kernel", self.kernel_size + (self.filters, channels))
        self.bias = _options.add_weight(self, "bias", "bias", (self.filters,)) if self.use_bias else None
        self.built = True

    def call(self, inputs):
        shape = tuple(inputs.shape)
        channels = _options.channels_of(self, shape)
        if channels != self.kernel.shape[-1]:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} was built for inputs with {self.kernel.shape[-1]} channels, "
                f"got input shape {shape}."
            )
        spatial = shape[1:-1] if self.data_format == "channels_last" else shape[2:]
        geo = convolution.geometry(spatial, self.kernel_size, None, self._pads(), self.strides, self.dilation_rate,
                                   1, True)
        return _options.convolve(self, inputs, self.kernel, geo)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        _options.channels_of(self, input_shape)
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        out = tuple(None if size is None else output_size(size, k, 1, p, s, d) for size, k, s, d, p in zip(
            spatial, self.kernel_size, self.strides, self.dilation_rate, self._pads()))
        # a list, as Keras's transposed convolutions give (the other convolutions give tuples)
        if self.data_format == "channels_last":
            return [input_shape[0], *out, self.filters]
        return [input_shape[0], self.filters, *out]

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": _options.activations.serialize(self.activation),
            "use_bias": self.use_bias,
        })
        config.update(_options.weight_options_config(self, ("kernel", "bias")))
        return config
