"""Lamb, Adafactor, Muon, ScheduleFreeAdamW and LossScaleOptimizer: closed-form first steps and their rules."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import optimizers


def _step(optimizer, value, gradient, steps=1):
    variable = keras.Variable(np.asarray(value, "float32"), name="w")
    for _ in range(steps):
        optimizer.apply([np.asarray(gradient, "float32")], [variable])
    return variable.numpy()


def test_lamb_first_step_is_the_trust_ratio_times_adam_direction():
    w, g = np.array([3.0, 4.0]), np.array([1.0, -2.0])
    out = _step(optimizers.Lamb(learning_rate=0.1, epsilon=0.0), w, g)
    direction = np.sign(g)  # m_hat / sqrt(v_hat) = g / |g| on the first step
    ratio = np.linalg.norm(w) / np.linalg.norm(direction)
    np.testing.assert_allclose(out, w - 0.1 * ratio * direction, rtol=1e-5)
    assert optimizers.Lamb._packable_update is False


def test_adafactor_first_step_on_a_vector_and_factored_moments_on_a_matrix():
    w, g = np.array([0.5, -1.0, 2.0]), np.array([0.2, 0.4, -0.1])
    out = _step(optimizers.Adafactor(learning_rate=0.5), w, g)
    # t = 1: beta_2 = 0, v = g**2 + eps, u = sign(g), rms(u) = 1, alpha = rms(w) * min(lr, 1)
    alpha = np.sqrt(np.mean(w ** 2)) * 0.5
    np.testing.assert_allclose(out, w - alpha * np.sign(g), rtol=1e-5)
    optimizer = optimizers.Adafactor(name="af")
    matrix = keras.Variable(np.ones((3, 2), "float32"), name="kernel")
    optimizer.apply([np.arange(6, dtype="float32").reshape(3, 2)], [matrix])
    assert [v.shape for v in optimizer.variables[2:]] == [(3,), (2,), (3, 2)]


def test_muon_orthogonalizes_matrix_steps_and_uses_adamw_elsewhere():
    optimizer = optimizers.Muon(learning_rate=1.0, rms_rate=None, weight_decay=None, adam_weight_decay=None)
    rng = np.random.default_rng(0)
    gradient = rng.normal(size=(4, 3)).astype("float32")
    before = np.zeros((4, 3), "float32")
    update = before - _step(optimizer, before, gradient)
    singular_values = np.linalg.svd(update, compute_uv=False)
    assert np.all((singular_values > 0.5) & (singular_values < 1.5))  # Newton-Schulz: all near 1
    bias_optimizer = optimizers.Muon(learning_rate=0.1, adam_weight_decay=None)
    np.testing.assert_allclose(_step(bias_optimizer, [1.0, 1.0], [2.0, -3.0]), [0.9, 1.1], rtol=1e-5)  # Adam step
    embedding = keras.Variable(np.zeros((3, 2), "float32"), name="embeddings")
    embedding.path = "token_embedding/embeddings"
    assert optimizers.Muon()._should_use_adamw(embedding)


def test_schedule_free_adamw_first_step():
    w, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    out = _step(optimizers.ScheduleFreeAdamW(learning_rate=0.1, epsilon=0.0), w, g)
    z = w - 0.1 * np.sign(g)  # the fast sequence; its average x equals z after one step
    np.testing.assert_allclose(out, z, rtol=1e-5)
    assert optimizers.ScheduleFreeAdamW._packable_update is True


def test_loss_scale_optimizer_skips_non_finite_steps_and_adjusts_its_scale():
    inner = optimizers.SGD(learning_rate=1.0)
    optimizer = optimizers.LossScaleOptimizer(inner, initial_scale=8.0, dynamic_growth_steps=2)
    w = keras.Variable(np.array([1.0], "float32"), name="w")
    optimizer.apply([np.array([8.0], "float32")], [w])  # scaled gradient 8 -> unscaled 1
    np.testing.assert_allclose(w.numpy(), [0.0])
    optimizer.apply([np.array([np.inf], "float32")], [w])  # skipped: the scale halves
    np.testing.assert_allclose(w.numpy(), [0.0])
    assert float(optimizer.dynamic_scale.numpy()) == 4.0 and int(optimizer.iterations.numpy()) == 1
    optimizer.apply([np.array([4.0], "float32")], [w])
    optimizer.apply([np.array([4.0], "float32")], [w])  # two finite steps in a row: the scale doubles
    assert float(optimizer.dynamic_scale.numpy()) == 8.0
    np.testing.assert_allclose(w.numpy(), [-2.0])
    assert float(optimizer.scale_loss(np.float32(0.5))) == 4.0
    assert [v.name for v in optimizer.variables[:4]] == ["iteration", "learning_rate", "step_counter",
                                                          "dynamic_scale"]
    with pytest.raises(ValueError, match="does not support `clipnorm`"):
        optimizers.LossScaleOptimizer(optimizers.SGD(), clipnorm=1.0)


def test_fit_differentiates_the_scaled_loss():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    histories = []
    for optimizer in (optimizers.SGD(0.1), optimizers.SGD(0.1, loss_scale_factor=64.0),
                      optimizers.LossScaleOptimizer(optimizers.SGD(0.1), initial_scale=128.0)):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile(optimizer, "mse")
        histories.append(model.fit(x, y, epochs=3, batch_size=4, verbose=0).history["loss"])
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-6)  # powers of two: exact
    np.testing.assert_allclose(histories[2], histories[0], rtol=1e-6)


@pytest.mark.parametrize("name", ["Lamb", "Adafactor", "Muon", "ScheduleFreeAdamW"])
def test_configs_round_trip_and_names_resolve(name):
    optimizer = optimizers.get(name.lower())
    assert type(optimizer).__name__ == name
    clone = optimizers.deserialize(optimizers.serialize(optimizer))
    assert clone.get_config() == optimizer.get_config()
