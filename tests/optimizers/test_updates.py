"""Each optimizer against its update rule written out by hand (float64 reference, 3 steps)."""

import math

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import optimizers

# Every test runs twice: numpy optimizer updates, and the `fast` extra's compiled kernels.
pytestmark = pytest.mark.usefixtures("update_path")

G = [np.array([0.5, -1.0], "float32"), np.array([-0.25, 2.0], "float32"), np.array([1.0, 0.1], "float32")]
W0 = np.array([1.0, -2.0])


def run(opt, grads=G, w0=W0):
    w = nk.Variable(np.array(w0, "float32"), name="w")
    for g in grads:
        opt.apply_gradients([(g, w)])
    return w.numpy().astype("float64")


def check(got, want):
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-7)


def test_sgd():
    w = W0.copy()
    for g in G:
        w -= 0.1 * g
    check(run(optimizers.SGD(0.1)), w)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum(nesterov):
    w, m = W0.copy(), np.zeros(2)
    for g in G:
        m = 0.9 * m - 0.1 * g
        w += 0.9 * m - 0.1 * g if nesterov else m
    check(run(optimizers.SGD(0.1, momentum=0.9, nesterov=nesterov)), w)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam(amsgrad):
    w, m, v, vh = W0.copy(), np.zeros(2), np.zeros(2), np.zeros(2)
    for t, g in enumerate(G, start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        vh = np.maximum(vh, v)
        alpha = 0.01 * math.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        w -= alpha * m / (np.sqrt(vh if amsgrad else v) + 1e-7)
    check(run(optimizers.Adam(0.01, amsgrad=amsgrad)), w)


def test_adamw_decays_before_the_adam_step():
    w, m, v = W0.copy(), np.zeros(2), np.zeros(2)
    for t, g in enumerate(G, start=1):
        w -= w * 0.1 * 0.01
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= 0.01 * math.sqrt(1 - 0.999**t) / (1 - 0.9**t) * m / (np.sqrt(v) + 1e-7)
    check(run(optimizers.AdamW(0.01, weight_decay=0.1)), w)


@pytest.mark.parametrize("centered", [False, True])
@pytest.mark.parametrize("momentum", [0.0, 0.5])
def test_rmsprop(centered, momentum):
    w, v, a, mom = W0.copy(), np.zeros(2), np.zeros(2), np.zeros(2)
    for g in G:
        v = 0.9 * v + 0.1 * g * g
        a = 0.9 * a + 0.1 * g
        denominator = v - a * a + 1e-7 if centered else v + 1e-7
        inc = 0.01 * g / np.sqrt(denominator)
        mom = momentum * mom + inc
        w -= mom if momentum else inc
    check(run(optimizers.RMSprop(0.01, momentum=momentum, centered=centered)), w)


def test_adagrad():
    w, acc = W0.copy(), np.full(2, 0.1)
    for g in G:
        acc += g * g
        w -= 0.1 * g / np.sqrt(acc + 1e-7)
    check(run(optimizers.Adagrad(0.1)), w)


def test_adadelta():
    w, ag, ad = W0.copy(), np.zeros(2), np.zeros(2)
    for g in G:
        ag = 0.95 * ag + 0.05 * g * g
        delta = -np.sqrt(ad + 1e-7) * g / np.sqrt(ag + 1e-7)
        ad = 0.95 * ad + 0.05 * delta * delta
        w += 1.0 * delta
    check(run(optimizers.Adadelta(1.0)), w)


def test_adamax():
    w, m, u = W0.copy(), np.zeros(2), np.zeros(2)
    for t, g in enumerate(G, start=1):
        m = 0.9 * m + 0.1 * g
        u = np.maximum(0.999 * u, np.abs(g))
        w -= 0.01 * m / ((1 - 0.9**t) * (u + 1e-7))
    check(run(optimizers.Adamax(0.01)), w)


def test_nadam():
    w, m, v, u_product = W0.copy(), np.zeros(2), np.zeros(2), 1.0
    for t, g in enumerate(G, start=1):
        u_t = 0.9 * (1 - 0.5 * 0.96**t)
        u_next = 0.9 * (1 - 0.5 * 0.96 ** (t + 1))
        u_product *= u_t
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        m_hat = u_next * m / (1 - u_product * u_next) + (1 - u_t) * g / (1 - u_product)
        w -= 0.01 * m_hat / (np.sqrt(v / (1 - 0.999**t)) + 1e-7)
    check(run(optimizers.Nadam(0.01)), w)


def test_ftrl():
    lr, l1, l2, shrink, beta, power = 0.1, 0.01, 0.02, 0.03, 0.1, -0.5
    w, n, z = W0.copy(), np.full(2, 0.1), np.zeros(2)
    for g in G:
        n_new = n + g * g
        z += g + 2 * shrink * w - (n_new ** -power - n ** -power) / lr * w
        quadratic = n_new ** -power / lr + 2 * (l2 + beta / (2 * lr))
        w = (np.clip(z, -l1, l1) - z) / quadratic
        n = n_new
    opt = optimizers.Ftrl(lr, l1_regularization_strength=l1, l2_regularization_strength=l2,
                          l2_shrinkage_regularization_strength=shrink, beta=beta)
    check(run(opt), w)


def test_lion():
    w, m = W0.copy(), np.zeros(2)
    for g in G:
        w -= 0.01 * np.sign(0.9 * m + 0.1 * g)
        m = 0.99 * m + 0.01 * g
    check(run(optimizers.Lion(0.01)), w)


def test_weight_decay_and_exclusion():
    kernel = nk.Variable(np.array([1.0, 2.0]), name="kernel")
    bias = nk.Variable(np.array([1.0, 2.0]), name="bias")
    opt = optimizers.SGD(0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    zero = np.zeros(2, "float32")
    opt.apply_gradients([(zero, kernel), (zero, bias)])
    check(kernel.numpy(), [1.0 - 0.05, 2.0 - 0.1])
    check(bias.numpy(), [1.0, 2.0])


def test_clipnorm_clips_each_gradient():
    g = np.array([3.0, 4.0], "float32")  # norm 5
    check(run(optimizers.SGD(1.0, clipnorm=1.0), grads=[g]), W0 - [0.6, 0.8])
    check(run(optimizers.SGD(1.0, clipnorm=10.0), grads=[g]), W0 - [3.0, 4.0])


def test_global_clipnorm_scales_all_gradients_together():
    a, b = nk.Variable(np.zeros(1), name="a"), nk.Variable(np.zeros(1), name="b")
    opt = optimizers.SGD(1.0, global_clipnorm=1.0)
    opt.apply_gradients([(np.array([3.0], "float32"), a), (np.array([4.0], "float32"), b)])
    check(a.numpy(), [-0.6])
    check(b.numpy(), [-0.8])


def test_clipvalue():
    check(run(optimizers.SGD(1.0, clipvalue=0.5), grads=[np.array([3.0, -0.2], "float32")]),
          W0 - [0.5, -0.2])


def test_loss_scale_factor_divides_gradients():
    assert optimizers.SGD(loss_scale_factor=4.0).scale_loss(2.0) == 8.0
    check(run(optimizers.SGD(1.0, loss_scale_factor=4.0), grads=[np.array([4.0, 8.0], "float32")]),
          W0 - [1.0, 2.0])


def test_gradient_accumulation_averages_then_steps():
    opt = optimizers.SGD(1.0, gradient_accumulation_steps=2)
    w = nk.Variable(np.zeros(1), name="w")
    opt.apply_gradients([(np.array([1.0], "float32"), w)])
    check(w.numpy(), [0.0])
    opt.apply_gradients([(np.array([3.0], "float32"), w)])
    check(w.numpy(), [-2.0])
    assert int(opt.iterations) == 1


def test_ema_tracks_and_finalizes():
    opt = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5)
    w = nk.Variable(np.zeros(1), name="w")
    opt.apply_gradients([(np.array([-2.0], "float32"), w)])  # w = 2, average = w (first step)
    opt.apply_gradients([(np.array([-2.0], "float32"), w)])  # w = 4, average = 0.5*2 + 0.5*4
    opt.finalize_variable_values([w])
    check(w.numpy(), [3.0])


def test_schedule_is_evaluated_at_iterations():
    schedule = optimizers.schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    opt = optimizers.SGD(schedule)
    w = nk.Variable(np.zeros(1), name="w")
    for _ in range(3):
        opt.apply_gradients([(np.array([1.0], "float32"), w)])
    check(w.numpy(), [-(1.0 + 0.5 + 0.25)])
    assert float(opt.learning_rate) == 0.125
    assert [v.path for v in opt.variables] == [f"{opt.name}/iteration"]  # no learning_rate variable
