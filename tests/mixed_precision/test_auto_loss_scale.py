"""compile() on a mixed_float16 model wraps its optimizer in a LossScaleOptimizer, as Keras does;
the steps are the same as without it (nanokeras computes in float32 and the scale is a power of 2)."""

import numpy as np
import pytest

import nanokeras as keras


@pytest.fixture(autouse=True)
def _float32_afterwards():
    yield
    keras.mixed_precision.set_global_policy("float32")


def _trained(policy, auto_scale_loss=True, optimizer="adam"):
    keras.mixed_precision.set_global_policy(policy)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu", kernel_initializer="ones"),
                              keras.layers.Dense(1, dtype="float32", kernel_initializer="ones")])
    model.compile(optimizer, "mse", auto_scale_loss=auto_scale_loss)
    x = np.linspace(-1, 1, 30, dtype="float32").reshape(10, 3)
    model.fit(x, x.sum(axis=1), batch_size=4, epochs=3, verbose=0, shuffle=False)
    keras.mixed_precision.set_global_policy("float32")
    return model


def test_mixed_float16_wraps_the_optimizer_and_trains_as_float32():
    mixed, plain = _trained("mixed_float16"), _trained("float32")
    assert type(mixed.optimizer).__name__ == "LossScaleOptimizer"
    assert mixed.optimizer.name == "loss_scale_optimizer"
    assert type(mixed.optimizer.inner_optimizer).__name__ == "Adam"
    assert type(plain.optimizer).__name__ == "Adam"
    # (the plain model may take the tiny-model path, equal to the numpy kernels within 1e-6)
    for a, b in zip(mixed.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert int(mixed.optimizer.iterations.numpy()) == 9


def test_no_wrapping_when_asked_not_to_or_already_wrapped_or_other_policies():
    assert type(_trained("mixed_float16", auto_scale_loss=False).optimizer).__name__ == "Adam"
    assert type(_trained("mixed_bfloat16").optimizer).__name__ == "Adam"
    wrapped = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.01))
    assert _trained("mixed_float16", optimizer=wrapped).optimizer is wrapped


def test_a_wrapped_model_saves_and_loads(tmp_path):
    model = _trained("mixed_float16")
    model.save(str(tmp_path / "m.keras"))
    x = np.ones((2, 3), "float32")
    keras.mixed_precision.set_global_policy("mixed_float16")
    loaded = keras.models.load_model(str(tmp_path / "m.keras"))
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert type(loaded.optimizer).__name__ == "LossScaleOptimizer"
    for a, b in zip(model.optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    # loaded as a float32 model (as Keras does when the global policy is float32), the plain
    # optimizer does not match the wrapped one's state: skipped with a warning, weights loaded
    keras.mixed_precision.set_global_policy("float32")
    with pytest.warns(UserWarning, match="Skipping the optimizer state"):
        plain = keras.models.load_model(str(tmp_path / "m.keras"))
    np.testing.assert_allclose(plain.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
