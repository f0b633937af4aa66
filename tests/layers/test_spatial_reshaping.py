"""`ZeroPadding*`, `Cropping*`, `UpSampling*`: shapes, values, argument forms, configs and errors."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers


@pytest.mark.parametrize("layer,input_shape,output_shape", [
    (lambda: layers.ZeroPadding1D(), (2, 5, 3), (2, 7, 3)),
    (lambda: layers.ZeroPadding1D((0, 2)), (2, 5, 3), (2, 7, 3)),
    (lambda: layers.ZeroPadding2D(2), (2, 4, 5, 3), (2, 8, 9, 3)),
    (lambda: layers.ZeroPadding2D((1, 2)), (2, 4, 5, 3), (2, 6, 9, 3)),
    (lambda: layers.ZeroPadding2D(((1, 0), (0, 2)), data_format="channels_first"), (2, 3, 4, 5), (2, 3, 5, 7)),
    (lambda: layers.ZeroPadding3D((1, 0, 2)), (1, 2, 3, 4, 1), (1, 4, 3, 8, 1)),
    (lambda: layers.Cropping1D(1), (2, 5, 3), (2, 3, 3)),
    (lambda: layers.Cropping2D(((1, 0), (0, 2))), (2, 4, 5, 3), (2, 3, 3, 3)),
    (lambda: layers.Cropping2D(1, data_format="channels_first"), (2, 3, 4, 5), (2, 3, 2, 3)),
    (lambda: layers.Cropping3D(), (1, 3, 4, 5, 2), (1, 1, 2, 3, 2)),
    (lambda: layers.UpSampling1D(3), (2, 4, 3), (2, 12, 3)),
    (lambda: layers.UpSampling2D((2, 3)), (2, 4, 5, 3), (2, 8, 15, 3)),
    (lambda: layers.UpSampling2D(2, data_format="channels_first", interpolation="bilinear"), (2, 3, 4, 5),
     (2, 3, 8, 10)),
    (lambda: layers.UpSampling3D(), (1, 2, 3, 4, 1), (1, 4, 6, 8, 1)),
])
def test_shapes(layer, input_shape, output_shape):
    layer = layer()
    assert np.shape(layer(np.ones(input_shape, "float32"))) == output_shape
    assert layer.compute_output_shape(input_shape) == output_shape
    assert layer(keras.Input(input_shape[1:])).shape == (None,) + output_shape[1:]


def test_values():
    x = np.arange(6, dtype="float32").reshape(1, 2, 3, 1)
    padded = np.asarray(layers.ZeroPadding2D(((1, 0), (0, 1)))(x))[0, :, :, 0]
    np.testing.assert_array_equal(padded, [[0, 0, 0, 0], [0, 1, 2, 0], [3, 4, 5, 0]])
    np.testing.assert_array_equal(np.asarray(layers.Cropping2D(((0, 1), (1, 1)))(x))[0, :, :, 0], [[1]])
    np.testing.assert_array_equal(np.asarray(layers.UpSampling2D((2, 1))(x))[0, :, :, 0],
                                  [[0, 1, 2], [0, 1, 2], [3, 4, 5], [3, 4, 5]])
    bilinear = np.asarray(layers.UpSampling2D((1, 2), interpolation="bilinear")(x))[0, 0, :, 0]
    np.testing.assert_allclose(bilinear, [0, 0.25, 0.75, 1.25, 1.75, 2])


def test_configs_as_keras_writes_them():
    assert layers.ZeroPadding2D(1).get_config()["padding"] == ((1, 1), (1, 1))
    assert layers.ZeroPadding1D(2).get_config()["padding"] == (2, 2)
    assert layers.Cropping1D(1).get_config()["cropping"] == (1, 1) and "data_format" not in layers.Cropping1D(
        1).get_config()
    assert layers.UpSampling1D(2).get_config()["size"] == 2
    assert layers.UpSampling2D(3).get_config()["size"] == (3, 3)
    for layer in (layers.ZeroPadding3D(2), layers.Cropping2D(((1, 2), (3, 4))), layers.UpSampling3D(2),
                  layers.UpSampling2D(interpolation="bicubic")):
        assert type(layer).from_config(layer.get_config()).get_config() == layer.get_config()


@pytest.mark.parametrize("make,message", [
    (lambda: layers.ZeroPadding2D(-1), "negative"),
    (lambda: layers.ZeroPadding2D((1, 2, 3)), "padding"),
    (lambda: layers.ZeroPadding1D((1, 2, 3)), "padding"),
    (lambda: layers.Cropping2D(((1, 2), (3,))), "cropping"),
    (lambda: layers.UpSampling1D(0), "size"),
    (lambda: layers.UpSampling2D(interpolation="area"), "interpolation"),
    (lambda: layers.UpSampling3D((2, 2)), "size"),
])
def test_bad_configurations(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_cropping_everything_is_refused_naming_the_layer():
    with pytest.raises(ValueError, match="Cropping2D .*removes all"):
        layers.Cropping2D(2)(np.ones((1, 4, 6, 1), "float32"))
    with pytest.raises(ValueError, match="rank 3"):
        layers.ZeroPadding1D()(np.ones((1, 4, 6, 1), "float32"))
