"""keras.ops.adaptive_average_pool / adaptive_max_pool and the Adaptive*Pooling layers: closed-form
values, finite-difference gradients (float64), errors, and the layers' config and compiled step."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from tests.ops.gradient_check import check_gradients

RNG = np.random.default_rng(0)


def test_windows_follow_floor_and_ceil_bins():
    x = np.arange(10, dtype="float32").reshape(1, 10, 1)
    # bins [0,3) [2,5) [5,8) [7,10): three elements each
    np.testing.assert_allclose(ops.adaptive_average_pool(x, 4)[0, :, 0], [1.0, 3.0, 6.0, 8.0])
    np.testing.assert_allclose(ops.adaptive_max_pool(x, 4)[0, :, 0], [2.0, 4.0, 7.0, 9.0])
    # more outputs than inputs: windows overlap, as upsampling
    y = np.array([1.0, 5.0, 3.0], "float32").reshape(1, 3, 1)
    np.testing.assert_allclose(ops.adaptive_max_pool(y, 5)[0, :, 0], [1.0, 5.0, 5.0, 5.0, 3.0])
    np.testing.assert_allclose(ops.adaptive_average_pool(y, 5)[0, :, 0], [1.0, 3.0, 5.0, 4.0, 3.0])
    # output size = input size is the identity; 1 is the global pool
    z = RNG.normal(size=(2, 4, 5, 3)).astype("float32")
    np.testing.assert_allclose(ops.adaptive_average_pool(z, (4, 5)), z, rtol=1e-6)
    np.testing.assert_allclose(ops.adaptive_average_pool(z, 1)[:, 0, 0], z.mean(axis=(1, 2)), rtol=1e-5)
    np.testing.assert_allclose(ops.adaptive_max_pool(z, 1)[:, 0, 0], z.max(axis=(1, 2)))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_channels_first_is_the_transposed_channels_last(data_format):
    x = RNG.normal(size=(2, 7, 9, 3)).astype("float32")
    expected = ops.adaptive_average_pool(x, (3, 4), data_format="channels_last")
    if data_format == "channels_first":
        got = np.moveaxis(ops.adaptive_average_pool(np.moveaxis(x, -1, 1), (3, 4), data_format=data_format), 1, -1)
    else:
        got = expected
    np.testing.assert_allclose(got, expected, rtol=1e-6)


@pytest.mark.parametrize("op", [ops.adaptive_average_pool, ops.adaptive_max_pool])
@pytest.mark.parametrize("shape, output_size, data_format", [
    ((2, 7, 3), 3, "channels_last"), ((1, 3, 2), 5, "channels_last"), ((2, 5, 6, 2), (2, 4), "channels_last"),
    ((1, 2, 5, 4), (3, 2), "channels_first"), ((1, 4, 3, 5, 2), (2, 2, 3), "channels_last"),
])
def test_gradients_match_finite_differences(op, shape, output_size, data_format):
    x = RNG.normal(size=shape)
    check_gradients(lambda t: op(t, output_size, data_format=data_format), x)


def test_bad_arguments_are_named():
    x = np.ones((1, 4, 4, 2), "float32")
    with pytest.raises(ValueError, match="output_size"):
        ops.adaptive_average_pool(x, (2, 2, 2))
    with pytest.raises(ValueError, match="rank 3, 4 or 5"):
        ops.adaptive_max_pool(np.ones((4, 4)), 2)
    with pytest.raises(ValueError, match="data_format"):
        ops.adaptive_max_pool(x, 2, data_format="NHWC")
    with pytest.raises(TypeError, match=r"\(height, width\) tuple"):
        keras.layers.AdaptiveAveragePooling2D((2, 2, 2))
    with pytest.raises(ValueError, match="positive"):
        keras.layers.AdaptiveMaxPooling1D(0)


@pytest.mark.parametrize("name, input_shape, output_size, expected", [
    ("AdaptiveAveragePooling1D", (10, 3), 4, (None, 4, 3)),
    ("AdaptiveMaxPooling2D", (7, 9, 3), (2, 3), (None, 2, 3, 3)),
    ("AdaptiveAveragePooling3D", (5, 6, 7, 2), 2, (None, 2, 2, 2, 2)),
])
def test_layers_shapes_config_and_compiled_training(name, input_shape, output_size, expected):
    layer = getattr(keras.layers, name)(output_size)
    assert layer.compute_output_shape((None,) + input_shape) == expected
    config = layer.get_config()
    assert config["output_size"] == expected[1:-1] and config["data_format"] == "channels_last"
    assert getattr(keras.layers, name).from_config(config).output_size == layer.output_size
    model = keras.Sequential([keras.Input(input_shape), keras.layers.Dense(2), layer, keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    assert model.output_shape == (None, 1)
    model.compile("sgd", "mse")
    x = RNG.normal(size=(6,) + input_shape).astype("float32")
    model.fit(x, np.zeros((6, 1), "float32"), batch_size=3, epochs=2, verbose=0)
    assert model.compiled_step_reason == {}
