"""`keras.ops.image` color conversions, filters, SSIM and 3-D patches against real Keras."""

import numpy as np
import pytest

from tests.parity.ops_parity import check_forward, check_gradients

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0.05, 0.95, (2, 6, 7, 3)).astype("float32")
GREY = rng.uniform(0.05, 0.95, (2, 12, 12, 1)).astype("float32")
VOLUMES = rng.uniform(-1, 1, (1, 4, 5, 4, 2)).astype("float32")

CASES = [
    ("rgb_to_hsv", lambda m, x: m.image.rgb_to_hsv(x), [IMAGES]),
    ("rgb_to_hsv_first", lambda m, x: m.image.rgb_to_hsv(x, data_format="channels_first"),
     [IMAGES.transpose(0, 3, 1, 2).copy()]),
    ("hsv_to_rgb", lambda m, x: m.image.hsv_to_rgb(x), [IMAGES]),
    # Keras 3.15 on JAX needs the data format spelled out (see the test at the end).
    ("gaussian_blur", lambda m, x: m.image.gaussian_blur(x, data_format="channels_last"), [IMAGES]),
    ("gaussian_blur_sizes", lambda m, x: m.image.gaussian_blur(x, (3, 5), (1.0, 2.0), data_format="channels_last"),
     [IMAGES]),
    ("gaussian_blur_first", lambda m, x: m.image.gaussian_blur(x, (5, 3), (0.7, 1.3), data_format="channels_first"),
     [IMAGES.transpose(0, 3, 1, 2).copy()]),
    ("sobel_edges", lambda m, x: m.image.sobel_edges(x), [IMAGES]),
    ("ssim", lambda m, a, b: m.image.ssim(a, b), [GREY, GREY[::-1].copy()]),
    ("ssim_small_window", lambda m, a, b: m.image.ssim(a, b, max_val=2.0, filter_size=3, filter_sigma=0.8),
     [IMAGES, IMAGES[::-1].copy()]),
    ("extract_patches_3d", lambda m, x: m.image.extract_patches_3d(x, 2), [VOLUMES[:, :4, :4, :4]]),
    ("extract_patches_3d_same", lambda m, x: m.image.extract_patches_3d(x, (2, 3, 2), strides=(1, 2, 2),
                                                                       padding="same"), [VOLUMES]),
    ("extract_patches_3d_dilated", lambda m, x: m.image.extract_patches_3d(x, 2, strides=1, dilation_rate=2),
     [VOLUMES]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_values_match_keras(keras, case):
    check_forward(keras, case[1], case[2], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_gradients_match_jax(keras, case):
    check_gradients(keras, case[1], case[2], rtol=1e-4, atol=1e-4)


def test_gaussian_blur_by_default_blurs_height_and_width_where_keras_on_jax_does_not(keras):
    from nanokeras import ops

    x = np.zeros((1, 5, 5, 2), "float32")
    x[0, 2, 2, 0] = 1.0
    ours = ops.image.gaussian_blur(x)
    np.testing.assert_allclose(ours, np.asarray(keras.ops.image.gaussian_blur(x, data_format="channels_last")),
                               rtol=1e-6)
    # Without `data_format`, Keras 3.15's JAX backend takes (1, 5, 5, 2) for channels first.
    assert not np.allclose(ours, np.asarray(keras.ops.image.gaussian_blur(x)))
