"""`keras.ops` convolutions: `conv`, `conv_transpose`, `depthwise_conv`, `separable_conv`.

Each is the one general convolution of `convolution_geometry.py`, computed by
`convolution_kernels.py` (strided windows and one matmul). Two recorded ops
carry the gradients, written with each other so that derivatives of any order
work:

    y  = conv(x, w)                   dx = conv(g, w) on the dual geometry,  dw = kernel_gradient(x, g)
    dw = kernel_gradient(x, g)        d/dx of <dw, h> = conv(g, h) on the dual geometry,  d/dg = conv(x, h)

Example:
    >>> import numpy as np
    >>> x = np.arange(5, dtype="float32").reshape(1, 5, 1)
    >>> conv(x, np.ones((3, 1, 1), "float32"))[0, :, 0].tolist()
    [3.0, 6.0, 9.0]
"""

import functools

import numpy as np

from nanokeras.ops.convolution_geometry import (
    ConvGeometry, conv_transpose_pads, data_format_of, effective_size, int_tuple, padding_of,
)
from nanokeras.ops.convolution_kernels import ConvKernel
from nanokeras.ops.gradient_utils import Workspace, _recording_tapes, record, to_array, value_of
from nanokeras.ops.tape import is_tracked, needs_gradient
from nanokeras.ops.tensor import TensorOperators

__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv"]


@functools.lru_cache(maxsize=256)
def geometry(input_shape, kernel_shape, strides, padding, lhs_dilation, rhs_dilation, groups, transpose_kernel):
    """A (cached) `ConvGeometry`: building one costs more than a small convolution."""
    return ConvGeometry(input_shape, kernel_shape, strides, padding, lhs_dilation, rhs_dilation, groups,
                        transpose_kernel)


@functools.lru_cache(maxsize=256)
def dual_geometry(geo):
    return geo.dual()


def _float_operands(x, w):
    """The numpy values of `x` and `w`; integer kernels become `floatx()`, inputs follow the kernel."""
    xv, wv = to_array(x), to_array(w)
    if wv.dtype.kind not in "f":
        from nanokeras.backend import config

        wv = wv.astype(config.floatx())
    return xv, wv


def _kernel_layout(w, geo, in_channels):
    """`w` viewed as (*kernel, a, b): the layout `ConvKernel` reads (before a transposition)."""
    if geo.transpose_kernel:
        return w.reshape(geo.kernel_shape + (-1, in_channels))
    return w.reshape(geo.kernel_shape + (in_channels // geo.groups, -1))


def _channels(shape, data_format):
    return shape[-1] if data_format == "channels_last" else shape[1]


def convolve(x, w, geo, data_format):
    """`conv(x, w)` on geometry `geo`, recorded with its gradient (the engine op behind every convolution)."""
    xv, wv = _float_operands(x, w)
    in_channels = _channels(xv.shape, data_format)
    kernel = ConvKernel(geo, data_format)
    w_layout = _kernel_layout(wv, geo, in_channels)
    out = kernel.forward(xv, w_layout)
    if not _recording_tapes:
        return out
    dual = []  # the input gradient's kernel, made on first use and kept (its buffers too)
    replayed = []  # set once a compiled step replays the node: gradients then go into kept arrays
    node = None
    # Read now, not in `vjp`: a watched array is unwatched when its tape closes, and
    # `tape.gradient` may be called after that.
    x_wanted, w_wanted = needs_gradient(x), needs_gradient(w)

    def forward():
        kernel.forward(xv, _kernel_layout(wv, geo, in_channels))
        if not replayed:
            replayed.append(True)

    def vjp(g):
        if _recording_tapes:  # an outer tape records the backward pass: use recorded ops
            # The node's inputs: a watched array stands there as its leaf Tensor.
            nx, nw = node.inputs
            dx = convolve(g, nw, dual_geometry(geo), data_format) if isinstance(nx, TensorOperators) else None
            dw = kernel_gradient(nx, g, geo, data_format, wv.shape) if isinstance(nw, TensorOperators) else None
            return dx, dw
        gv = value_of(g)
        dx = dw = None
        if x_wanted:
            if not dual:
                dual.append(ConvKernel(dual_geometry(geo), data_format))
            dx = dual[0].forward(gv, _kernel_layout(wv, dual[0].geometry, _channels(gv.shape, data_format)),
                                 fresh=not replayed)
        if w_wanted:
            dw = kernel.kernel_gradient(xv, gv, wv.shape)
        return dx, dw

    node = record(out, (x, w), vjp, forward)
    return node


def _sigmoid_values(z):
    from nanokeras.ops.nn import sigmoid_values

    return sigmoid_values(z)


def _relu_in_place(z):
    np.maximum(z, 0, out=z)
    return z


# activation name -> (forward on the pre-activation, written in place when it can be;
#                     gradient of the pre-activation from the output gradient and the output,
#                     computed through a `Workspace` `gs` so that a replayed step reuses its arrays)
_FUSED = {
    "linear": (lambda z: z, lambda gs, g, out: g),
    "relu": (_relu_in_place,  # relu'(0) = 0, as JAX
             lambda gs, g, out: gs("dz", np.multiply, g, gs("positive", np.greater, out, 0))),
    "sigmoid": (lambda z: _sigmoid_values(z),
                lambda gs, g, out: gs("dz", np.multiply, gs("g_out", np.multiply, g, out),
                                      gs("one_minus_out", np.subtract, 1, out))),
    "tanh": (lambda z: np.tanh(z, out=z),
             lambda gs, g, out: gs("dz", np.multiply, g,
                                   gs("one_minus_square", np.subtract, 1, gs("square", np.multiply, out, out)))),
}


def convolve_bias_activation(x, w, b, geo, data_format, activation_name, activation):
    """`activation(conv(x, w) + b)` as one recorded op: one output buffer, bias and activation in place.

    The engine kernel behind the convolution layers (the same numbers as the three
    ops apart, with one tape node and no intermediate arrays). `activation_name` is
    one of "linear", "relu", "sigmoid", "tanh"; `activation` is the function itself
    (for derivatives of the gradient, taken through the unfused ops).
    """
    xv, wv = _float_operands(x, w)
    bv = None if b is None else value_of(b)
    in_channels = _channels(xv.shape, data_format)
    kernel = ConvKernel(geo, data_format)
    apply, derivative = _FUSED[activation_name]
    bias_shape = None
    if bv is not None and data_format == "channels_first":
        bias_shape = (-1,) + (1,) * geo.rank

    def compute():
        z = kernel.forward(xv, _kernel_layout(wv, geo, in_channels))
        if bv is not None:
            np.add(z, bv if bias_shape is None else bv.reshape(bias_shape), out=z)
        return apply(z)

    out = compute()
    if not _recording_tapes:
        return out
    node = None
    dual = []
    kept = []  # once a compiled step replays the node, the gradients' arrays, reused every step
    # Read now, not in `vjp`: a watched array is unwatched when its tape closes.
    x_wanted, w_wanted = needs_gradient(x), needs_gradient(w)
    b_wanted = bv is not None and needs_gradient(b)

    def forward():
        result = compute()
        if result is not out:
            np.copyto(out, result)
        if not kept:
            kept.append(Workspace())

    def vjp(g):
        if _recording_tapes:
            return _composite_vjp(node, geo, data_format, activation, g)
        gs = kept[0] if kept else Workspace()
        gz = derivative(gs, value_of(g), out)
        dx = dw = db = None
        if x_wanted:
            if not dual:
                dual.append(ConvKernel(dual_geometry(geo), data_format))
            dx = dual[0].forward(gz, _kernel_layout(wv, dual[0].geometry, _channels(gz.shape, data_format)),
                                 fresh=not kept)
        if w_wanted:
            dw = kernel.kernel_gradient(xv, gz, wv.shape)
        if b_wanted:
            axes = tuple(i for i in range(gz.ndim) if i != (gz.ndim - 1 if data_format == "channels_last" else 1))
            db = gs("grad_bias", np.add.reduce, gz, axis=axes)
        return dx, dw, db

    node = record(out, (x, w, b), vjp, forward)
    return node


def _composite_vjp(node, geo, data_format, activation, g):
    """The gradient through the unfused ops, recorded on the outer tapes (for higher derivatives)."""
    from nanokeras.ops import numpy as np_ops
    from nanokeras.ops.tape import GradientTape

    x, w, b = node.inputs
    with GradientTape() as tape:
        z = convolve(x, w, geo, data_format)
        if b is not None:
            bias = b if data_format == "channels_last" else np_ops.reshape(b, (-1,) + (1,) * geo.rank)
            z = np_ops.add(z, bias)
        out = activation(z)
    sources = [s for s in (x, w, b) if s is not None and is_tracked(s)]
    grads = iter(tape.gradient(out, sources, output_gradients=g))
    return tuple(next(grads) if s is not None and is_tracked(s) else None for s in (x, w, b))


def kernel_gradient(x, g, geo, data_format, kernel_shape):
    """d(sum(conv(x, w) * g)) / dw for a kernel of `kernel_shape`, recorded (it is linear in `x` and in `g`)."""
    xv, gv = to_array(x), value_of(g)
    kernel = ConvKernel(geo, data_format)
    out = kernel.kernel_gradient(xv, gv, kernel_shape)
    if not _recording_tapes:
        return out

    def forward():
        np.copyto(out, kernel.kernel_gradient(xv, gv, kernel_shape))

    def vjp(h):
        nx, ng = node.inputs  # a watched array stands there as its leaf Tensor (read at record time)
        dx = convolve(ng, h, dual_geometry(geo), data_format) if isinstance(nx, TensorOperators) else None
        dg = convolve(nx, h, geo, data_format) if isinstance(ng, TensorOperators) else None
        return dx, dg

    node = record(out, (x, g), vjp, forward)
    return node


# ------------------------------------------------------------------ checks


def _check_operands(op, x, kernel, data_format, kernel_rank=None):
    xs, ks = np.shape(value_of(x)), np.shape(value_of(kernel))
    if len(xs) < 3:
        raise ValueError(  # the kernel has the inputs' rank: it tells how many axes are missing
            f"`{op}` expects inputs of rank >= 3 (batch, *spatial, channels), got shape {tuple(xs)}. "
            + ("Add a batch axis and a channels axis (e.g. `x[None, ..., None]`)." if len(ks) - len(xs) == 2
               else "Add a batch axis (e.g. `x[None]`) or a channels axis (e.g. `x[..., None]`).")
        )
    expected = len(xs) if kernel_rank is None else kernel_rank
    if len(ks) != expected:
        raise ValueError(
            f"`{op}`: the kernel must have rank {expected} (*kernel_size, in_channels, out_channels) for "
            f"inputs of rank {len(xs)}, got kernel shape {tuple(ks)}."
        )
    return tuple(xs), tuple(ks)


def _spatial(shape, data_format):
    return shape[1:-1] if data_format == "channels_last" else shape[2:]


def _check_output(op, geo, input_shape, kernel_size, strides, padding, dilation):
    if any(o <= 0 for o in geo.output_shape):
        raise ValueError(
            f"`{op}`: the kernel (size {kernel_size}, dilation {dilation}) does not fit in the input of "
            f"shape {tuple(input_shape)} with padding={padding!r} and strides={strides}: the output would "
            "be empty. Use padding='same', a smaller kernel or a larger input."
        )


# ------------------------------------------------------------------ public ops


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (cross-correlation, as in Keras), with groups inferred from the kernel.

    Args:
        inputs: (batch, *spatial, channels) (or channels first).
        kernel: (*kernel_size, channels / groups, filters).
        strides, dilation_rate: an int or one per spatial axis.
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first" (default: `keras.config.image_data_format()`).

    Example:
        >>> x = np.ones((1, 4, 4, 2), "float32")
        >>> conv(x, np.ones((3, 3, 2, 5), "float32"), padding="same").shape
        (1, 4, 4, 5)
    """
    data_format = data_format_of(data_format, "conv")
    xs, ks = _check_operands("conv", inputs, kernel, data_format)
    rank = len(xs) - 2
    strides = int_tuple(strides, rank, "strides", "conv")
    dilation = int_tuple(dilation_rate, rank, "dilation_rate", "conv")
    padding = padding_of(padding, "conv")
    channels = _channels(xs, data_format)
    if ks[-2] <= 0 or channels % ks[-2]:
        raise ValueError(
            f"`conv`: the input's {channels} channels must be a multiple of the kernel's input channels "
            f"{ks[-2]} (kernel shape {ks}); the ratio is the number of groups."
        )
    groups = channels // ks[-2]
    if ks[-1] % groups:
        raise ValueError(
            f"`conv`: the kernel's {ks[-1]} output channels must be a multiple of the number of groups "
            f"{groups} (input channels {channels} / kernel input channels {ks[-2]})."
        )
    geo = geometry(_spatial(xs, data_format), ks[:-2], strides, padding, None, dilation, groups, False)
    _check_output("conv", geo, xs, ks[:-2], strides, padding, dilation)
    return convolve(inputs, kernel, geo, data_format)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Convolves each input channel with its own `depth_multiplier` filters.

    Args:
        kernel: (*kernel_size, channels, depth_multiplier); the output has
            `channels * depth_multiplier` channels, channel `c`'s filters next to each other.

    Example:
        >>> x = np.ones((1, 5, 3), "float32")
        >>> depthwise_conv(x, np.ones((2, 3, 2), "float32")).shape
        (1, 4, 6)
    """
    data_format = data_format_of(data_format, "depthwise_conv")
    xs, ks = _check_operands("depthwise_conv", inputs, kernel, data_format)
    rank = len(xs) - 2
    strides = int_tuple(strides, rank, "strides", "depthwise_conv")
    dilation = int_tuple(dilation_rate, rank, "dilation_rate", "depthwise_conv")
    padding = padding_of(padding, "depthwise_conv")
    channels = _channels(xs, data_format)
    if ks[-2] != channels:
        raise ValueError(
            f"`depthwise_conv`: the kernel's channel axis ({ks[-2]}, kernel shape {ks}) must "
            f"equal the input's {channels} channels."
        )
    geo = geometry(_spatial(xs, data_format), ks[:-2], strides, padding, None, dilation, channels, False)
    _check_output("depthwise_conv", geo, xs, ks[:-2], strides, padding, dilation)
    return convolve(inputs, kernel, geo, data_format)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """A depthwise convolution followed by a 1x1 (pointwise) convolution mixing the channels.

    Example:
        >>> x = np.ones((1, 6, 6, 3), "float32")
        >>> separable_conv(x, np.ones((3, 3, 3, 2), "float32"), np.ones((1, 1, 6, 4), "float32")).shape
        (1, 4, 4, 4)
    """
    data_format = data_format_of(data_format, "separable_conv")
    xs, _ = _check_operands("separable_conv", inputs, depthwise_kernel, data_format)
    ps = np.shape(value_of(pointwise_kernel))
    depthwise_out = _channels(xs, data_format) * np.shape(value_of(depthwise_kernel))[-1]
    if len(ps) != len(xs) or any(k != 1 for k in ps[:-2]) or ps[-2] != depthwise_out:
        raise ValueError(
            f"`separable_conv`: the pointwise kernel must have shape {(1,) * (len(xs) - 2)} + "
            f"({depthwise_out}, filters) (channels x depth_multiplier inputs), got {tuple(ps)}."
        )
    mixed = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(mixed, pointwise_kernel, 1, "valid", data_format, 1)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1):
    """The transposed convolution (the gradient of `conv` with respect to its input), as Keras sizes it.

    Args:
        kernel: (*kernel_size, filters, in_channels).
        output_padding: extra rows/columns at the end of each spatial axis (< strides), or None.

    Example:
        >>> x = np.ones((1, 3, 3, 1), "float32")
        >>> conv_transpose(x, np.ones((3, 3, 2, 1), "float32"), strides=2, padding="same").shape
        (1, 6, 6, 2)
    """
    data_format = data_format_of(data_format, "conv_transpose")
    xs, ks = _check_operands("conv_transpose", inputs, kernel, data_format)
    rank = len(xs) - 2
    strides = int_tuple(strides, rank, "strides", "conv_transpose")
    dilation = int_tuple(dilation_rate, rank, "dilation_rate", "conv_transpose")
    padding = padding_of(padding, "conv_transpose")
    channels = _channels(xs, data_format)
    if ks[-1] != channels:
        raise ValueError(
            f"`conv_transpose`: the kernel's last axis ({ks[-1]}, kernel shape {ks}) must equal the input's "
            f"{channels} channels (a transposed kernel is (*kernel_size, filters, in_channels))."
        )
    extra = (None,) * rank if output_padding is None else int_tuple(
        output_padding, rank, "output_padding", "conv_transpose", allow_zero=True)
    pads = tuple(conv_transpose_pads(k, s, d, padding, e) for k, s, d, e in zip(ks[:-2], strides, dilation, extra))
    geo = geometry(_spatial(xs, data_format), ks[:-2], None, pads, strides, dilation, 1, True)
    _check_output("conv_transpose", geo, xs, ks[:-2], strides, padding, dilation)
    return convolve(inputs, kernel, geo, data_format)


def causal_pads(kernel_size, dilation):
    """Explicit pads of a causal 1-D convolution: everything on the left."""
    return ((effective_size(kernel_size, dilation) - 1, 0),)
