"""`Normalization.mean` / `.variance`: the statistics in use, broadcast to the input's rank (as Keras)."""

import numpy as np
import pytest

import nanokeras as keras


def test_adapted_statistics_have_the_broadcast_shape_and_numpy():
    layer = keras.layers.Normalization()
    layer.adapt(np.array([[1.0, 2.0], [3.0, 6.0]]))
    assert layer.mean.numpy().tolist() == [[2.0, 4.0]]
    assert layer.variance.numpy().tolist() == [[1.0, 4.0]]
    assert layer.mean.shape == (1, 2) and layer.mean.dtype == np.float32
    assert np.asarray(layer.variance).dtype == np.float32
    # Arithmetic as with any tensor, e.g. the standard deviation.
    np.testing.assert_allclose(np.sqrt(layer.variance), [[1.0, 2.0]])
    # The weights are unchanged by this.
    assert [w.name for w in layer.weights] == ["mean", "variance", "count"]
    assert layer.adapt_mean.shape == (2,)


def test_before_build_mean_is_none_and_variance_missing():
    layer = keras.layers.Normalization(mean=[1.0], variance=[2.0])
    assert layer.mean is None
    with pytest.raises(AttributeError, match="variance"):
        layer.variance
    assert not hasattr(keras.layers.Normalization(), "variance")


def test_given_statistics_are_broadcast_once_built():
    layer = keras.layers.Normalization(mean=3.0, variance=2.0)
    layer(np.ones((2, 3, 2), "float32"))
    assert layer.mean.numpy().tolist() == [[[3.0, 3.0]]]
    assert layer.variance.numpy().shape == (1, 1, 2)


@pytest.mark.parametrize("axis, shape", [(None, (1, 1, 1)), ((1, 2), (1, 3, 4)), (1, (1, 3, 1)), (-1, (1, 1, 4))])
def test_statistics_follow_the_kept_axes(axis, shape):
    data = np.arange(24, dtype="float32").reshape(2, 3, 4)
    layer = keras.layers.Normalization(axis=axis)
    layer.adapt(data)
    assert layer.mean.shape == shape
    keep = tuple(i for i, n in enumerate(shape) if n != 1)
    reduce = tuple(i for i in range(3) if i not in keep)
    np.testing.assert_allclose(layer.mean.numpy(), data.mean(axis=reduce, keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(layer.variance.numpy(), data.var(axis=reduce, keepdims=True), rtol=1e-6)


def test_statistics_follow_set_weights_and_readapt():
    layer = keras.layers.Normalization()
    layer.build((None, 2))
    assert layer.mean.numpy().tolist() == [[0.0, 0.0]] and layer.variance.numpy().tolist() == [[1.0, 1.0]]
    layer.set_weights([np.array([5.0, 6.0]), np.array([4.0, 4.0]), np.array(0)])
    assert layer.mean.numpy().tolist() == [[5.0, 6.0]]
    np.testing.assert_allclose(layer(np.array([[7.0, 8.0]])), [[1.0, 1.0]])
    layer.adapt(np.array([[0.0, 0.0], [2.0, 4.0]]))
    assert layer.mean.numpy().tolist() == [[1.0, 2.0]]


def test_statistics_are_copies():
    layer = keras.layers.Normalization()
    layer.adapt(np.array([[1.0], [3.0]]))
    mean = layer.mean.numpy()
    mean[...] = 100.0
    assert layer.mean.numpy().tolist() == [[2.0]]


def test_statistics_in_the_compute_dtype():
    layer = keras.layers.Normalization(dtype="float64")
    layer.adapt(np.array([[1.0], [3.0]]))
    assert layer.mean.dtype == np.float64
