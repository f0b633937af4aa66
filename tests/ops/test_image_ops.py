"""`keras.ops.image` color conversions, filters, SSIM and 3-D patches: values, gradients, errors."""

import numpy as np
import pytest

from nanokeras import ops
from tests.ops.gradient_check import check_gradients, gradient_of

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0.05, 0.95, (2, 5, 6, 3))
image = ops.image

CASES = [
    ("rgb_to_hsv", image.rgb_to_hsv, [IMAGES]),
    ("rgb_to_hsv_first", lambda x: image.rgb_to_hsv(x, data_format="channels_first"), [IMAGES.transpose(0, 3, 1, 2)]),
    ("hsv_to_rgb", image.hsv_to_rgb, [IMAGES[0]]),
    ("gaussian_blur", lambda x: image.gaussian_blur(x, (3, 5), (1.0, 2.0)), [IMAGES]),
    ("gaussian_blur_first", lambda x: image.gaussian_blur(x, 3, 0.8, data_format="channels_first"), [IMAGES[0].transpose(2, 0, 1)]),
    ("sobel_edges", image.sobel_edges, [IMAGES]),
    ("ssim", lambda a, b: image.ssim(a, b, filter_size=3), [IMAGES, IMAGES[::-1].copy()]),
    ("extract_patches_3d", lambda x: image.extract_patches_3d(x, 2), [rng.uniform(-1, 1, (1, 4, 4, 4, 2))]),
    ("extract_patches_3d_same", lambda x: image.extract_patches_3d(x, (2, 3, 2), strides=(1, 2, 2), padding="same"),
     [rng.uniform(-1, 1, (3, 4, 5, 1))]),
]


@pytest.mark.parametrize("fn,inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradients_match_finite_differences(fn, inputs):
    check_gradients(fn, *inputs)


@pytest.mark.parametrize("name", ["rgb_to_hsv", "ssim"])
def test_second_derivatives(name):
    fn, inputs = {c[0]: c[1:] for c in CASES}[name]
    check_gradients(gradient_of(fn), *inputs, rtol=1e-4, atol=1e-5)


def test_color_conversions_round_trip_and_match_colorsys():
    import colorsys

    hsv = image.rgb_to_hsv(IMAGES)
    np.testing.assert_allclose(image.hsv_to_rgb(hsv), IMAGES, atol=1e-12)
    for rgb, expected in zip(IMAGES.reshape(-1, 3), hsv.reshape(-1, 3)):
        np.testing.assert_allclose(colorsys.rgb_to_hsv(*rgb), expected, atol=1e-12)


def test_filters_match_direct_sums():
    x = IMAGES[0, :, :, 0]
    padded = np.pad(x, 1)
    expected_dy = sum(w * padded[i:i + 5, j:j + 6] for (i, j), w in np.ndenumerate(
        np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])))
    edges = image.sobel_edges(IMAGES[:1])
    np.testing.assert_allclose(edges[0, :, :, 0, 0], expected_dy, atol=1e-12)
    blurred = image.gaussian_blur(IMAGES, (3, 3), (1.0, 1.0))
    g = np.exp(-0.5 * np.array([-1.0, 0.0, 1.0]) ** 2)
    g /= g.sum()
    direct = sum(g[i] * g[j] * padded[i:i + 5, j:j + 6] for i in range(3) for j in range(3))
    np.testing.assert_allclose(blurred[0, :, :, 0], direct, atol=1e-12)


def test_ssim_is_one_for_identical_images_and_lower_otherwise():
    assert ops.image.ssim(IMAGES, IMAGES, filter_size=3).tolist() == pytest.approx([1.0, 1.0])
    noisy = IMAGES + rng.normal(0, 0.2, IMAGES.shape)
    assert (ops.image.ssim(IMAGES, noisy, filter_size=3) < 0.9).all()
    assert np.shape(ops.image.ssim(IMAGES[0], IMAGES[1], filter_size=3)) == ()


def test_extract_patches_3d_layout():
    volume = np.arange(2 * 4 * 4 * 4 * 3, dtype="float64").reshape(2, 4, 4, 4, 3)
    patches = image.extract_patches_3d(volume, 2)
    assert patches.shape == (2, 2, 2, 2, 24)
    np.testing.assert_array_equal(patches[1, 1, 0, 1], volume[1, 2:4, 0:2, 2:4, :].reshape(-1))
    first = image.extract_patches_3d(volume.transpose(0, 4, 1, 2, 3), 2, data_format="channels_first")
    np.testing.assert_array_equal(first, patches.transpose(0, 4, 1, 2, 3))


@pytest.mark.parametrize("call,match", [
    (lambda: image.rgb_to_hsv(np.ones((4, 4, 3), "int32")), "float"),
    (lambda: image.rgb_to_hsv(np.ones((4, 3))), "rank 3"),
    (lambda: image.hsv_to_rgb(np.ones((4, 4, 2))), "3 channels"),
    (lambda: image.gaussian_blur(np.ones((4, 4, 3)), data_format="hwc"), "data_format"),
    (lambda: image.ssim(np.ones((4, 4, 1)), np.ones((5, 4, 1)), filter_size=3), "one shape"),
    (lambda: image.ssim(np.ones((4, 4, 1)), np.ones((4, 4, 1))), "larger than the images"),
    (lambda: image.extract_patches_3d(np.ones((4, 4, 4)), 2), "rank 4 or 5"),
    (lambda: image.extract_patches_3d(np.ones((1, 4, 4, 4, 1)), 2, padding="full"), "padding"),
])
def test_bad_arguments_are_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
