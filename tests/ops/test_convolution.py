"""`keras.ops` convolutions: values against a direct sum, gradients against finite differences (float64).

The reference is the definition itself, `y[n, o, f] = sum_{j, c} xp[n, o * s + j * d, c] w[j, c, f]`,
computed with explicit index arithmetic over small arrays.
"""

import itertools

import numpy as np
import pytest

from nanokeras import ops
from nanokeras.ops.convolution_geometry import same_pads
from tests.ops.gradient_check import check_gradients, gradient_of


def _rng(seed=0):
    return np.random.default_rng(seed)


def reference_conv(x, w, strides, padding, dilation, groups=1):
    """A direct N-D grouped convolution, channels last (slow, obviously right)."""
    rank = x.ndim - 2
    kernel = w.shape[:rank]
    pads = []
    for size, k, s, d in zip(x.shape[1:-1], kernel, strides, dilation):
        pads.append(same_pads(size, k, s, d) if padding == "same" else (0, 0))
    xp = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    out_sizes = [(p - ((k - 1) * d + 1)) // s + 1 for p, k, s, d in zip(xp.shape[1:-1], kernel, strides, dilation)]
    per_group_in, filters = w.shape[-2], w.shape[-1]
    per_group_out = filters // groups
    out = np.zeros((x.shape[0],) + tuple(out_sizes) + (filters,))
    for o in itertools.product(*[range(n) for n in out_sizes]):
        for j in itertools.product(*[range(k) for k in kernel]):
            pos = tuple(oi * s + ji * d for oi, ji, s, d in zip(o, j, strides, dilation))
            patch = xp[(slice(None),) + pos]  # (batch, channels)
            for g in range(groups):
                block = patch[:, g * per_group_in:(g + 1) * per_group_in]
                out[(slice(None),) + o + (slice(g * per_group_out, (g + 1) * per_group_out),)] += (
                    block @ w[j][:, g * per_group_out:(g + 1) * per_group_out])
    return out


CONFIGS = [
    # rank, spatial, kernel, strides, padding, dilation, groups
    (1, (7,), (3,), 1, "valid", 1, 1),
    (1, (8,), (2,), 3, "same", 1, 1),
    (1, (9,), (3,), 1, "same", 2, 2),
    (2, (5, 6), (3, 2), (2, 1), "valid", 1, 1),
    (2, (5, 5), (3, 3), 2, "same", 1, 2),
    (2, (6, 5), (2, 3), 1, "same", (2, 1), 1),
    (2, (4, 4), (1, 1), 1, "valid", 1, 1),
    (3, (3, 4, 3), (2, 2, 2), 1, "same", 1, 1),
    (3, (4, 3, 5), (2, 1, 3), (1, 2, 2), "valid", 1, 2),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank,spatial,kernel,strides,padding,dilation,groups", CONFIGS)
def test_conv_values_match_the_definition(rank, spatial, kernel, strides, padding, dilation, groups, data_format):
    x = _rng().standard_normal((2,) + spatial + (4,))
    w = _rng(1).standard_normal(kernel + (4 // groups, 6))
    expected = reference_conv(x, w, np.broadcast_to(strides, (rank,)), padding, np.broadcast_to(dilation, (rank,)),
                              groups)
    xin = x if data_format == "channels_last" else np.moveaxis(x, -1, 1)
    out = ops.conv(xin, w, strides, padding, data_format, dilation)
    if data_format == "channels_first":
        out = np.moveaxis(out, 1, -1)
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank,spatial,kernel,strides,padding,dilation,groups", CONFIGS[:7])
def test_conv_gradients(rank, spatial, kernel, strides, padding, dilation, groups, data_format):
    x = _rng().standard_normal((2,) + spatial + (2 * groups,))
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1)
    w = _rng(1).standard_normal(kernel + (2, 2 * groups))
    check_gradients(lambda a, b: ops.conv(a, b, strides, padding, data_format, dilation), x, w)


def test_conv3d_gradients():
    x = _rng().standard_normal((1, 3, 4, 3, 2))
    w = _rng(1).standard_normal((2, 2, 2, 2, 2))
    check_gradients(lambda a, b: ops.conv(a, b, (1, 2, 1), "same"), x, w)


@pytest.mark.parametrize("strides,padding,output_padding,dilation", [
    (1, "valid", None, 1), (2, "same", None, 1), (3, "valid", 1, 1), (2, "same", 1, 1), (1, "same", None, 2),
    (2, "valid", 0, 1),
])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_conv_transpose_is_the_input_gradient_of_conv_and_has_gradients(strides, padding, output_padding, dilation,
                                                                         data_format):
    x = _rng().standard_normal((2, 3, 4, 2))
    w = _rng(1).standard_normal((3, 2, 3, 2))  # (*kernel, filters, in_channels)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1)
    check_gradients(lambda a, b: ops.conv_transpose(a, b, strides, padding, output_padding, data_format, dilation),
                    x, w)


def test_conv_transpose_equals_the_gradient_of_conv():
    # <conv(x, w), y> = <x, conv_transpose(y, w)> when the shapes line up (stride 2, "same", even sizes).
    x = _rng().standard_normal((2, 6, 6, 3))
    w = _rng(1).standard_normal((3, 3, 3, 4))
    y = _rng(2).standard_normal((2, 3, 3, 4))
    lhs = np.sum(ops.conv(x, w, 2, "same") * y)
    rhs = np.sum(x * ops.conv_transpose(y, w, 2, "same"))  # kernel (*k, filters=3, in=4)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-10)


@pytest.mark.parametrize("strides,padding,dilation", [(1, "valid", 1), (2, "same", 1), (1, "same", 2)])
def test_depthwise_and_separable_gradients(strides, padding, dilation):
    x = _rng().standard_normal((2, 5, 4, 3))
    d = _rng(1).standard_normal((3, 2, 3, 2))
    p = _rng(2).standard_normal((1, 1, 6, 2))
    check_gradients(lambda a, b: ops.depthwise_conv(a, b, strides, padding, dilation_rate=dilation), x, d)
    check_gradients(lambda a, b, c: ops.separable_conv(a, b, c, strides, padding, dilation_rate=dilation), x, d, p)


def test_depthwise_conv_is_a_grouped_conv():
    x = _rng().standard_normal((2, 5, 5, 3))
    d = _rng(1).standard_normal((3, 3, 3, 2))
    grouped = ops.conv(x, d.reshape(3, 3, 1, 6))
    np.testing.assert_allclose(ops.depthwise_conv(x, d), grouped, rtol=1e-12)


@pytest.mark.parametrize("op", ["conv", "conv_transpose", "depthwise"])
def test_second_derivatives(op):
    x = _rng().standard_normal((1, 4, 3, 2))
    w = _rng(1).standard_normal((2, 2, 2, 2))
    fn = {
        "conv": lambda a, b: ops.conv(a, b, 2, "same"),
        "conv_transpose": lambda a, b: ops.conv_transpose(a, b, 2, "same"),
        "depthwise": lambda a, b: ops.depthwise_conv(a, b, 1, "same"),
    }[op]
    square = lambda a, b: ops.multiply(fn(a, b), fn(a, b))  # noqa: E731  (nonlinear: second derivatives not zero)
    check_gradients(gradient_of(square, wrt=0), x, w, rtol=1e-4, atol=1e-6)
    check_gradients(gradient_of(square, wrt=1), x, w, rtol=1e-4, atol=1e-6)


def test_float32_stays_float32_and_integer_inputs_follow_the_kernel():
    x = np.arange(2 * 5 * 5, dtype="int32").reshape(2, 5, 5, 1)
    w = np.ones((3, 3, 1, 2), "float32")
    out = ops.conv(x, w)
    assert out.dtype == np.float32
    assert out[0, 0, 0, 0] == np.sum(x[0, :3, :3, 0])


def test_the_default_data_format_follows_keras_config():
    import nanokeras as keras

    x = np.ones((1, 2, 5, 5), "float32")
    w = np.ones((3, 3, 2, 4), "float32")
    keras.config.set_image_data_format("channels_first")
    try:
        assert ops.conv(x, w).shape == (1, 4, 3, 3)
    finally:
        keras.config.set_image_data_format("channels_last")


@pytest.mark.parametrize("activation_name", ["linear", "relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_fused_bias_activation_equals_the_three_ops_and_has_gradients(activation_name, data_format):
    from nanokeras import activations
    from nanokeras.ops import convolution

    x = np.random.default_rng(0).standard_normal((2, 5, 4, 3))
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1)
    w = np.random.default_rng(1).standard_normal((3, 3, 3, 2))
    b = np.random.default_rng(2).standard_normal(2)
    spatial = x.shape[1:3] if data_format == "channels_last" else x.shape[2:]
    geo = convolution.geometry(spatial, (3, 3), (1, 1), "same", None, (1, 1), 1, False)
    activation = activations.get(activation_name)

    def fused(a, k, c):
        return convolution.convolve_bias_activation(a, k, c, geo, data_format, activation_name, activation)

    def unfused(a, k, c):
        bias = c if data_format == "channels_last" else ops.reshape(c, (-1, 1, 1))
        return activation(ops.add(convolution.convolve(a, k, geo, data_format), bias))

    np.testing.assert_array_equal(fused(x, w, b), unfused(x, w, b))
    check_gradients(fused, x, w, b)
    check_gradients(gradient_of(lambda a, k, c: ops.multiply(fused(a, k, c), fused(a, k, c)), wrt=1), x, w, b,
                    rtol=1e-4)


@pytest.mark.parametrize("call,message", [
    (lambda: ops.conv(np.ones((2, 5)), np.ones((3, 5, 1))), "rank >= 3"),
    (lambda: ops.conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3))), "kernel must have rank 4"),
    (lambda: ops.conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 2, 4))), "multiple of the kernel's input channels"),
    (lambda: ops.conv(np.ones((1, 5, 5, 4)), np.ones((3, 3, 2, 3))), "multiple of the number of groups"),
    (lambda: ops.conv(np.ones((1, 2, 2, 1)), np.ones((3, 3, 1, 1))), "does not fit"),
    (lambda: ops.conv(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), padding="full"), "padding"),
    (lambda: ops.conv(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), strides=0), "strides"),
    (lambda: ops.conv(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), strides=(1, 2, 3)), "tuple of 2 ints"),
    (lambda: ops.conv(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), data_format="NHWC"), "data_format"),
    (lambda: ops.depthwise_conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 2, 1))), "channel axis"),
    (lambda: ops.separable_conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 1)), np.ones((1, 1, 2, 4))),
     "pointwise kernel"),
    (lambda: ops.conv_transpose(np.ones((1, 5, 5, 3)), np.ones((3, 3, 2, 2))), "last axis"),
    (lambda: ops.max_pool(np.ones((1, 2, 2, 1)), 3), "larger than the input"),
    (lambda: ops.max_pool(np.ones((1, 4, 4, 1)), 0), "pool_size"),
    (lambda: ops.average_pool(np.ones((4, 4)), 2), "rank >= 3"),
])
def test_bad_arguments_get_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("x, kernel, fix", [
    (np.ones((5, 3)), np.ones((2, 3, 4)), "x[None]"),  # one sequence of 5 steps, 3 channels
    (np.ones((2, 5)), np.ones((2, 1, 4)), "x[..., None]"),  # two sequences of 5 steps, no channel axis
    (np.ones((5, 5)), np.ones((3, 3, 1, 4)), "x[None, ..., None]"),  # one image, no batch nor channel axis
])
def test_the_missing_axes_advice_fits_the_kernel(x, kernel, fix):
    with pytest.raises(ValueError) as caught:
        ops.conv(x, kernel)
    assert f"`{fix}`" in str(caught.value)
    if fix != "x[None, ..., None]":  # 1-D inputs: either axis could be the missing one
        assert "`x[None]`" in str(caught.value) and "`x[..., None]`" in str(caught.value)
    assert ops.conv(eval(fix, {"x": x}), kernel).ndim == kernel.ndim
