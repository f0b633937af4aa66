"""`keras.ops.image.perspective_transform`, `elastic_transform`, `scale_and_translate`: closed-form values,
gradients against finite differences (float64), symbolic shapes and errors."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from nanokeras.ops import image_warps
from tests.ops.gradient_check import check_gradients, gradient_of

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0.05, 0.95, (2, 5, 6, 3))
CORNERS = np.array([[0, 0], [0, 4], [5, 0], [5, 4]], "float32")
image = ops.image


# ---------------------------------------------------------------- perspective_transform
def test_perspective_identity_and_translation():
    x = IMAGES.astype("float32")
    np.testing.assert_array_equal(image.perspective_transform(x, CORNERS, CORNERS), x)
    moved = image.perspective_transform(x, CORNERS, CORNERS + [2.0, 1.0], fill_value=-1.0)
    np.testing.assert_allclose(moved[:, 1:, 2:], x[:, :-1, :-2], atol=1e-6)
    assert (moved[:, 0] == -1).all() and (moved[:, :, :2] == -1).all()


def test_perspective_homography_of_a_translation_and_of_a_scaling():
    rows = image_warps.homography_rows(CORNERS, CORNERS + [2.0, 1.0])
    np.testing.assert_allclose(rows, [[1, 0, -2, 0, 1, -1, 0, 0]], atol=1e-6)
    rows = image_warps.homography_rows(CORNERS, CORNERS * 2)
    np.testing.assert_allclose(rows, [[0.5, 0, 0, 0, 0.5, 0, 0, 0]], atol=1e-6)


def test_perspective_is_affine_transform_with_the_homography():
    x = IMAGES.astype("float32")
    end = np.stack([CORNERS + [[0.5, 0.2], [0.1, -0.3], [-0.4, 0.0], [0.3, 0.6]], CORNERS * 0.9])
    start = np.stack([CORNERS, CORNERS])
    expected = image.affine_transform(x, image_warps.homography_rows(start, end), "bilinear", "constant", 0.5)
    np.testing.assert_allclose(image.perspective_transform(x, start, end, fill_value=0.5), expected, atol=1e-6)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_perspective_gradients(data_format):
    end = CORNERS + np.array([[0.5, 0.2], [0.1, -0.3], [-0.4, 0.0], [0.3, 0.6]], "float32")
    x = IMAGES if data_format == "channels_last" else IMAGES.transpose(0, 3, 1, 2)
    check_gradients(lambda a: image.perspective_transform(a, CORNERS, end, fill_value=0.3,
                                                          data_format=data_format), x)
    check_gradients(gradient_of(lambda a: image.perspective_transform(a[0], CORNERS, end, data_format=data_format)),
                    x, rtol=1e-4, atol=1e-5)


def test_perspective_keeps_integer_images_and_float64():
    x = (IMAGES * 100).astype("int32")
    out = image.perspective_transform(x, CORNERS, CORNERS + 0.5)
    assert out.dtype == np.int32
    assert image.perspective_transform(IMAGES, CORNERS, CORNERS).dtype == np.float64


# ---------------------------------------------------------------- elastic_transform
def test_elastic_alpha_zero_is_the_identity_and_seeds_repeat():
    x = IMAGES.astype("float32")
    np.testing.assert_allclose(image.elastic_transform(x, alpha=0.0, sigma=1.0, seed=3), x, atol=1e-6)
    a, b = (image.elastic_transform(x, 3.0, 1.0, seed=3) for _ in range(2))
    np.testing.assert_array_equal(a, b)
    assert np.abs(a - x).max() > 0.05
    generator = keras.random.SeedGenerator(4)
    first, second = (image.elastic_transform(x, 3.0, 1.0, seed=generator) for _ in range(2))
    assert np.abs(first - second).max() > 0.01


def test_elastic_displacements_are_blurred_noise_and_the_op_samples_there():
    x = IMAGES.astype("float32")
    y_in, x_in = image_warps.elastic_displacements((2, 5, 6), np.dtype("float32"), 3.0, 1.0, 7)
    noise = np.random.default_rng([7, 0])
    dx = noise.normal(size=(2, 5, 6)).astype("float32")
    dy = noise.normal(size=(2, 5, 6)).astype("float32")
    blurred = image.gaussian_blur(dx[..., None], (7, 7), (1.0, 1.0))[..., 0]  # int(6 sigma) | 1 taps
    np.testing.assert_allclose(x_in - np.arange(6), 3.0 * blurred, atol=1e-5)
    blurred = image.gaussian_blur(dy[..., None], (7, 7), (1.0, 1.0))[..., 0]
    np.testing.assert_allclose(y_in - np.arange(5)[:, None], 3.0 * blurred, atol=1e-5)
    expected = np.stack([np.stack([image.map_coordinates(x[b, :, :, c], [y_in[b], x_in[b]], 1, "reflect")
                                   for c in range(3)], -1) for b in range(2)])
    np.testing.assert_allclose(image.elastic_transform(x, 3.0, 1.0, seed=7), expected, atol=1e-6)


@pytest.mark.parametrize("fill_mode, data_format", [("reflect", "channels_last"), ("constant", "channels_first"),
                                                    ("wrap", "channels_last")])
def test_elastic_gradients(fill_mode, data_format):
    x = IMAGES if data_format == "channels_last" else IMAGES.transpose(0, 3, 1, 2)
    check_gradients(lambda a: image.elastic_transform(a, 2.0, 1.0, fill_mode=fill_mode, fill_value=0.2, seed=5,
                                                      data_format=data_format), x)
    check_gradients(lambda a: image.elastic_transform(a, 2.0, 0.8, seed=6), IMAGES[0])


# ---------------------------------------------------------------- scale_and_translate
def test_scale_and_translate_closed_forms():
    x = np.arange(9, dtype="float32").reshape(3, 3)
    scale = np.array([2.0, 2.0], "float32")
    out = image.scale_and_translate(x, (5, 5), scale, -(scale / 2 - 0.5), (0, 1), "linear")
    np.testing.assert_allclose(out, np.arange(5)[:, None] * 1.5 + np.arange(5) * 0.5, atol=1e-6)
    ones = np.ones(2, "float32")
    for method in ("linear", "cubic", "lanczos3", "lanczos5"):
        np.testing.assert_allclose(image.scale_and_translate(x, (3, 3), ones, 0 * ones, (0, 1), method), x, atol=1e-5)
    # A whole-pixel translation shifts; samples from outside the input are 0.
    shifted = image.scale_and_translate(x, (3, 3), ones, np.array([1.0, 0.0], "float32"), (0, 1), "linear")
    np.testing.assert_allclose(shifted, [[0, 0, 0], [0, 1, 2], [3, 4, 5]], atol=1e-6)


def test_scale_and_translate_antialias_averages_when_shrinking():
    x = np.arange(8, dtype="float32")
    half = np.array([0.5], "float32")
    out = image.scale_and_translate(x, (4,), half, np.zeros(1, "float32"), (0,), "linear", antialias=True)
    # The triangle widened to 2 pixels: weights 1/8, 3/8, 3/8, 1/8 around each centre (edges renormalised).
    np.testing.assert_allclose(out[1:3], [(1 + 3 * 2 + 3 * 3 + 4) / 8, (3 + 3 * 4 + 3 * 5 + 6) / 8], atol=1e-5)
    plain = image.scale_and_translate(x, (4,), half, np.zeros(1, "float32"), (0,), "linear", antialias=False)
    np.testing.assert_allclose(plain, [0.5, 2.5, 4.5, 6.5], atol=1e-5)


def test_scale_and_translate_dtypes_and_other_axes():
    x = rng.uniform(size=(2, 4, 5, 3))
    out = image.scale_and_translate(x, (2, 6, 3, 3), np.array([1.5, 0.6]), np.array([0.0, 0.2]), (1, 2), "cubic")
    assert out.shape == (2, 6, 3, 3) and out.dtype == np.float64
    for b in range(2):  # each image and channel on its own
        one = image.scale_and_translate(x[b, :, :, 1], (6, 3), np.array([1.5, 0.6]), np.array([0.0, 0.2]), (0, 1),
                                        "cubic")
        np.testing.assert_allclose(out[b, :, :, 1], one, atol=1e-12)
    ints = image.scale_and_translate(np.arange(6, dtype="int32").reshape(2, 3), (2, 3), np.ones(1), np.zeros(1),
                                     (-1,), "linear")
    assert ints.dtype == np.float32


@pytest.mark.parametrize("method, antialias", [("linear", True), ("bicubic", True), ("lanczos3", False)])
def test_scale_and_translate_gradients(method, antialias):
    scale, translation = np.array([0.7, 1.6]), np.array([0.3, -0.4])
    fn = lambda a: image.scale_and_translate(a, (2, 4, 9, 3), scale, translation, (1, 2), method, antialias)  # noqa: E731
    check_gradients(fn, IMAGES)
    check_gradients(gradient_of(fn), IMAGES, rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------- symbolic tensors
def test_symbolic_shapes():
    inputs = keras.Input((5, 6, 3))
    assert image.perspective_transform(inputs, CORNERS, CORNERS).shape == (None, 5, 6, 3)
    assert image.elastic_transform(inputs, seed=1).shape == (None, 5, 6, 3)
    out = image.scale_and_translate(inputs, (None, 3, 4, 3), np.ones(2), np.zeros(2), (1, 2), "linear")
    assert out.shape == (None, 3, 4, 3)
    model = keras.Model(inputs, image.perspective_transform(inputs, CORNERS, CORNERS + 1.0))
    x = IMAGES[:1].astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), image.perspective_transform(x, CORNERS, CORNERS + 1.0))


# ---------------------------------------------------------------- errors
ERRORS = [
    (lambda: image.perspective_transform(IMAGES[0, 0], CORNERS, CORNERS), ValueError, "images"),
    (lambda: image.perspective_transform(IMAGES, CORNERS[:3], CORNERS[:3]), ValueError, "start_points"),
    (lambda: image.perspective_transform(IMAGES, CORNERS, CORNERS[None].repeat(2, 0)), ValueError, "end_points"),
    (lambda: image.perspective_transform(IMAGES, CORNERS, CORNERS, interpolation="cubic"), ValueError,
     "interpolation"),
    (lambda: image.perspective_transform(IMAGES, CORNERS, CORNERS, data_format="hwc"), ValueError, "data_format"),
    (lambda: image.perspective_transform(IMAGES, CORNERS, np.zeros((4, 2))), ValueError, "perspective map"),
    (lambda: image.perspective_transform(IMAGES, np.stack([CORNERS] * 3), np.stack([CORNERS] * 3)), ValueError,
     "one per image"),
    (lambda: image.elastic_transform(IMAGES, fill_mode="edge"), ValueError, "fill_mode"),
    (lambda: image.elastic_transform(IMAGES, interpolation="bicubic"), ValueError, "interpolation"),
    (lambda: image.elastic_transform(IMAGES, sigma=0.0), ValueError, "sigma"),
    (lambda: image.elastic_transform(IMAGES, alpha=np.ones(2)), ValueError, "alpha"),
    (lambda: image.elastic_transform(IMAGES, seed="a"), ValueError, "seed"),
    (lambda: image.elastic_transform(IMAGES.astype("int32")), TypeError, "float images"),
    (lambda: image.elastic_transform(IMAGES[0, 0]), ValueError, "rank 3"),
    (lambda: image.scale_and_translate(IMAGES, (2, 5, 6, 3), np.ones(2), np.zeros(2), (1, 2), "nearest"), ValueError,
     "method"),
    (lambda: image.scale_and_translate(IMAGES, (5, 6, 3), np.ones(2), np.zeros(2), (1, 2), "linear"), ValueError,
     "output_shape"),
    (lambda: image.scale_and_translate(IMAGES, (2, 5, 6, 3), np.ones(3), np.zeros(2), (1, 2), "linear"), ValueError,
     "scale"),
    (lambda: image.scale_and_translate(IMAGES, (2, 5, 6, 3), np.ones(2), np.zeros(1), (1, 2), "linear"), ValueError,
     "translation"),
    (lambda: image.scale_and_translate(IMAGES, (2, 5, 6, 3), np.ones(2), np.zeros(2), (1, 7), "linear"), ValueError,
     "spatial_dims"),
    (lambda: image.scale_and_translate(IMAGES, (2, 5, 6, 4), np.ones(2), np.zeros(2), (1, 2), "linear"), ValueError,
     "keep its size"),
    (lambda: image.scale_and_translate(IMAGES, (2, 5, 6, 3), np.zeros(2), np.zeros(2), (1, 2), "linear"), ValueError,
     "scale"),
]


@pytest.mark.parametrize("call, kind, words", ERRORS)
def test_bad_arguments_raise_clear_errors(call, kind, words):
    with pytest.raises(kind, match=words):
        call()
