"""Issue 13's layers: closed-form values, finite-difference gradients, bad input, and configs."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from tests.ops.gradient_check import check_gradients

X = np.array([[-2.0, -0.5, 0.25, 1.5, 3.0]], "float32")


def test_activation_layers_closed_forms():
    np.testing.assert_allclose(layers.ReLU()(X), np.maximum(X, 0))
    np.testing.assert_allclose(layers.ReLU(max_value=1.0, negative_slope=0.5, threshold=0.5)(X),
                               np.where(X >= 1.0, 1.0, np.where(X >= 0.5, X, 0.5 * (X - 0.5))))
    np.testing.assert_allclose(layers.LeakyReLU()(X), np.where(X >= 0, X, 0.3 * X), rtol=1e-6)
    np.testing.assert_allclose(layers.ELU(alpha=2.0)(X), np.where(X > 0, X, 2.0 * np.expm1(X)), rtol=1e-6)
    e = np.exp(X - X.max())
    np.testing.assert_allclose(layers.Softmax()(X), e / e.sum(), rtol=1e-6)
    x3 = np.arange(12, dtype="float32").reshape(1, 3, 4) / 10
    e3 = np.exp(x3)
    np.testing.assert_allclose(layers.Softmax(axis=[1, 2])(x3), e3 / e3.sum(axis=(1, 2), keepdims=True), rtol=1e-6)
    masked = layers.Softmax()(X, mask=np.array([[1, 0, 1, 0, 1]], bool))
    np.testing.assert_allclose(masked.sum(), 1.0, rtol=1e-6)
    assert masked[0, 1] == 0 and masked[0, 3] == 0
    assert layers.Identity()({"a": X})["a"] is X


def test_activation_layers_refuse_bad_arguments():
    with pytest.raises(ValueError, match="max_value of a ReLU layer"):
        layers.ReLU(max_value=-1)
    with pytest.raises(ValueError, match="negative_slope"):
        layers.LeakyReLU(negative_slope=-0.1)
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        assert layers.LeakyReLU(alpha=0.1).negative_slope == 0.1
    with pytest.raises(ValueError, match="broadcastable"):
        layers.Softmax()(X, mask=np.ones((1, 4), bool))


def test_prelu_learns_one_slope_per_shared_group():
    layer = layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25), shared_axes=[1])
    x = np.array([[[-4.0, 2.0], [-8.0, -1.0]]], "float32")
    assert layer(x).tolist() == [[[-1.0, 2.0], [-2.0, -0.25]]]
    assert layer.alpha.shape == (1, 2)
    check_gradients(lambda v: layers.PReLU(alpha_initializer="ones", dtype="float64")(v), x.astype("float64"))
    with pytest.raises(ValueError, match="shared axis 3"):
        layers.PReLU(shared_axes=[3])(x)


def test_einsum_dense_computes_the_equation():
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="e",
                               kernel_initializer="ones", bias_initializer="ones")
    x = np.arange(8, dtype="float32").reshape(1, 2, 4)
    out = layer(x)
    assert out.shape == (1, 2, 2, 3) and layer.bias.shape == (3,)
    np.testing.assert_allclose(out[0, :, 0, 0], x.sum(axis=-1)[0] + 1)
    layer64 = layers.EinsumDense("ab,bc->ac", output_shape=3, bias_axes="c", dtype="float64")
    layer64.build((None, 4))
    check_gradients(lambda v: layer64(v), np.random.default_rng(0).normal(size=(2, 4)))
    with pytest.raises(ValueError, match="Invalid einsum equation"):
        layers.EinsumDense("ab->b", output_shape=2)(x)
    with pytest.raises(ValueError, match="Bias dimension 'z'"):
        layers.EinsumDense("abc,cd->abd", output_shape=(None, 2), bias_axes="z")(x)
    with pytest.raises(ValueError, match="not supported by nanokeras"):
        layers.EinsumDense("ab,bc->ac", output_shape=2, quantization_config={"mode": "int8"})


def test_group_and_rms_normalization_closed_forms_and_gradients():
    rng = np.random.default_rng(1)
    x = rng.normal(2.0, 3.0, size=(2, 3, 6)).astype("float64")
    layer = layers.GroupNormalization(groups=2, epsilon=1e-5, dtype="float64")
    out = layer(x)
    groups = x.reshape(2, 3, 2, 3)
    expected = (groups - groups.mean(axis=(1, 3), keepdims=True)) / np.sqrt(groups.var(axis=(1, 3), keepdims=True) + 1e-5)
    np.testing.assert_allclose(out, expected.reshape(x.shape), rtol=1e-10)
    check_gradients(lambda v: layers.GroupNormalization(groups=3, dtype="float64")(v), x)
    rms = layers.RMSNormalization(epsilon=1e-6, dtype="float64")
    np.testing.assert_allclose(rms(x), x / np.sqrt((x ** 2).mean(axis=-1, keepdims=True) + 1e-6), rtol=1e-10)
    check_gradients(lambda v: layers.RMSNormalization(axis=[1, 2], dtype="float64")(v), x)
    with pytest.raises(ValueError, match="must be a multiple"):
        layers.GroupNormalization(groups=4)(x)
    with pytest.raises(ValueError, match="invalid value for argument `groups`"):
        layers.GroupNormalization(groups=0)


def test_spectral_normalization_divides_by_the_largest_singular_value():
    dense = layers.Dense(3, use_bias=False, kernel_initializer="ones")
    layer = layers.SpectralNormalization(dense, power_iterations=20)
    x = np.eye(4, dtype="float32")
    out = layer(x, training=True)  # kernel of ones (4, 3): largest singular value sqrt(12)
    np.testing.assert_allclose(out, np.ones((4, 3)) / np.sqrt(12.0), rtol=1e-5)
    np.testing.assert_array_equal(dense.kernel.numpy(), np.ones((4, 3)))  # the variable keeps raw values
    np.testing.assert_array_equal(layer(x), np.ones((4, 3)))  # inference: the raw kernel
    assert [w.name for w in layer.weights] == ["kernel", "vector_u"]
    with pytest.raises(ValueError, match="power_iterations"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="has no attribute 'kernel'"):
        layers.SpectralNormalization(layers.Flatten())(np.ones((1, 2)))
    with pytest.raises(ValueError, match="isn't a supported layer"):
        layers.SpectralNormalization("dense")


def test_wrapper_and_pipeline_round_trip():
    wrapped = layers.SpectralNormalization(layers.Dense(2, name="inner"), power_iterations=3, name="sn")
    clone = layers.SpectralNormalization.from_config(wrapped.get_config())
    assert clone.power_iterations == 3 and clone.layer.units == 2 and clone.layer.name == "inner"
    pipeline = layers.Pipeline([layers.Rescaling(2.0), layers.Dropout(0.5, seed=1)])
    x = np.ones((2, 8), "float32")
    assert np.any(pipeline(x) == 0)  # training=True by default: dropout applies
    np.testing.assert_array_equal(pipeline(x, training=False), 2 * x)
    rebuilt = layers.Pipeline.from_config(pipeline.get_config())
    assert [type(layer).__name__ for layer in rebuilt.layers] == ["Rescaling", "Dropout"]
    with pytest.raises(TypeError, match="must be a Layer"):
        layers.Pipeline([np.exp])


def test_hashing_bins_masks_salts_and_encodings():
    strings = np.array([["a"], ["b"], ["c"], ["a"]])
    bins = layers.Hashing(num_bins=4)(strings)
    assert bins.dtype == np.int64 and bins[0, 0] == bins[3, 0] and np.all((0 <= bins) & (bins < 4))
    masked = layers.Hashing(num_bins=4, mask_value="a")(strings)
    assert masked[0, 0] == 0 and np.all(masked[1:3] > 0)
    assert not np.array_equal(layers.Hashing(num_bins=1000, salt=1)(strings), layers.Hashing(num_bins=1000)(strings))
    np.testing.assert_array_equal(layers.Hashing(num_bins=50)(np.array([[3.9, -2.1]])),
                                  layers.Hashing(num_bins=50)(np.array([[3, -2]])))  # floats truncate
    one_hot = layers.Hashing(num_bins=4, output_mode="one_hot")(strings)
    assert one_hot.shape == (4, 4) and one_hot.dtype == np.float32 and np.all(one_hot.sum(axis=1) == 1)
    for bad in (dict(num_bins=0), dict(num_bins=3, output_mode="tf_idf"), dict(num_bins=3, salt="x"),
                dict(num_bins=3, output_mode="int", dtype="float32")):
        with pytest.raises(ValueError):
            layers.Hashing(**bad)


def test_hashed_crossing_shapes_and_errors():
    crossing = layers.HashedCrossing(num_bins=10)
    out = crossing([np.array([[1], [2]]), np.array([["a"], ["b"]])])
    assert out.shape == (2, 1) and out.dtype == np.int64
    assert crossing([np.array(1), np.array("a")]).shape == ()
    assert layers.HashedCrossing(4, output_mode="one_hot")([np.array([1, 2]), np.array([3, 4])]).shape == (2, 4)
    with pytest.raises(ValueError, match="at least two inputs"):
        crossing([np.array([1])])
    with pytest.raises(ValueError, match="equal shape"):
        crossing([np.array([1, 2]), np.array([1])])
    with pytest.raises(ValueError, match="integer or string dtype"):
        crossing([np.array([1.5]), np.array([1])])


def test_new_layers_train_in_a_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 6)).astype("float32")
    y = (x[:, :2].sum(axis=1, keepdims=True) > 0).astype("float32")
    model = keras.Sequential([
        keras.Input((6,)), layers.EinsumDense("ab,bc->ac", output_shape=8, bias_axes="c"), layers.PReLU(),
        layers.GroupNormalization(groups=2), layers.SpectralNormalization(layers.Dense(4)), layers.LeakyReLU(),
        layers.RMSNormalization(), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
