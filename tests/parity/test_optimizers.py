"""nanokeras.optimizers against real Keras 3: same variables, same gradients, same state.

Each case starts both sides from the same weights and applies the same seeded
gradients for several steps; model variables and every optimizer variable (in
`optimizer.variables` order, with the same paths) must agree to 1e-6 relative.
"""

import re

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import optimizers

# Every test runs twice: numpy optimizer updates, and the `fast` extra's compiled kernels.
pytestmark = pytest.mark.usefixtures("update_path")

STEPS = 6
SHAPES = {"kernel": (3, 2), "bias": (2,)}

CASES = [
    ("SGD", dict(learning_rate=0.1)),
    ("SGD", dict(learning_rate=0.1, momentum=0.9)),
    ("SGD", dict(learning_rate=0.1, momentum=0.9, nesterov=True)),
    ("SGD", dict(learning_rate=0.1, weight_decay=0.05)),
    ("SGD", dict(learning_rate=0.1, clipnorm=0.5)),
    ("SGD", dict(learning_rate=0.1, clipvalue=0.3)),
    ("SGD", dict(learning_rate=0.1, global_clipnorm=0.7)),
    ("SGD", dict(learning_rate=0.1, momentum=0.5, gradient_accumulation_steps=2)),
    ("SGD", dict(learning_rate=0.1, loss_scale_factor=4.0)),
    ("Adam", dict()),
    ("Adam", dict(learning_rate=0.01, amsgrad=True)),
    ("Adam", dict(learning_rate=0.01, weight_decay=0.1, clipnorm=1.0)),
    ("Adam", dict(learning_rate=0.01, use_ema=True, ema_momentum=0.9)),
    ("Adam", dict(learning_rate=0.01, use_ema=True, ema_momentum=0.9, ema_overwrite_frequency=2)),
    ("Adam", dict(learning_rate=0.01, gradient_accumulation_steps=3)),
    ("AdamW", dict(learning_rate=0.01)),
    ("AdamW", dict(learning_rate=0.01, weight_decay=0.1, amsgrad=True, global_clipnorm=1.0)),
    ("RMSprop", dict()),
    ("RMSprop", dict(learning_rate=0.01, momentum=0.9)),
    ("RMSprop", dict(learning_rate=0.01, centered=True)),
    ("RMSprop", dict(learning_rate=0.01, rho=0.8, momentum=0.5, centered=True)),
    ("Adagrad", dict(learning_rate=0.1)),
    ("Adagrad", dict(learning_rate=0.1, initial_accumulator_value=0.5, clipvalue=0.5)),
    ("Adadelta", dict(learning_rate=1.0)),
    ("Adamax", dict(learning_rate=0.01)),
    ("Nadam", dict(learning_rate=0.01)),
    ("Nadam", dict(learning_rate=0.01, weight_decay=0.1)),
    ("Ftrl", dict(learning_rate=0.1)),
    ("Ftrl", dict(learning_rate=0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.02,
                  l2_shrinkage_regularization_strength=0.03, beta=0.1, learning_rate_power=-0.7)),
    ("Lion", dict(learning_rate=0.01)),
    # Issue 13's optimizers.
    ("Lamb", dict(learning_rate=0.01)),
    ("Lamb", dict(learning_rate=0.01, beta_1=0.8, weight_decay=0.05, clipnorm=1.0)),
    ("Adafactor", dict()),
    ("Adafactor", dict(learning_rate=0.3, relative_step=False, clip_threshold=0.5, beta_2_decay=-0.5)),
    ("Muon", dict(learning_rate=0.01)),
    ("Muon", dict(learning_rate=0.01, nesterov=False, rms_rate=None, ns_steps=3, adam_lr_ratio=0.5)),
    ("Muon", dict(learning_rate=0.01, exclude_layers=["kernel"], weight_decay=0.1)),
    ("ScheduleFreeAdamW", dict()),
    ("ScheduleFreeAdamW", dict(learning_rate=0.01, warmup_steps=3, beta_1=0.8, weight_decay=0.01)),
]


def _initial_values(seed=0):
    rng = np.random.default_rng(seed)
    return {name: rng.normal(size=shape).astype("float32") for name, shape in SHAPES.items()}


def _gradient_sequence(seed=1):
    rng = np.random.default_rng(seed)
    return [
        [rng.normal(size=shape).astype("float32") for shape in SHAPES.values()] for _ in range(STEPS)
    ]


def _run_both(keras, cls_name, kwargs, grads=None, configure=None):
    init = _initial_values()
    grads = grads if grads is not None else _gradient_sequence()
    k_vars = [keras.Variable(init[n], name=n) for n in SHAPES]
    n_vars = [nk.Variable(init[n], name=n) for n in SHAPES]
    k_opt = getattr(keras.optimizers, cls_name)(**kwargs)
    n_opt = getattr(optimizers, cls_name)(**kwargs)
    if configure is not None:
        configure(k_opt, k_vars)
        configure(n_opt, n_vars)
    for step in grads:
        k_opt.apply_gradients(zip([None if g is None else g.copy() for g in step], k_vars))
        n_opt.apply_gradients(zip([None if g is None else g.copy() for g in step], n_vars))
    return k_vars, n_vars, k_opt, n_opt


def _assert_same_state(k_vars, n_vars, k_opt, n_opt):
    for kv, nv in zip(k_vars, n_vars):
        np.testing.assert_allclose(nv.numpy(), np.asarray(kv.value), rtol=1e-6, atol=1e-7, err_msg=nv.path)
    k_state, n_state = k_opt.variables, n_opt.variables
    # Keras numbers Nadam's unnamed `variable` per session (`variable_1`, ...); we keep `variable`.
    k_paths = [re.sub(r"/variable_\d+$", "/variable", v.path) for v in k_state]
    assert [v.path for v in n_state] == k_paths
    for kv, nv in zip(k_state, n_state):
        np.testing.assert_allclose(
            nv.numpy().astype("float64"), np.asarray(kv.value).astype("float64"),
            rtol=1e-6, atol=1e-7, err_msg=nv.path,
        )


@pytest.mark.parametrize("cls_name, kwargs", CASES, ids=[f"{c}-{sorted(k)}" for c, k in CASES])
def test_matches_keras(keras, cls_name, kwargs):
    kwargs = dict(kwargs, name=cls_name.lower() + "_parity")
    _assert_same_state(*_run_both(keras, cls_name, kwargs))


def test_none_gradients_are_skipped_like_keras(keras):
    grads = _gradient_sequence()
    grads[1][0] = None
    grads[3][1] = None
    with pytest.warns(UserWarning):
        result = _run_both(keras, "Adam", dict(learning_rate=0.01, name="adam_none"), grads=grads)
    _assert_same_state(*result)


def test_exclude_from_weight_decay_like_keras(keras):
    def configure(opt, variables):
        opt.exclude_from_weight_decay(var_names=["bias"])

    result = _run_both(keras, "AdamW", dict(learning_rate=0.01, weight_decay=0.2, name="adamw_ex"),
                       configure=configure)
    _assert_same_state(*result)


def test_nan_gradient_is_applied_like_keras(keras):
    grads = _gradient_sequence()[:2]
    grads[1][0][0, 0] = np.nan
    k_vars, n_vars, k_opt, n_opt = _run_both(keras, "SGD", dict(learning_rate=0.1, momentum=0.9,
                                                                   name="sgd_nan"), grads=grads)
    for kv, nv in zip(k_vars, n_vars):
        np.testing.assert_array_equal(np.isnan(nv.numpy()), np.isnan(np.asarray(kv.value)))
        np.testing.assert_allclose(nv.numpy(), np.asarray(kv.value), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "schedule, kwargs",
    [
        ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=2, decay_rate=0.5)),
        ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=2, decay_rate=0.5, staircase=True)),
        ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=2, decay_rate=0.5)),
        ("PiecewiseConstantDecay", dict(boundaries=[1, 3], values=[0.1, 0.05, 0.01])),
        ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=4, power=2.0)),
        ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=4, cycle=True)),
        ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=4, alpha=0.1)),
        ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=4, warmup_target=0.1, warmup_steps=2)),
    ],
)
def test_schedules_match_keras(keras, schedule, kwargs):
    k_sched = getattr(keras.optimizers.schedules, schedule)(**kwargs)
    n_sched = getattr(optimizers.schedules, schedule)(**kwargs)
    for step in range(10):
        np.testing.assert_allclose(float(n_sched(step)), float(k_sched(step)), rtol=1e-6, atol=1e-9)
    assert n_sched.get_config() == k_sched.get_config()
    init, grads = _initial_values(), _gradient_sequence()
    k_var, n_var = keras.Variable(init["bias"], name="bias"), nk.Variable(init["bias"], name="bias")
    k_opt = keras.optimizers.Adam(learning_rate=k_sched)
    n_opt = optimizers.Adam(learning_rate=n_sched)
    for step in grads:
        k_opt.apply_gradients([(step[1], k_var)])
        n_opt.apply_gradients([(step[1], n_var)])
    np.testing.assert_allclose(n_var.numpy(), np.asarray(k_var.value), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("cls_name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta",
                                      "Adamax", "Nadam", "Ftrl", "Lion", "Lamb", "Adafactor", "Muon",
                                      "ScheduleFreeAdamW"])
def test_config_matches_keras(keras, cls_name):
    k_config = getattr(keras.optimizers, cls_name)(name="x").get_config()
    n_config = getattr(optimizers, cls_name)(name="x").get_config()
    assert n_config == k_config
    k_ser = keras.optimizers.serialize(getattr(keras.optimizers, cls_name)(name="x"))
    assert optimizers.serialize(getattr(optimizers, cls_name)(name="x")) == k_ser


def test_config_from_keras_round_trips(keras):
    k_config = keras.optimizers.serialize(keras.optimizers.Adam(0.005, amsgrad=True, clipnorm=2.0))
    n_opt = optimizers.deserialize(k_config)
    assert isinstance(n_opt, optimizers.Adam)
    assert n_opt.get_config() == k_config["config"]


def test_loss_scale_optimizer_config_round_trips_with_keras(keras):
    # (Keras's LossScaleOptimizer cannot `apply` eagerly on JAX; its steps are checked in `fit` below.)
    theirs = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(0.01, name="inner"), initial_scale=4.0,
                                                 dynamic_growth_steps=2, name="lso")
    ours = optimizers.LossScaleOptimizer(optimizers.Adam(0.01, name="inner"), initial_scale=4.0,
                                         dynamic_growth_steps=2, name="lso")
    assert ours.get_config() == theirs.get_config()
    rebuilt = optimizers.deserialize(keras.optimizers.serialize(theirs))
    assert isinstance(rebuilt.inner_optimizer, optimizers.Adam) and rebuilt.dynamic_growth_steps == 2
    init = _initial_values()
    theirs.build([keras.Variable(init[n], name=n) for n in SHAPES])
    ours.build([nk.Variable(init[n], name=n) for n in SHAPES])
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]


@pytest.mark.parametrize("make", [
    lambda lib: lib.optimizers.SGD(0.1, loss_scale_factor=8.0),
    lambda lib: lib.optimizers.LossScaleOptimizer(lib.optimizers.Adam(0.01), initial_scale=256.0),
    lambda lib: lib.optimizers.Lamb(0.01),
    lambda lib: lib.optimizers.Muon(0.01),
    lambda lib: lib.optimizers.Adafactor(),
    lambda lib: lib.optimizers.ScheduleFreeAdamW(0.01),
    # `fit` ends by setting the weights to their moving averages (`finalize_variable_values`)
    lambda lib: lib.optimizers.Adam(0.01, use_ema=True, ema_momentum=0.9),
    lambda lib: lib.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=3),
], ids=["loss_scale_factor", "loss_scale_optimizer", "lamb", "muon", "adafactor", "schedule_free", "ema",
        "ema_overwrite_frequency"])
def test_training_with_the_new_optimizers_matches_keras(keras, make):
    rng = np.random.default_rng(4)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = x @ rng.normal(size=(4, 2)).astype("float32")

    def build(lib):
        model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(6, activation="tanh"), lib.layers.Dense(2)])
        model.compile(make(lib), "mse")
        return model

    theirs, ours = build(keras), build(nk)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    k_history = theirs.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history
    n_history = ours.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(n_history["loss"], k_history["loss"], rtol=2e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-4, atol=1e-5)


def test_multi_optimizer_matches_keras(keras):
    def build(lib):
        mapping = lib.optimizers.OptimizerMap(lib.optimizers.SGD(0.1, momentum=0.5, name="sgd_inner"),
                                              {".*bias": lib.optimizers.Adam(0.01, name="adam_inner")})
        return lib.optimizers.MultiOptimizer(mapping, name="multi")

    init, grads = _initial_values(), _gradient_sequence()
    k_vars = [keras.Variable(init[n], name=n) for n in SHAPES]
    n_vars = [nk.Variable(init[n], name=n) for n in SHAPES]
    k_opt, n_opt = build(keras), build(nk)
    for step in grads:
        k_opt.apply([g.copy() for g in step], k_vars)
        n_opt.apply([g.copy() for g in step], n_vars)
    _assert_same_state(k_vars, n_vars, k_opt, n_opt)
    assert [type(o).__name__ for o in n_opt.optimizers] == [type(o).__name__ for o in k_opt.optimizers]
    import json

    assert json.dumps(optimizers.serialize(build(nk))) == json.dumps(keras.optimizers.serialize(build(keras)))
    rebuilt = optimizers.deserialize(keras.optimizers.serialize(build(keras)))
    assert isinstance(rebuilt, optimizers.MultiOptimizer)
    assert isinstance(rebuilt._optimizer_map[".*bias"], optimizers.Adam)
