"""What every convolution layer shares: checking its arguments, its weights' options, its bias and activation."""

from nanokeras import activations, constraints, initializers, regularizers
from nanokeras.ops import convolution
from nanokeras.ops import numpy as np_ops
from nanokeras.ops.convolution_geometry import data_format_of, int_tuple, padding_of


def check_geometry(layer, rank, kernel_size, strides, padding, data_format, dilation_rate, allow_causal=False):
    """Sets `kernel_size`, `strides`, `padding`, `data_format`, `dilation_rate` on `layer`, checked."""
    name = type(layer).__name__
    layer.rank = rank
    layer.kernel_size = int_tuple(kernel_size, rank, "kernel_size", name)
    layer.strides = int_tuple(strides, rank, "strides", name)
    layer.dilation_rate = int_tuple(dilation_rate, rank, "dilation_rate", name)
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    layer.padding = padding_of(padding, name, allowed)
    layer.data_format = data_format_of(data_format, name)


def refuse_strides_with_dilation(layer):
    if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise ValueError(
            f"{type(layer).__name__}: `strides > 1` is not supported together with `dilation_rate > 1` "
            f"(as in Keras). Received strides={layer.strides} and dilation_rate={layer.dilation_rate}; "
            "use one or the other."
        )


def positive_int(layer, argument, value, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{type(layer).__name__}: `{argument}` must be a positive integer, got {argument}={value!r}.")
    return value


def set_weight_options(layer, prefixes, options):
    """Resolves `<prefix>_initializer/_regularizer/_constraint` for each weight prefix (`kernel`, `bias`, ...)."""
    for prefix in prefixes:
        setattr(layer, f"{prefix}_initializer", initializers.get(options[f"{prefix}_initializer"]))
        setattr(layer, f"{prefix}_regularizer", regularizers.get(options.get(f"{prefix}_regularizer")))
        setattr(layer, f"{prefix}_constraint", constraints.get(options.get(f"{prefix}_constraint")))


def weight_options_config(layer, prefixes):
    config = {}
    for prefix in prefixes:
        config[f"{prefix}_initializer"] = initializers.serialize(getattr(layer, f"{prefix}_initializer"))
    for prefix in prefixes:
        config[f"{prefix}_regularizer"] = regularizers.serialize(getattr(layer, f"{prefix}_regularizer"))
    config["activity_regularizer"] = regularizers.serialize(layer.activity_regularizer)
    for prefix in prefixes:
        config[f"{prefix}_constraint"] = constraints.serialize(getattr(layer, f"{prefix}_constraint"))
    return config


def add_weight(layer, prefix, name, shape):
    return layer.add_weight(
        name=name, shape=shape, initializer=getattr(layer, f"{prefix}_initializer"),
        regularizer=getattr(layer, f"{prefix}_regularizer"), constraint=getattr(layer, f"{prefix}_constraint"),
    )


def channels_of(layer, input_shape):
    """The input's channels (checked to be known) for a layer expecting rank `layer.rank + 2`."""
    name = type(layer).__name__
    input_shape = tuple(input_shape)
    if len(input_shape) != layer.rank + 2:
        raise ValueError(
            f"{name} {layer.name!r} expects inputs of rank {layer.rank + 2} (batch, {layer.rank} spatial axes, "
            f"channels), got shape {input_shape}."
        )
    channels = input_shape[-1] if layer.data_format == "channels_last" else input_shape[1]
    if channels is None:
        raise ValueError(f"{name} {layer.name!r}: the channels axis of the input must be known, got {input_shape}.")
    return int(channels)


_FUSABLE = {
    activations.linear: "linear",
    activations.relu: "relu",
    activations.sigmoid: "sigmoid",
    activations.tanh: "tanh",
}


def convolve(layer, inputs, kernel, geo):
    """`activation(conv(inputs, kernel) + bias)`: one fused engine op for the common activations
    (decided at every call from the layer's current `activation`), else the three ops."""
    name = _FUSABLE.get(layer.activation)
    if name is not None:
        return convolution.convolve_bias_activation(inputs, kernel, layer.bias, geo, layer.data_format, name,
                                                    layer.activation)
    return bias_and_activation(layer, convolution.convolve(inputs, kernel, geo, layer.data_format))


def bias_and_activation(layer, outputs):
    """`activation(outputs + bias)`, the bias broadcast along the channels axis."""
    if layer.bias is not None:
        if layer.data_format == "channels_last":
            outputs = np_ops.add(outputs, layer.bias)
        else:
            outputs = np_ops.add(outputs, np_ops.reshape(layer.bias, (-1,) + (1,) * layer.rank))
    return layer.activation(outputs)


def activation_of(activation):
    return activations.get(activation)
