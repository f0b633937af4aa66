"""`keras.ops.image`: closed-form values, shapes, errors, and gradients by finite differences (float64)."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from tests.ops.gradient_check import check_gradients, gradient_of


def _images(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic", "lanczos3", "lanczos5"])
def test_resize_keeps_a_constant_image_constant_and_an_identity_size_unchanged(interpolation):
    x = np.full((2, 5, 7, 3), 0.25, "float32")
    np.testing.assert_allclose(ops.image.resize(x, (9, 4), interpolation), 0.25, rtol=1e-6)
    y = _images((1, 4, 6, 2)).astype("float32")
    np.testing.assert_allclose(ops.image.resize(y, (4, 6), interpolation), y, rtol=1e-6)


def test_resize_bilinear_doubles_as_half_pixel_centres():
    x = np.array([0.0, 4.0], "float32").reshape(1, 1, 2, 1)
    np.testing.assert_allclose(ops.image.resize(x, (1, 4))[0, 0, :, 0], [0.0, 1.0, 3.0, 4.0])
    np.testing.assert_allclose(ops.image.resize(x, (1, 4), "nearest")[0, 0, :, 0], [0.0, 0.0, 4.0, 4.0])


def test_resize_crop_and_pad_to_aspect_ratio():
    x = np.arange(2 * 4, dtype="float32").reshape(1, 2, 4, 1)
    cropped = ops.image.resize(x, (2, 2), "nearest", crop_to_aspect_ratio=True)
    np.testing.assert_array_equal(cropped[0, :, :, 0], x[0, :, 1:3, 0])
    padded = ops.image.resize(x, (4, 4), "nearest", pad_to_aspect_ratio=True, fill_value=-1.0)
    np.testing.assert_array_equal(padded[0, :, :, 0], np.concatenate([np.full((1, 4), -1.0), x[0, :, :, 0],
                                                                      np.full((1, 4), -1.0)]))


@pytest.mark.parametrize("kwargs", [
    dict(interpolation="bilinear"), dict(interpolation="bicubic", antialias=True),
    dict(interpolation="lanczos3", crop_to_aspect_ratio=True), dict(interpolation="nearest"),
    dict(interpolation="bilinear", pad_to_aspect_ratio=True, fill_value=2.0, data_format="channels_first"),
])
@pytest.mark.parametrize("size", [(5, 3), (2, 6)])
def test_resize_gradients(kwargs, size):
    x = _images((2, 3, 4, 2))
    check_gradients(lambda a: ops.image.resize(a, size, **kwargs), x)


def test_resize_second_derivatives():
    x = _images((1, 3, 3, 1))
    square = lambda a: ops.multiply(ops.image.resize(a, (4, 5)), ops.image.resize(a, (4, 5)))  # noqa: E731
    check_gradients(gradient_of(square), x, rtol=1e-4)


def test_single_images_and_integer_images():
    x = np.arange(12, dtype="uint8").reshape(2, 2, 3)
    out = ops.image.resize(x, (4, 4))  # as Keras: rounded back to the images' dtype
    assert out.shape == (4, 4, 3) and out.dtype == np.uint8
    floats = ops.image.resize(x.astype("float32"), (4, 4))
    np.testing.assert_array_equal(out, np.clip(np.round(floats), 0, 255).astype("uint8"))
    assert ops.image.resize(x, (4, 4), "nearest").dtype == np.uint8


@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_affine_identity_and_integer_shift(fill_mode, interpolation):
    x = _images((2, 4, 5, 3)).astype("float32")
    identity = np.array([1, 0, 0, 0, 1, 0, 0, 0], "float32")
    np.testing.assert_allclose(ops.image.affine_transform(x, identity, interpolation, fill_mode), x, rtol=1e-6)
    shift = np.array([1, 0, 2, 0, 1, 0, 0, 0], "float32")  # output x reads input x + 2
    out = ops.image.affine_transform(x, shift, interpolation, fill_mode, fill_value=7.0)
    np.testing.assert_allclose(out[:, :, :3], x[:, :, 2:], rtol=1e-6)
    if fill_mode == "constant":
        np.testing.assert_allclose(out[:, :, 3:], 7.0)
    if fill_mode == "nearest":
        np.testing.assert_allclose(out[:, :, 3:], np.repeat(x[:, :, 4:], 2, axis=2), rtol=1e-6)
    if fill_mode == "wrap":
        np.testing.assert_allclose(out[:, :, 3:], x[:, :, :2], rtol=1e-6)


def test_fill_modes_read_outside_the_image_as_documented():
    row = np.arange(4.0).reshape(1, 4)
    coordinates = [np.zeros(6), np.array([-2.0, -1.0, 4.0, 5.0, 6.0, 1.0])]
    results = {m: ops.image.map_coordinates(row, coordinates, 0, m, fill_value=-1.0).tolist()
               for m in ["constant", "nearest", "wrap", "mirror", "reflect"]}
    assert results["constant"] == [-1, -1, -1, -1, -1, 1]
    assert results["nearest"] == [0, 0, 3, 3, 3, 1]
    assert results["wrap"] == [2, 3, 0, 1, 2, 1]
    assert results["mirror"] == [2, 1, 2, 1, 0, 1]
    assert results["reflect"] == [1, 0, 3, 2, 1, 1]


@pytest.mark.parametrize("fill_mode", ["constant", "reflect", "wrap"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_affine_gradients(fill_mode, data_format):
    x = _images((2, 4, 5, 2))
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1)
    t = np.array([[0.9, -0.31, 0.4, 0.27, 1.1, -0.6, 0, 0], [1.2, 0.1, -0.7, 0.0, 0.8, 0.35, 0, 0]])
    check_gradients(lambda a: ops.image.affine_transform(a, t, "bilinear", fill_mode, 0.5, data_format), x)


def test_projective_transform():
    x = _images((1, 3, 4, 1))
    t = np.array([1, 0, 0, 0, 1, 0, 0.5, 0], "float64")  # k = 1 + x / 2
    out = ops.image.affine_transform(x, t, "bilinear", "constant")
    y_in, x_in = np.meshgrid(np.arange(3.0), np.arange(4.0), indexing="ij")
    k = 1 + x_in / 2
    expected = ops.image.map_coordinates(x[0, :, :, 0], [y_in / k, x_in / k], 1)
    np.testing.assert_allclose(out[0, :, :, 0], expected, rtol=1e-12)


@pytest.mark.parametrize("order", [0, 1])
def test_map_coordinates_gradients(order):
    x = _images((4, 5))
    coordinates = [np.array([[0.3, 1.7], [3.2, -0.4]]), np.array([[1.1, 4.6], [2.5, 0.2]])]
    check_gradients(lambda a: ops.image.map_coordinates(a, coordinates, order, "mirror"), x)


def test_crop_pad_patches_grayscale():
    x = _images((2, 5, 6, 3))
    np.testing.assert_array_equal(ops.image.crop_images(x, 1, 2, None, None, 3, 3), x[:, 1:4, 2:5])
    padded = ops.image.pad_images(x, 1, 0, 2, 3)
    assert padded.shape == (2, 8, 9, 3) and np.sum(padded) == pytest.approx(np.sum(x))
    patches = ops.image.extract_patches(x, (2, 3))
    np.testing.assert_array_equal(patches[1, 1, 1], x[1, 2:4, 3:6].reshape(-1))
    gray = ops.image.rgb_to_grayscale(x)
    np.testing.assert_allclose(gray[..., 0], x @ np.array([0.2989, 0.5870, 0.1140]))
    for fn in (lambda a: ops.image.crop_images(a, 1, 1, 1, 1), lambda a: ops.image.pad_images(a, 1, 2, 0, 1),
               lambda a: ops.image.extract_patches(a, 2, 1, 1, "same")):
        check_gradients(fn, x[:1, :4, :4, :2])


def test_image_ops_on_symbolic_tensors_build_models():
    inputs = keras.Input((6, 8, 3))
    outputs = ops.image.resize(inputs, (3, 4))
    model = keras.Model(inputs, outputs)
    assert model.output.shape == (None, 3, 4, 3)
    assert model.predict(np.ones((2, 6, 8, 3)), verbose=0).shape == (2, 3, 4, 3)


@pytest.mark.parametrize("call,message", [
    (lambda: ops.image.resize(np.ones((2, 2)), (3, 3)), "rank 3"),
    (lambda: ops.image.resize(np.ones((1, 2, 2, 1)), (3,)), "size"),
    (lambda: ops.image.resize(np.ones((1, 2, 2, 1)), (3, 3), "cubic"), "interpolation"),
    (lambda: ops.image.resize(np.ones((1, 2, 2, 1)), (3, 3), crop_to_aspect_ratio=True,
                              pad_to_aspect_ratio=True), "only one"),
    (lambda: ops.image.affine_transform(np.ones((1, 2, 2, 1)), np.ones(6)), "transform"),
    (lambda: ops.image.affine_transform(np.ones((1, 2, 2, 1)), np.ones(8), fill_mode="edge"), "fill_mode"),
    (lambda: ops.image.map_coordinates(np.ones((2, 2)), [np.zeros(1)], 1), "one array per axis"),
    (lambda: ops.image.map_coordinates(np.ones((2, 2)), [np.zeros(1), np.zeros(1)], 3), "order"),
    (lambda: ops.image.crop_images(np.ones((4, 4, 1)), 1, 1), "exactly two"),
    (lambda: ops.image.pad_images(np.ones((4, 4, 1)), 1, 1, None, None, 2, 2), ">= 0"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
