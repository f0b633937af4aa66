"""`keras.ops` convolutions, pools and image ops against real Keras 3 on JAX: values and gradients."""

import itertools

import numpy as np
import pytest

import nanokeras as nk

TOL = dict(rtol=1e-5, atol=1e-5)


def _compare(keras, ours, theirs, *arrays):
    """Values of `ours(*arrays)` and `theirs(*arrays)`, and the gradients of sum(out * u) for every array."""
    import jax
    import jax.numpy as jnp

    expected = np.asarray(theirs(*arrays))
    got = np.asarray(ours(*arrays))
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, **TOL)
    upstream = np.random.default_rng(9).standard_normal(expected.shape).astype("float32")
    variables = [nk.Variable(a) for a in arrays]
    with nk.GradientTape() as tape:
        loss = nk.ops.sum(nk.ops.multiply(ours(*variables), upstream))
    grads = tape.gradient(loss, variables)
    keras_grads = jax.grad(lambda *a: jnp.sum(theirs(*a) * upstream), argnums=tuple(range(len(arrays))))(
        *[jnp.asarray(a) for a in arrays])
    for g, k in zip(grads, keras_grads):
        np.testing.assert_allclose(np.asarray(g), np.asarray(k), rtol=1e-5, atol=1e-4)


def _images(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


CONV = [(rank, padding, sd, ("channels_last", "channels_first")[i % 2])
        for i, (rank, padding, sd) in enumerate(itertools.product([1, 2], ["valid", "same"], [(1, 1), (2, 1), (1, 2)]))]


@pytest.mark.parametrize("rank,padding,strides_dilation,data_format", CONV)
def test_conv_depthwise_separable(keras, rank, padding, strides_dilation, data_format):
    strides, dilation = strides_dilation
    spatial = (7, 6)[:rank]
    shape = (2,) + spatial + (4,) if data_format == "channels_last" else (2, 4) + spatial
    x = _images(shape)
    for groups in (1, 2):
        k = _images((3,) * rank + (4 // groups, 6), 1)
        _compare(keras, lambda a, b: nk.ops.conv(a, b, strides, padding, data_format, dilation),
                 lambda a, b: keras.ops.conv(a, b, strides, padding, data_format, dilation), x, k)
    d = _images((2,) * rank + (4, 2), 2)
    _compare(keras, lambda a, b: nk.ops.depthwise_conv(a, b, strides, padding, data_format, dilation),
             lambda a, b: keras.ops.depthwise_conv(a, b, strides, padding, data_format, dilation), x, d)
    p = _images((1,) * rank + (8, 3), 3)
    _compare(keras, lambda a, b, c: nk.ops.separable_conv(a, b, c, strides, padding, data_format, dilation),
             lambda a, b, c: keras.ops.separable_conv(a, b, c, strides, padding, data_format, dilation), x, d, p)


@pytest.mark.parametrize("rank,padding,strides,output_padding,data_format", [
    (1, "valid", 2, None, "channels_last"), (1, "same", 3, 1, "channels_first"), (2, "same", 2, None, "channels_last"),
    (2, "valid", (2, 3), (1, 0), "channels_first"), (2, "same", 1, None, "channels_last"),
    (3, "same", 2, 1, "channels_last"),
])
def test_conv_transpose(keras, rank, padding, strides, output_padding, data_format):
    spatial = (4, 3, 2)[:rank]
    shape = (2,) + spatial + (3,) if data_format == "channels_last" else (2, 3) + spatial
    x, k = _images(shape), _images((3,) * rank + (2, 3), 1)
    _compare(keras, lambda a, b: nk.ops.conv_transpose(a, b, strides, padding, output_padding, data_format),
             lambda a, b: keras.ops.conv_transpose(a, b, strides, padding, output_padding, data_format), x, k)


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("rank,pool,strides,padding", [
    (1, 2, 2, "valid"), (1, 3, 1, "same"), (2, 2, 2, "valid"), (2, 3, 2, "same"), (2, (2, 3), (1, 2), "valid"),
    (3, 2, 2, "same"),
])
def test_pools(keras, mode, rank, pool, strides, padding):
    for data_format in (("channels_last", "channels_first")[rank % 2],):
        spatial = (7, 6, 5)[:rank]
        shape = (2,) + spatial + (3,) if data_format == "channels_last" else (2, 3) + spatial
        x = np.maximum(_images(shape), 0)  # ReLU zeros make ties
        ours = getattr(nk.ops, f"{mode}_pool")
        theirs = getattr(keras.ops, f"{mode}_pool")
        _compare(keras, lambda a: ours(a, pool, strides, padding, data_format),
                 lambda a: theirs(a, pool, strides, padding, data_format), x)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic", "lanczos3", "lanczos5"])
@pytest.mark.parametrize("size,options", [((9, 4), dict(crop_to_aspect_ratio=True)),
                                          ((3, 13), dict(antialias=True)),
                                          ((5, 5), dict(pad_to_aspect_ratio=True, fill_value=0.5))])
def test_resize(keras, interpolation, size, options):
    x = _images((2, 6, 7, 3))
    _compare(keras, lambda a: nk.ops.image.resize(a, size, interpolation, **options),
             lambda a: keras.ops.image.resize(a, size, interpolation, **options), x)


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
def test_affine_transform_and_map_coordinates(keras, interpolation, fill_mode):
    rng = np.random.default_rng(5)
    x = _images((3, 6, 7, 2))
    angle, scale = rng.uniform(-1, 1, 3), rng.uniform(0.7, 1.3, 3)
    t = np.stack([scale * np.cos(angle), -scale * np.sin(angle), rng.uniform(-2, 2, 3), scale * np.sin(angle),
                  scale * np.cos(angle), rng.uniform(-2, 2, 3), 0 * angle, 0 * angle], 1).astype("float32")
    for data_format in (("channels_last", "channels_first")[len(fill_mode) % 2],):
        xi = x if data_format == "channels_last" else np.moveaxis(x, -1, 1).copy()
        _compare(keras, lambda a: nk.ops.image.affine_transform(a, t, interpolation, fill_mode, 0.3, data_format),
                 lambda a: keras.ops.image.affine_transform(a, t, interpolation, fill_mode, 0.3, data_format), xi)
    grid = _images((5, 6))
    coordinates = [rng.uniform(-3, 8, (4, 3)).astype("float32") for _ in range(2)]
    order = 0 if interpolation == "nearest" else 1
    _compare(keras, lambda a: nk.ops.image.map_coordinates(a, coordinates, order, fill_mode, 0.2),
             lambda a: keras.ops.image.map_coordinates(a, coordinates, order, fill_mode, 0.2), grid)


def test_patches_crops_pads_grayscale(keras):
    x = _images((2, 7, 8, 3))
    for size, strides, padding in (((2, 3), (1, 2), "same"), (3, None, "valid")):
        _compare(keras, lambda a: nk.ops.image.extract_patches(a, size, strides, 1, padding),
                 lambda a: keras.ops.image.extract_patches(a, size, strides, 1, padding), x)
    _compare(keras, nk.ops.image.rgb_to_grayscale, keras.ops.image.rgb_to_grayscale, x)
    _compare(keras, lambda a: nk.ops.image.pad_images(a, 1, 2, None, 0, 10, None),
             lambda a: keras.ops.image.pad_images(a, 1, 2, None, 0, 10, None), x)
    _compare(keras, lambda a: nk.ops.image.crop_images(a, 1, 2, None, 1, 4, None),
             lambda a: keras.ops.image.crop_images(a, 1, 2, None, 1, 4, None), x)
