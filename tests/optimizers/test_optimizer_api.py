"""Optimizer state, validation (a rejected call changes nothing), get/serialize, learning rate."""

import warnings

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import optimizers

# Every test runs twice: numpy optimizer updates, and the `fast` extra's compiled kernels.
pytestmark = pytest.mark.usefixtures("update_path")


def make_vars():
    return [nk.Variable(np.ones((2, 2)), name="kernel"), nk.Variable(np.zeros(2), name="bias")]


def snapshot(opt, variables):
    return [v.numpy() for v in variables] + [v.numpy() for v in opt.variables]


def assert_unchanged(before, opt, variables):
    after = snapshot(opt, variables)
    assert len(before) == len(after)
    for a, b in zip(before, after):
        np.testing.assert_array_equal(a, b)


def test_variables_order_and_naming_match_keras():
    opt = optimizers.Adam(amsgrad=True, name="adam")
    opt.build(make_vars())
    assert [v.path for v in opt.variables] == [
        "adam/iteration", "adam/learning_rate",
        "adam/kernel_momentum", "adam/kernel_velocity", "adam/bias_momentum", "adam/bias_velocity",
        "adam/kernel_velocity_hat", "adam/bias_velocity_hat",
    ]
    assert opt.iterations.dtype == np.int32 and not opt.iterations.trainable
    assert all(not v.trainable for v in opt.variables)


def test_default_names_are_unique_snake_case():
    assert optimizers.RMSprop().name == "rm_sprop"
    assert optimizers.SGD().name == "sgd" and optimizers.SGD().name == "sgd_1"


def test_shape_mismatch_rejected_without_any_change():
    variables = make_vars()
    opt = optimizers.Adam()
    opt.apply([np.ones((2, 2), "float32"), np.ones(2, "float32")], variables)
    before = snapshot(opt, variables)
    with pytest.raises(ValueError, match=r"bias.*\(3,\).*\(2,\)|\(3,\).*\(2,\).*bias"):
        opt.apply_gradients([(np.ones((2, 2), "float32"), variables[0]), (np.ones(3, "float32"), variables[1])])
    assert_unchanged(before, opt, variables)


def test_rejected_first_call_does_not_build():
    variables = make_vars()
    opt = optimizers.SGD(momentum=0.9)
    with pytest.raises(ValueError, match="kernel"):
        opt.apply_gradients([(np.ones(3, "float32"), variables[0])])
    assert not opt.built and int(opt.iterations) == 0


def test_all_none_gradients_rejected():
    variables = make_vars()
    opt = optimizers.SGD()
    with pytest.raises(ValueError, match="No gradients"):
        opt.apply_gradients([(None, v) for v in variables])
    assert int(opt.iterations) == 0


def test_none_gradient_skipped_with_warning():
    variables = make_vars()
    opt = optimizers.SGD(0.5)
    with pytest.warns(UserWarning, match="kernel"):
        opt.apply_gradients([(None, variables[0]), (np.ones(2, "float32"), variables[1])])
    np.testing.assert_array_equal(variables[0].numpy(), np.ones((2, 2)))
    np.testing.assert_array_equal(variables[1].numpy(), [-0.5, -0.5])
    assert int(opt.iterations) == 1


def test_nan_gradient_is_applied_not_rejected():
    w = nk.Variable(np.zeros(2), name="w")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarning either
        optimizers.Adam().apply_gradients([(np.array([np.nan, 1.0], "float32"), w)])
    assert np.isnan(w.numpy()[0]) and np.isfinite(w.numpy()[1])


def test_unknown_variable_rejected_in_strict_keras3_mode():
    # Keras 2 let one optimizer train new variables (tests/utils/test_keras2_idioms.py); Keras 3 refuses.
    variables = make_vars()
    opt = optimizers.SGD()
    opt.build(variables)
    nk.config.set_strict_keras3(True)
    try:
        with pytest.raises(ValueError, match="one optimizer per model"):
            opt.apply_gradients([(np.ones(1, "float32"), nk.Variable(np.ones(1), name="other"))])
    finally:
        nk.config.set_strict_keras3(None)
    assert len(opt.variables) == 2 + len([v for v in opt.variables if "momentum" in v.name])


def test_non_variable_rejected():
    with pytest.raises(TypeError, match="keras.Variable"):
        optimizers.SGD().apply_gradients([(np.ones(2, "float32"), np.ones(2))])


def test_tensor_and_float64_gradients_are_accepted():
    w = nk.Variable(np.zeros(2), name="w")
    with nk.GradientTape() as tape:
        loss = nk.ops.sum(w * np.array([1.0, 2.0], "float32"))
    grad = tape.gradient(loss, w)
    opt = optimizers.SGD(1.0)
    opt.apply_gradients([(grad, w)])
    opt.apply_gradients([(np.array([1.0, 1.0]), w)])  # float64 is cast to the variable's dtype
    np.testing.assert_allclose(w.numpy(), [-2.0, -3.0])
    assert w.dtype == np.float32


def test_grads_are_not_modified():
    g = np.array([3.0, 4.0], "float32")
    optimizers.Adam(clipnorm=1.0, loss_scale_factor=2.0).apply_gradients([(g, nk.Variable(np.zeros(2), name="w"))])
    np.testing.assert_array_equal(g, [3.0, 4.0])


def test_apply_without_variables_needs_build():
    with pytest.raises(ValueError, match="build"):
        optimizers.SGD().apply([np.ones(2, "float32")])


def test_apply_with_built_variables_and_empty_grads():
    variables = make_vars()
    opt = optimizers.SGD(1.0)
    opt.build(variables)
    opt.apply([])
    assert int(opt.iterations) == 0
    opt.apply([np.ones((2, 2), "float32"), np.ones(2, "float32")])
    np.testing.assert_array_equal(variables[1].numpy(), [-1.0, -1.0])
    with pytest.raises(ValueError, match="1 gradients for 2 variables"):
        opt.apply([np.ones((2, 2), "float32")])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(clipnorm=1.0, clipvalue=1.0), "Only one of"),
        (dict(clipnorm=-1.0), "clipnorm"),
        (dict(learning_rate="fast"), "learning_rate"),
        (dict(learning_rate=True), "learning_rate"),
        (dict(gradient_accumulation_steps=1), "gradient_accumulation_steps"),
        (dict(use_ema=True, ema_momentum=1.5), "ema_momentum"),
        (dict(use_ema=True, ema_overwrite_frequency=0), "ema_overwrite_frequency"),
        (dict(momentum=2.0), "momentum"),
        (dict(learnig_rate=0.1), "learnig_rate"),
    ],
)
def test_constructor_validation(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        optimizers.SGD(**kwargs)


def test_other_constructor_validation():
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="beta_1"):
        optimizers.Lion(beta_1=0.0)
    with pytest.raises(ValueError, match="learning_rate_power"):
        optimizers.Ftrl(learning_rate_power=0.5)
    with pytest.raises(ValueError, match="l1_regularization_strength"):
        optimizers.Ftrl(l1_regularization_strength=-1.0)


def test_keras2_lr_alias_and_decay():
    # Keras 2 meanings, each with a note (tests/utils/test_keras2_idioms.py checks the notes).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert float(optimizers.SGD(lr=0.5).learning_rate) == 0.5
        assert isinstance(optimizers.SGD(decay=0.1).learning_rate, np.floating)
    assert isinstance(optimizers.SGD(decay=0.0).learning_rate, nk.Variable)  # no decay: a plain rate


def test_learning_rate_property_and_setter():
    opt = optimizers.SGD(0.1)
    assert isinstance(opt.learning_rate, nk.Variable)
    assert float(opt.learning_rate) == np.float32(0.1)
    opt.learning_rate = 0.5
    assert float(opt.learning_rate) == 0.5
    with pytest.raises(ValueError, match="learning_rate"):
        opt.learning_rate = "big"
    opt.learning_rate = lambda: 0.25
    assert opt.learning_rate == np.float32(0.25)
    assert [v.name for v in opt.variables] == ["iteration"]
    with pytest.raises(TypeError, match="schedule"):
        opt.learning_rate = 0.3
    opt2 = optimizers.SGD(lambda step: 0.1 * (int(step) + 1))
    w = nk.Variable(np.zeros(1), name="w")
    opt2.apply_gradients([(np.ones(1, "float32"), w)])
    opt2.apply_gradients([(np.ones(1, "float32"), w)])
    np.testing.assert_allclose(w.numpy(), [-0.3], rtol=1e-6)


def test_hyperparameter_change_takes_effect():
    w = nk.Variable(np.zeros(1), name="w")
    opt = optimizers.SGD(1.0, momentum=0.5)
    opt.apply_gradients([(np.ones(1, "float32"), w)])  # m = -1, w = -1
    opt.momentum = 0.25
    opt.apply_gradients([(np.ones(1, "float32"), w)])  # m = -0.25 - 1, w = -2.25
    np.testing.assert_allclose(w.numpy(), [-2.25])


def test_constraint_applied_after_update():
    w = nk.Variable(np.zeros(2), name="w")
    w.constraint = lambda v: np.clip(np.asarray(v), -0.5, 0.5)
    optimizers.SGD(1.0).apply_gradients([(np.array([-2.0, 0.1], "float32"), w)])
    np.testing.assert_allclose(w.numpy(), [0.5, -0.1])


def test_get_serialize_deserialize():
    assert isinstance(optimizers.get("adam"), optimizers.Adam)
    assert isinstance(optimizers.get("RMSprop"), optimizers.RMSprop)
    assert isinstance(optimizers.get("ADAMW"), optimizers.AdamW)
    assert isinstance(optimizers.get(optimizers.Nadam), optimizers.Nadam)
    opt = optimizers.SGD(0.3, momentum=0.9, nesterov=True)
    assert optimizers.get(opt) is opt
    assert optimizers.get(None) is None
    config = optimizers.serialize(opt)
    assert config["class_name"] == "SGD" and config["module"] == "keras.optimizers"
    clone = optimizers.get(config)
    assert isinstance(clone, optimizers.SGD) and clone.get_config() == opt.get_config()
    clone = optimizers.deserialize({"class_name": "sgd", "config": {"learning_rate": 0.2}})
    assert float(clone.learning_rate) == np.float32(0.2)


def test_get_unknown_suggests_closest():
    with pytest.raises(ValueError, match="Did you mean 'adam'"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Did you mean 'rmsprop'"):
        optimizers.deserialize({"class_name": "RMSProps", "config": {}})
    with pytest.raises(ValueError, match="Could not interpret"):
        optimizers.get(42)


def test_schedule_config_round_trip():
    schedule = optimizers.schedules.CosineDecay(0.1, decay_steps=10)
    opt = optimizers.Adam(schedule)
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "CosineDecay"
    clone = optimizers.Adam.from_config(config)
    assert isinstance(clone._learning_rate, optimizers.schedules.CosineDecay)
    assert float(clone.learning_rate) == pytest.approx(0.1)


def test_save_and_load_own_variables():
    variables = make_vars()
    opt = optimizers.Adam()
    opt.apply([np.ones((2, 2), "float32"), np.ones(2, "float32")], variables)
    store = {}
    opt.save_own_variables(store)
    assert sorted(store) == [str(i) for i in range(6)]
    fresh = optimizers.Adam()
    fresh.build(make_vars())
    fresh.load_own_variables(store)
    for a, b in zip(opt.variables, fresh.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.warns(UserWarning, match="Skipping"):
        optimizers.Adam().load_own_variables(store)


def test_set_weights_checks_shapes_first():
    variables = make_vars()
    opt = optimizers.SGD(momentum=0.9)
    opt.build(variables)
    before = snapshot(opt, variables)
    weights = [np.array(5), np.array(0.5, "float32"), np.ones((2, 2)), np.ones(3)]
    with pytest.raises(ValueError, match="bias_momentum"):
        opt.set_weights(weights)
    assert_unchanged(before, opt, variables)


def test_forgetting_super_init_is_explained():
    class Broken(optimizers.Optimizer):
        def __init__(self):
            self.x = 1

    with pytest.raises(RuntimeError, match="super"):
        Broken()


def test_custom_optimizer_subclass_uses_update_step():
    class SignSGD(optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

        def update_step(self, gradient, variable, learning_rate):
            variable.assign_sub(np.sign(gradient) * learning_rate)

    w = nk.Variable(np.zeros(2), name="w")
    SignSGD().apply_gradients([(np.array([3.0, -0.1], "float32"), w)])
    np.testing.assert_allclose(w.numpy(), [-0.1, 0.1])
