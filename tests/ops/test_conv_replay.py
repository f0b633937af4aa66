"""The replay contract for the convolution, pooling, image and spatial ops (see test_replay_contract.py).

Each op is recorded on a tape, its inputs are rewritten in place, the trace is
replayed, and values and gradients must equal a fresh recording bit for bit.
"""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from nanokeras import activations
from nanokeras.ops import convolution, spatial
from tests.ops.test_replay_contract import _check_replay


def _normal(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape)


def _fused(x, k, b, name):
    geo = convolution.geometry((5, 5), (3, 3), (2, 2), "same", None, (1, 1), 1, False)
    return convolution.convolve_bias_activation(x, k, b, geo, "channels_last", name, activations.get(name))


CASES = [
    ("conv2d_same_strided", lambda x, k: ops.conv(x, k, 2, "same"), [(2, 7, 6, 3), (3, 3, 3, 4)]),
    ("conv1d_dilated", lambda x, k: ops.conv(x, k, 1, "valid", dilation_rate=2), [(2, 9, 2), (3, 2, 3)]),
    ("conv2d_groups_channels_first", lambda x, k: ops.conv(x, k, 1, "same", "channels_first"),
     [(2, 4, 5, 5), (3, 3, 2, 6)]),
    ("conv3d", lambda x, k: ops.conv(x, k, (1, 2, 1), "same"), [(1, 4, 5, 4, 2), (2, 2, 2, 2, 3)]),
    ("conv1x1", lambda x, k: ops.conv(x, k), [(2, 3, 3, 4), (1, 1, 4, 2)]),
    ("conv_transpose2d", lambda x, k: ops.conv_transpose(x, k, 2, "same"), [(2, 3, 4, 3), (3, 3, 2, 3)]),
    ("conv_transpose1d_output_padding", lambda x, k: ops.conv_transpose(x, k, 3, "valid", output_padding=1),
     [(2, 4, 2), (2, 3, 2)]),
    ("depthwise_conv", lambda x, k: ops.depthwise_conv(x, k, 1, "same"), [(2, 5, 5, 3), (3, 3, 3, 2)]),
    ("separable_conv", lambda x, d, p: ops.separable_conv(x, d, p, 1, "valid"),
     [(2, 5, 5, 2), (3, 3, 2, 2), (1, 1, 4, 3)]),
    ("conv_bias_relu", lambda x, k, b: _fused(x, k, b, "relu"), [(2, 5, 5, 3), (3, 3, 3, 4), (4,)]),
    ("conv_bias_sigmoid", lambda x, k, b: _fused(x, k, b, "sigmoid"), [(2, 5, 5, 3), (3, 3, 3, 4), (4,)]),
    ("max_pool", lambda x: ops.max_pool(x, 2), [(2, 6, 6, 3)]),
    ("max_pool_overlapping_same", lambda x: ops.max_pool(x, 3, 1, "same"), [(2, 5, 4, 2)]),
    ("average_pool_same", lambda x: ops.average_pool(x, 2, padding="same"), [(2, 5, 5, 2)]),
    ("average_pool_overlapping", lambda x: ops.average_pool(x, 3, 2, data_format="channels_first"),
     [(2, 2, 7, 7)]),
    ("resize_bilinear", lambda x: ops.image.resize(x, (7, 3)), [(2, 4, 5, 2)]),
    ("resize_crop_to_aspect", lambda x: ops.image.resize(x, (4, 4), "bicubic", crop_to_aspect_ratio=True),
     [(2, 6, 9, 1)]),
    ("affine_transform", lambda x: ops.image.affine_transform(
        x, np.array([0.9, -0.2, 1.0, 0.2, 0.9, -0.5, 0, 0], "float32"), fill_mode="reflect"), [(2, 5, 6, 2)]),
    ("map_coordinates", lambda x: ops.image.map_coordinates(
        x, [np.array([0.5, 2.2, 3.9]), np.array([1.5, -0.5, 2.0])], 1), [(5, 4)]),
    ("extract_patches", lambda x: ops.image.extract_patches(x, 2), [(2, 4, 4, 2)]),
    ("zero_pad", lambda x: spatial.zero_pad(x, ((1, 2), (0, 1)), "channels_last"), [(2, 3, 3, 2)]),
    ("crop", lambda x: spatial.crop(x, ((1, 0), (1, 1)), "channels_first"), [(2, 2, 4, 5)]),
    ("repeat_spatial", lambda x: spatial.repeat_spatial(x, (2, 3), "channels_last"), [(2, 2, 3, 2)]),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("fn,shapes", [pytest.param(c[1], c[2], id=c[0]) for c in CASES])
def test_op_replays_bit_for_bit(fn, shapes, dtype):
    sources = [keras.Variable(_normal(s, seed=i).astype(dtype), dtype=dtype) for i, s in enumerate(shapes)]
    _check_replay(fn, sources)
