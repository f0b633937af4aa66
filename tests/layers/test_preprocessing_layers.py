import numpy as np
import pytest

import nanokeras as keras


def test_normalization_adapt_mean_variance_count_and_call():
    data = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]], dtype="float32")
    layer = keras.layers.Normalization()
    layer.adapt(data)
    assert [(w.name, w.dtype.name, w.trainable) for w in layer.weights] == [
        ("mean", "float32", False), ("variance", "float32", False), ("count", "int32", False)]
    np.testing.assert_allclose(layer.adapt_mean.numpy(), data.mean(0), rtol=1e-6)
    np.testing.assert_allclose(layer.adapt_variance.numpy(), data.var(0), rtol=1e-6)
    np.testing.assert_allclose(layer(data), (data - data.mean(0)) / data.std(0), rtol=1e-5)
    inverse = keras.layers.Normalization(mean=data.mean(0), variance=data.var(0), invert=True)
    np.testing.assert_allclose(inverse(layer(data)), data, rtol=1e-5)


def test_normalization_batched_adapt_equals_whole_array_and_axis_none():
    data = np.random.default_rng(0).normal(3, 2, size=(100, 3)).astype("float32")
    whole, batched = keras.layers.Normalization(), keras.layers.Normalization()
    whole.adapt(data)
    batched.adapt([data[:30], data[30:70], data[70:]])
    np.testing.assert_allclose(batched.adapt_mean.numpy(), whole.adapt_mean.numpy(), rtol=1e-5)
    np.testing.assert_allclose(batched.adapt_variance.numpy(), whole.adapt_variance.numpy(), rtol=1e-4)
    scalar = keras.layers.Normalization(axis=None)
    scalar.adapt(data)
    assert scalar.adapt_mean.shape == () and np.isclose(scalar.adapt_mean.numpy(), data.mean(), rtol=1e-5)


def test_normalization_given_stats_broadcast_and_errors():
    layer = keras.layers.Normalization(mean=2.0, variance=4.0)
    np.testing.assert_allclose(layer(np.array([[4.0, 0.0]])), [[1.0, -1.0]])
    assert layer.weights == []
    with pytest.raises(ValueError, match="both `mean` and `variance`"):
        keras.layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="same shape"):
        keras.layers.Normalization(mean=[1.0, 2.0], variance=[1.0])
    adapted = keras.layers.Normalization()
    adapted.adapt(np.ones((4, 3), "float32"))
    with pytest.raises(ValueError, match="adapt"):
        adapted.adapt(np.ones((4, 2), "float32"))
    config = keras.layers.Normalization(axis=1, mean=[1.0, 2.0], variance=[1.0, 4.0]).get_config()
    assert config["axis"] == (1,) and config["mean"] == [1.0, 2.0]
    assert keras.layers.Normalization.from_config(config).get_config() == config


def test_min_max_recipe_with_rescaling():
    train = np.array([[0.0, 10.0], [5.0, 30.0], [10.0, 20.0]], dtype="float32")
    lo, hi = train.min(axis=0), train.max(axis=0)
    layer = keras.layers.Rescaling(scale=1.0 / (hi - lo), offset=-lo / (hi - lo))
    np.testing.assert_allclose(layer(train), [[0, 0], [0.5, 1], [1, 0.5]], atol=1e-6)


def test_rescaling_values_config_and_errors():
    layer = keras.layers.Rescaling(1 / 255.0)
    np.testing.assert_allclose(layer(np.array([0, 255], dtype="uint8")), [0.0, 1.0])
    assert layer(np.array([1.0], "float64")).dtype == np.float32
    assert keras.layers.Rescaling.from_config(layer.get_config()).get_config() == layer.get_config()
    with pytest.raises(ValueError, match="scale"):
        keras.layers.Rescaling("big")


def test_discretization_boundaries_modes_and_adapt():
    layer = keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    out = layer(np.array([[-1.5, 1.0, 3.4, 0.5]]))
    assert out.tolist() == [[0, 2, 3, 1]] and out.dtype == np.int32
    one_hot = keras.layers.Discretization(bin_boundaries=[0.0, 1.0], output_mode="one_hot")
    np.testing.assert_array_equal(one_hot(np.array([-1.0, 0.5, 2.0])), np.eye(3, dtype="float32"))
    count = keras.layers.Discretization(bin_boundaries=[0.0], output_mode="count")
    np.testing.assert_array_equal(count(np.array([[-1.0, 1.0, 2.0]])), [[1.0, 2.0]])
    adapted = keras.layers.Discretization(num_bins=4, epsilon=0.01)
    data = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])
    adapted.adapt(data)
    np.testing.assert_allclose(adapted.bin_boundaries, [0.0, 0.5, 1.3], rtol=1e-6)
    assert adapted(data).tolist() == [[0, 2, 3, 2], [1, 3, 3, 1]]  # Keras's docstring example
    clone = keras.layers.Discretization.from_config(adapted.get_config())
    assert clone.bin_boundaries == adapted.bin_boundaries
    with pytest.raises(ValueError, match="either"):
        keras.layers.Discretization()
    with pytest.raises(ValueError, match="output_mode"):
        keras.layers.Discretization(num_bins=3, output_mode="bins")
    with pytest.raises(ValueError, match="adapt"):
        keras.layers.Discretization(num_bins=3)(np.ones((1, 1)))


def test_category_encoding_modes_and_count_weights():
    assert keras.layers.CategoryEncoding(4, output_mode="one_hot")(np.array([3, 2, 0, 1])).tolist() == \
        np.eye(4)[[3, 2, 0, 1]].tolist()
    multi = keras.layers.CategoryEncoding(4)(np.array([[0, 1], [0, 0], [1, 2], [3, 1]]))
    assert multi.tolist() == [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]
    layer = keras.layers.CategoryEncoding(4, output_mode="count")
    counts = layer(np.array([[0, 1], [0, 0]]), count_weights=np.array([[0.1, 0.2], [0.1, 0.1]]))
    np.testing.assert_allclose(counts, [[0.1, 0.2, 0, 0], [0.2, 0, 0, 0]], rtol=1e-6)
    assert layer.compute_output_shape((None, 2)) == (None, 4)
    assert keras.layers.CategoryEncoding(4, "one_hot").compute_output_shape((None, 1)) == (None, 4)
    with pytest.raises(ValueError, match="num_tokens"):
        keras.layers.CategoryEncoding()
    with pytest.raises(ValueError, match="count_weights"):
        keras.layers.CategoryEncoding(4)(np.array([0]), count_weights=np.array([1.0]))
