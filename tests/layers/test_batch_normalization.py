import numpy as np
import pytest

import nanokeras as keras
from nanokeras import GradientTape

RNG = np.random.default_rng(0)
X = RNG.normal(2.0, 3.0, size=(8, 5)).astype("float32")


def _reference(x, mean, var, gamma, beta, eps=1e-3):
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def test_weights_order_names_and_trainability():
    bn = keras.layers.BatchNormalization()
    bn(X)
    assert [w.name for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name for w in bn.trainable_weights] == ["gamma", "beta"]
    assert bn.count_params() == 20


def test_training_uses_batch_stats_and_updates_moving_stats_in_place():
    bn = keras.layers.BatchNormalization(momentum=0.9)
    bn(X)
    gamma, beta = RNG.normal(size=5).astype("float32"), RNG.normal(size=5).astype("float32")
    bn.set_weights([gamma, beta, np.zeros(5), np.ones(5)])
    moving_mean_array = bn.moving_mean.value
    y = np.asarray(bn(X, training=True))
    np.testing.assert_allclose(y, _reference(X, X.mean(0), X.var(0), gamma, beta), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.1 * X.mean(0), rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.9 + 0.1 * X.var(0), rtol=1e-5)
    assert bn.moving_mean.value is moving_mean_array and bn.moving_mean.dtype == np.float32
    y_inf = np.asarray(bn(X))  # inference: moving statistics, no update
    np.testing.assert_allclose(
        y_inf, _reference(X, bn.moving_mean.numpy(), bn.moving_variance.numpy(), gamma, beta), rtol=1e-5
    )
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.1 * X.mean(0), rtol=1e-5)


def test_frozen_layer_runs_in_inference_mode():
    bn = keras.layers.BatchNormalization()
    bn(X)
    bn.trainable = False
    np.testing.assert_allclose(bn(X, training=True), X / np.sqrt(1 + 1e-3), rtol=1e-6)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), np.zeros(5))


def test_axis_1_on_images_and_no_center_scale():
    x = RNG.normal(size=(4, 3, 2, 2)).astype("float32")
    bn = keras.layers.BatchNormalization(axis=1, center=False, scale=False)
    y = np.asarray(bn(x, training=True))
    m, v = x.mean((0, 2, 3), keepdims=True), x.var((0, 2, 3), keepdims=True)
    np.testing.assert_allclose(y, (x - m) / np.sqrt(v + 1e-3), rtol=1e-5, atol=1e-6)
    assert [w.name for w in bn.weights] == ["moving_mean", "moving_variance"]


def _finite_difference(f, array, eps=1e-3):
    grad = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        orig = array[idx]
        array[idx] = orig + eps
        plus = f()
        array[idx] = orig - eps
        minus = f()
        array[idx] = orig
        grad[idx] = (plus - minus) / (2 * eps)
    return grad


def test_gradients_through_batch_statistics_match_finite_differences():
    keras.backend.set_floatx("float64")
    try:
        x = RNG.normal(size=(6, 3))
        bn = keras.layers.BatchNormalization()
        bn(x)
        bn.set_weights([RNG.normal(size=3), RNG.normal(size=3), np.zeros(3), np.ones(3)])
        w = RNG.normal(size=(6, 3))
        xv = keras.Variable(x)
        with GradientTape() as tape:
            loss = keras.ops.sum(bn(xv, training=True) * w)
        g_x, g_gamma, g_beta = tape.gradient(loss, [xv, bn.gamma, bn.beta])

        def value():
            saved = [bn.moving_mean.numpy(), bn.moving_variance.numpy()]
            out = float(np.sum(np.asarray(bn(xv.value, training=True)) * w))
            bn.moving_mean.assign(saved[0])
            bn.moving_variance.assign(saved[1])
            return out

        np.testing.assert_allclose(g_x, _finite_difference(value, xv.value, 1e-6), rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(g_gamma, _finite_difference(value, bn.gamma.value, 1e-6), rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(g_beta, w.sum(0), rtol=1e-10)
    finally:
        keras.backend.set_floatx("float32")


def test_config_round_trip_and_bad_arguments():
    bn = keras.layers.BatchNormalization(axis=1, momentum=0.9, epsilon=1e-4, center=False, name="bn")
    clone = keras.layers.BatchNormalization.from_config(bn.get_config())
    assert clone.get_config() == bn.get_config()
    assert bn.compute_output_shape((None, 3, 4)) == (None, 3, 4)
    with pytest.raises(ValueError, match="axis"):
        bn.compute_output_shape((None,))
    with pytest.raises(TypeError, match="axis"):
        keras.layers.BatchNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="momentum"):
        keras.layers.BatchNormalization(momentum="high")
    with pytest.raises(ValueError, match="renorm"):
        keras.layers.BatchNormalization(renorm=True)
    built = keras.layers.BatchNormalization()
    built(X)
    with pytest.raises(ValueError, match="5 features"):
        built(np.ones((2, 4), "float32"))
