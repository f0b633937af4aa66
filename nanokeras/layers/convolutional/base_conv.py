"""`BaseConv`: what `Conv1D`, `Conv2D` and `Conv3D` share."""

from nanokeras.layers.convolutional import _options
from nanokeras.layers.core.lora import LoraMixin
from nanokeras.layers.layer import Layer, saved_by_name
from nanokeras.ops import convolution
from nanokeras.ops.convolution_geometry import ConvGeometry


class BaseConv(LoraMixin, Layer):
    """An N-D convolution layer: `activation(conv(inputs, kernel) + bias)`.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the number of output channels.
        kernel_size: an int or one per spatial axis.
        strides: an int or one per spatial axis (default 1).
        padding: "valid" (no padding), "same" (output size `ceil(input / stride)`),
            or "causal" (1-D only: everything padded on the left).
        data_format: "channels_last" (batch, *spatial, channels) or "channels_first";
            default `keras.config.image_data_format()`.
        dilation_rate: spacing between kernel taps (not together with `strides > 1`).
        groups: split the channels into this many groups convolved separately.
        activation: a name or a function; None means linear.
        use_bias: add a learned bias per filter.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer, kernel_constraint, bias_constraint: as in `Dense`.
        lora_rank, lora_alpha: LoRA fine-tuning from the start (`enable_lora`, as in `Dense`).

    Weights: `kernel` of shape (*kernel_size, channels / groups, filters) and `bias` (filters,).
    """

    _replayable = True

    def _saved_variables(self):  # as Keras: only these, also in a subclass with more variables
        return saved_by_name(self, "kernel", "bias")

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, lora_alpha=None, **kwargs):
        _options.check_geometry(self, rank, kernel_size, strides, padding, data_format, dilation_rate,
                                allow_causal=rank == 1)
        self.filters = _options.positive_int(self, "filters", filters)
        self.groups = _options.positive_int(self, "groups", groups)
        if self.filters % self.groups:
            raise ValueError(
                f"{type(self).__name__}: `filters` ({self.filters}) must be divisible by `groups` ({self.groups})."
            )
        _options.refuse_strides_with_dilation(self)
        self.activation = _options.activation_of(activation)
        self.use_bias = bool(use_bias)
        _options.set_weight_options(self, ("kernel", "bias"), locals())
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._set_lora_arguments(lora_rank, lora_alpha)

    def _pads(self):
        if self.padding == "causal":
            return convolution.causal_pads(self.kernel_size[0], self.dilation_rate[0])
        return self.padding

    def build(self, input_shape):
        channels = _options.channels_of(self, input_shape)
        if channels % self.groups:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: the input's {channels} channels must be divisible by "
                f"`groups` ({self.groups}). Input shape: {tuple(input_shape)}."
            )
        self.compute_output_shape(input_shape)  # checks the kernel fits
        self.kernel = _options.add_weight(self, "kernel", "kernel",
                                          self.kernel_size + (channels // self.groups, self.filters))
        self.bias = _options.add_weight(self, "bias", "bias", (self.filters,)) if self.use_bias else None
        self.built = True
        self._build_lora()

    def call(self, inputs):
        shape = tuple(inputs.shape)
        channels = _options.channels_of(self, shape)
        if channels != self.kernel.shape[-2] * self.groups:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} was built for inputs with "
                f"{self.kernel.shape[-2] * self.groups} channels, got input shape {shape}."
            )
        spatial = shape[1:-1] if self.data_format == "channels_last" else shape[2:]
        geo = convolution.geometry(spatial, self.kernel_size, self.strides, self._pads(), None,
                                   self.dilation_rate, self.groups, False)
        if any(o <= 0 for o in geo.output_shape):
            self.compute_output_shape(shape)  # raises the clear error
        return _options.convolve(self, inputs, self._lora_adapted(self.kernel), geo)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        _options.channels_of(self, input_shape)
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        known = tuple(1 if s is None else s for s in spatial)
        geo = ConvGeometry(known, self.kernel_size, self.strides, self._pads(), None, self.dilation_rate)
        out = []
        for size, o in zip(spatial, geo.output_shape):
            if size is not None and o <= 0:
                raise ValueError(
                    f"{type(self).__name__} {self.name!r}: the kernel (kernel_size={self.kernel_size}, "
                    f"dilation_rate={self.dilation_rate}) is larger than the input's spatial shape {tuple(spatial)} "
                    f"with padding={self.padding!r}: the output would be empty. Use padding='same', a smaller "
                    "kernel or a larger input."
                )
            out.append(None if size is None else o)
        if self.data_format == "channels_last":
            return (input_shape[0],) + tuple(out) + (self.filters,)
        return (input_shape[0], self.filters) + tuple(out)

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            "activation": _options.activations.serialize(self.activation),
            "use_bias": self.use_bias,
        })
        config.update(_options.weight_options_config(self, ("kernel", "bias")))
        config.update(self._lora_config())
        return config
