"""How a convolution or a pooling window walks over its input: argument checks, padding, output sizes.

Every convolution nanokeras computes is one general form, per spatial axis:

    xd[i * lhs_dilation] = x[i]                 (zeros between: "input dilation")
    xp = xd padded with `lo` zeros before and `hi` after (negative: cropped)
    y[o] = sum_j xp[o * stride + j * rhs_dilation] * w[j]

A plain convolution has `lhs_dilation = 1`; a transposed convolution is the
same form with `lhs_dilation = strides` and a flipped kernel. The gradient of
this form with respect to its input is again this form (`ConvGeometry.dual`),
so forward and backward share one kernel.

Example:
    >>> g = ConvGeometry((5,), (3,), strides=(2,), padding="same")
    >>> g.pads, g.output_shape
    (((1, 1),), (3,))
"""

import math
import numbers

from nanokeras.backend import config


def data_format_of(data_format, caller):
    """`data_format` checked, or the global default (`keras.config.image_data_format()`) when None."""
    if data_format is None:
        return config.image_data_format()
    if not isinstance(data_format, str) or data_format.lower() not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{caller}: `data_format` must be 'channels_last' or 'channels_first', got {data_format!r}."
        )
    return data_format.lower()


def int_tuple(value, rank, argument, caller, allow_zero=False):
    """`value` (an int or `rank` ints) as a tuple of `rank` ints, positive (or >= 0 with `allow_zero`)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        values = (int(value),) * rank
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(
                f"{caller}: `{argument}` must be an int or a tuple of {rank} ints, got {value!r}."
            ) from None
        if len(values) != rank or not all(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in values
        ):
            raise ValueError(
                f"{caller}: `{argument}` must be an int or a tuple of {rank} ints, got {value!r}."
            )
        values = tuple(int(v) for v in values)
    smallest = 0 if allow_zero else 1
    if any(v < smallest for v in values):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{caller}: `{argument}` must contain {kind} ints, got {argument}={value!r}.")
    return values


def padding_of(padding, caller, allowed=("valid", "same")):
    """`padding` lower-cased and checked against `allowed`."""
    if not isinstance(padding, str) or padding.lower() not in allowed:
        choices = ", ".join(repr(p) for p in allowed)
        raise ValueError(f"{caller}: `padding` must be one of {choices}, got {padding!r}.")
    return padding.lower()


def effective_size(kernel_size, dilation):
    """How many input positions a dilated kernel spans."""
    return (kernel_size - 1) * dilation + 1


def same_pads(size, kernel_size, stride, dilation=1):
    """`(lo, hi)` for "same" padding: `ceil(size / stride)` outputs, the odd zero at the end."""
    span = effective_size(kernel_size, dilation)
    out = -(-size // stride)
    total = max((out - 1) * stride + span - size, 0)
    return total // 2, total - total // 2


def conv_transpose_pads(kernel_size, stride, dilation, padding, output_padding):
    """`(lo, hi)` of the equivalent dilated-input convolution of a transposed convolution, as Keras sets them."""
    span = effective_size(kernel_size, dilation)
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return span - 1, span - 1 + extra
    total = stride + span - 2 if output_padding is None else span + span % 2 - 2 + output_padding
    lo = min(total // 2 + total % 2, span - 1)
    return lo, total - lo


def output_size(size, kernel_size, stride, pads, lhs_dilation=1, dilation=1):
    """The number of windows along one axis (may be <= 0 when the kernel does not fit)."""
    dilated = (size - 1) * lhs_dilation + 1 if size > 0 else 0
    return (dilated + pads[0] + pads[1] - effective_size(kernel_size, dilation)) // stride + 1


class ConvGeometry:
    """The spatial walk of one convolution (see the module docstring); shapes exclude batch and channels.

    Args:
        input_shape, kernel_shape: spatial sizes of the input and of the kernel.
        strides, lhs_dilation, rhs_dilation: per spatial axis.
        padding: "valid", "same", or explicit `((lo, hi), ...)` per axis.
        groups: the number of channel groups (`feature_group_count`).
        transpose_kernel: the kernel is used flipped, with its in/out channels swapped
            (a transposed convolution, or the input gradient of a convolution).
    """

    __slots__ = ("input_shape", "kernel_shape", "strides", "pads", "lhs_dilation", "rhs_dilation",
                 "groups", "transpose_kernel", "output_shape", "taps", "positions")

    def __init__(self, input_shape, kernel_shape, strides=None, padding="valid", lhs_dilation=None,
                 rhs_dilation=None, groups=1, transpose_kernel=False):
        rank = len(input_shape)
        self.input_shape = tuple(int(s) for s in input_shape)
        self.kernel_shape = tuple(int(k) for k in kernel_shape)
        self.strides = tuple(strides) if strides is not None else (1,) * rank
        self.lhs_dilation = tuple(lhs_dilation) if lhs_dilation is not None else (1,) * rank
        self.rhs_dilation = tuple(rhs_dilation) if rhs_dilation is not None else (1,) * rank
        if padding == "valid":
            pads = ((0, 0),) * rank
        elif padding == "same":
            pads = tuple(same_pads((size - 1) * l + 1, k, s, d) for size, k, s, l, d in zip(
                self.input_shape, self.kernel_shape, self.strides, self.lhs_dilation, self.rhs_dilation))
        else:
            pads = tuple((int(lo), int(hi)) for lo, hi in padding)
        self.pads = pads
        self.groups = int(groups)
        self.transpose_kernel = bool(transpose_kernel)
        self.output_shape = tuple(
            output_size(size, k, s, p, l, d) for size, k, s, p, l, d in zip(
                self.input_shape, self.kernel_shape, self.strides, self.pads, self.lhs_dilation,
                self.rhs_dilation))
        self.taps = math.prod(self.kernel_shape)  # kernel positions
        self.positions = math.prod(self.output_shape)  # output positions per sample

    @property
    def rank(self):
        return len(self.input_shape)

    def padded_shape(self):
        """Spatial sizes of the dilated, padded (or cropped) input the windows walk over."""
        return tuple((size - 1) * l + 1 + lo + hi for size, l, (lo, hi) in zip(
            self.input_shape, self.lhs_dilation, self.pads))

    def is_plain(self):
        """True when the windows read the input itself: no padding, cropping or input dilation."""
        return all(p == (0, 0) for p in self.pads) and all(l == 1 for l in self.lhs_dilation)

    def dual(self):
        """The geometry of the input gradient: `dx = conv(g, w, self.dual())`.

        Output position `o` read input position `i` through kernel tap `j` when
        `o * stride + j * d = i * l + lo`; reading the same relation from `i`'s
        side walks `g` (dilated by `stride`) with stride `l` and the flipped kernel.
        """
        pads = []
        for size, k, s, l, d, (lo, _), out in zip(
                self.input_shape, self.kernel_shape, self.strides, self.lhs_dilation, self.rhs_dilation,
                self.pads, self.output_shape):
            span = effective_size(k, d)
            new_lo = span - 1 - lo
            new_hi = (size - 1) * l + span - ((out - 1) * s + 1) - new_lo
            pads.append((new_lo, new_hi))
        return ConvGeometry(self.output_shape, self.kernel_shape, strides=self.lhs_dilation, padding=pads,
                            lhs_dilation=self.strides, rhs_dilation=self.rhs_dilation, groups=self.groups,
                            transpose_kernel=not self.transpose_kernel)

    def __repr__(self):
        return (f"ConvGeometry(input={self.input_shape}, kernel={self.kernel_shape}, strides={self.strides}, "
                f"pads={self.pads}, lhs_dilation={self.lhs_dilation}, rhs_dilation={self.rhs_dilation}, "
                f"groups={self.groups}, transpose_kernel={self.transpose_kernel})")
