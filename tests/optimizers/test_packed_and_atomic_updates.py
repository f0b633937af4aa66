"""Optimizer steps over weights packed into one array equal the per-variable steps bit for bit,
and a step is all-or-nothing: Ctrl-C at any point of it, or an exception in user code, never
leaves a state that no step produced."""

import signal
import sys

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import optimizers

# Every test runs twice: numpy optimizer updates, and the `fast` extra's compiled kernels.
pytestmark = pytest.mark.usefixtures("update_path")

CONFIGS = [
    ("sgd", lambda: optimizers.SGD(0.1)),
    ("sgd_momentum_nesterov", lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True)),
    ("adam", lambda: optimizers.Adam(0.01)),
    ("adam_amsgrad", lambda: optimizers.Adam(0.01, amsgrad=True)),
    ("adamw_excluding_bias", lambda: _adamw_excluding_bias()),
    ("rmsprop_centered_momentum", lambda: optimizers.RMSprop(0.01, momentum=0.5, centered=True)),
    ("adagrad", lambda: optimizers.Adagrad(0.1)),
    ("adadelta", lambda: optimizers.Adadelta(1.0)),
    ("adamax", lambda: optimizers.Adamax(0.01)),
    ("nadam", lambda: optimizers.Nadam(0.01)),
    ("ftrl", lambda: optimizers.Ftrl(0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.01)),
    ("lion", lambda: optimizers.Lion(0.01)),
    ("adam_ema_clipnorm", lambda: optimizers.Adam(0.01, use_ema=True, ema_overwrite_frequency=2, clipnorm=0.5)),
    ("sgd_accumulation_weight_decay", lambda: optimizers.SGD(0.1, weight_decay=0.01, gradient_accumulation_steps=2)),
]


def _adamw_excluding_bias():
    opt = optimizers.AdamW(0.01, weight_decay=0.1)
    opt.exclude_from_weight_decay(var_names=["bias"])
    return opt


def _variables():
    rng = np.random.default_rng(0)
    return [keras.Variable(rng.normal(size=(3, 4)).astype("float32"), name="kernel"),
            keras.Variable(rng.normal(size=(4,)).astype("float32"), name="bias"),
            keras.Variable(rng.normal(size=(2, 2, 2)).astype("float32"), name="scale")]


def _gradients(step, variables):
    rng = np.random.default_rng(100 + step)
    return [rng.normal(size=v.shape).astype("float32") for v in variables]


def _state(optimizer, variables):
    return [v.numpy() for v in variables] + [v.numpy() for v in optimizer.variables]


@pytest.mark.parametrize("make", [c[1] for c in CONFIGS], ids=[c[0] for c in CONFIGS])
def test_packed_step_equals_per_variable_step(make):
    packed_vars, plain_vars = _variables(), _variables()
    packed, plain = make(), make()
    plain.build(plain_vars)
    plain._pack_pending = False  # this one keeps a separate array per variable
    for step in range(5):
        packed.apply(_gradients(step, packed_vars), packed_vars)
        plain.apply(_gradients(step, plain_vars), plain_vars)
    assert packed._flat is not None and plain._flat is None
    for a, b in zip(_state(packed, packed_vars), _state(plain, plain_vars)):
        np.testing.assert_array_equal(a, b)


def test_packed_weights_are_views_that_every_api_sees():
    variables = _variables()
    opt = optimizers.Adam(0.01)
    opt.apply(_gradients(0, variables), variables)
    flat = opt._flat.value
    assert all(np.shares_memory(v.value, flat) for v in variables)
    variables[1].assign(np.full(4, 7.0, "float32"))
    assert np.all(flat[12:16] == 7.0)
    opt.apply(_gradients(1, variables), variables)
    assert not np.all(variables[1].numpy() == 7.0)  # the packed update moved it


def _interrupt_at_line(k, make, variables, grads):
    """Runs one `apply`, raising SIGINT (a real signal) at the k-th line it executes."""
    optimizer_modules = ("nanokeras/optimizers/", "nanokeras\\optimizers\\")
    count = [0]

    def tracer(frame, event, arg):
        if event == "line" and any(m in frame.f_code.co_filename for m in optimizer_modules):
            count[0] += 1
            if count[0] == k:
                signal.raise_signal(signal.SIGINT)
        return tracer

    interrupted = False
    sys.settrace(tracer)
    try:
        make.apply(grads, variables)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        sys.settrace(None)
    return interrupted, count[0]


@pytest.mark.parametrize("make", [c[1] for c in CONFIGS[:4] + CONFIGS[-2:]], ids=[c[0] for c in CONFIGS[:4] + CONFIGS[-2:]])
def test_ctrl_c_anywhere_in_a_step_leaves_a_state_some_step_produced(make):
    variables = _variables()
    optimizer = make()
    optimizer.apply(_gradients(0, variables), variables)  # built and packed
    before = _state(optimizer, variables)
    reference_vars = [keras.Variable(v.numpy()) for v in variables]
    reference = make()
    reference.build(reference_vars)
    reference.set_weights([w.copy() for w in before[len(variables):]])
    reference.apply(_gradients(1, reference_vars), reference_vars)
    after = _state(reference, reference_vars)
    def restore():
        for v, a in zip(variables + optimizer.variables, before):
            v.assign(a)

    for _ in range(2):  # counts the lines of a step (the second run: caches warm, as in the loop)
        restore()
        _, lines = _interrupt_at_line(0, optimizer, variables, _gradients(1, variables))
    for k in range(1, lines + 1):
        restore()
        interrupted, _ = _interrupt_at_line(k, optimizer, variables, _gradients(1, variables))
        state = _state(optimizer, variables)
        same_as_before = all(np.array_equal(a, b) for a, b in zip(state, before))
        same_as_after = all(np.array_equal(a, b) for a, b in zip(state, after))
        assert same_as_before or same_as_after, f"a mixed state after an interrupt at line {k} of {lines}"
        assert interrupted, f"the interrupt at line {k} was lost"
    assert lines > 10  # the trace really walked through the update


def test_an_exception_in_a_custom_update_step_undoes_the_step():
    class Faulty(optimizers.SGD):
        fail = False

        def update_step(self, gradient, variable, learning_rate):
            super().update_step(gradient, variable, learning_rate)
            if self.fail and variable.name == "bias":  # after the kernel was updated
                raise RuntimeError("boom")

    variables = _variables()
    opt = Faulty(0.1, momentum=0.9)
    opt.apply(_gradients(0, variables), variables)
    opt.fail = True
    before = _state(opt, variables)
    with pytest.raises(RuntimeError, match="boom"):
        opt.apply(_gradients(1, variables), variables)
    for a, b in zip(_state(opt, variables), before):
        np.testing.assert_array_equal(a, b)
