import numpy as np
import pytest

import nanokeras as keras
from nanokeras import GradientTape


def test_flatten_values_shape_and_channels_first():
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    np.testing.assert_array_equal(keras.layers.Flatten()(x), x.reshape(2, 12))
    y = keras.layers.Flatten(data_format="channels_first")(x)
    np.testing.assert_array_equal(y, x.transpose(0, 2, 1).reshape(2, 12))
    assert keras.layers.Flatten().compute_output_shape((None, 3, 4)) == (None, 12)
    assert keras.layers.Flatten().compute_output_shape((None, None, 4)) == (None, None)
    assert keras.layers.Flatten()(np.ones((5,), "float32")).shape == (5, 1)


def test_reshape_infers_minus_one_and_rejects_mismatch():
    x = np.arange(24, dtype="float32").reshape(2, 12)
    layer = keras.layers.Reshape((3, -1))
    np.testing.assert_array_equal(layer(x), x.reshape(2, 3, 4))
    assert layer.compute_output_shape((None, 12)) == (None, 3, 4)
    assert layer.compute_output_shape((None, None)) == (None, 3, None)
    with pytest.raises(ValueError, match="cannot reshape"):
        keras.layers.Reshape((5,))(x)
    for bad in [(-1, -1), (0, 3), "ab", 3]:
        with pytest.raises(ValueError, match="target_shape"):
            keras.layers.Reshape(bad)


def test_permute_and_repeat_vector_values_and_gradients():
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    np.testing.assert_array_equal(keras.layers.Permute((2, 1))(x), x.transpose(0, 2, 1))
    assert keras.layers.Permute((2, 1)).compute_output_shape((None, 3, 4)) == (None, 4, 3)
    with pytest.raises(ValueError, match="dims"):
        keras.layers.Permute((0, 1))
    v = keras.Variable(np.array([[1.0, 2.0]], dtype="float32"))
    with GradientTape() as tape:
        y = keras.layers.RepeatVector(3)(v)
        loss = keras.ops.sum(y * np.arange(6, dtype="float32").reshape(1, 3, 2))
    np.testing.assert_array_equal(y.numpy() if hasattr(y, "numpy") else y, [[[1, 2]] * 3])
    np.testing.assert_allclose(tape.gradient(loss, v), [[0 + 2 + 4, 1 + 3 + 5]])
    assert keras.layers.RepeatVector(3).compute_output_shape((None, 2)) == (None, 3, 2)
    with pytest.raises(TypeError, match="`n`"):
        keras.layers.RepeatVector(2.0)
    with pytest.raises(ValueError, match="`n`"):
        keras.layers.RepeatVector(0)


@pytest.mark.parametrize(
    "layer",
    [
        lambda: keras.layers.Flatten(name="f"),
        lambda: keras.layers.Reshape((2, -1), name="r"),
        lambda: keras.layers.Permute((2, 1), name="p"),
        lambda: keras.layers.RepeatVector(4, name="rv"),
    ],
)
def test_reshaping_config_round_trip(layer):
    layer = layer()
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


def test_reshaping_in_sequential_symbolic_shapes():
    model = keras.Sequential([keras.Input((3, 4)), keras.layers.Flatten(), keras.layers.RepeatVector(2),
                              keras.layers.Permute((2, 1)), keras.layers.Reshape((-1,))])
    assert model.output_shape == (None, 24)
    assert model.predict(np.ones((2, 3, 4), "float32"), verbose=0).shape == (2, 24)
