"""Second derivatives through nested GradientTapes, checked against finite differences (float64)."""

import numpy as np

import nanokeras as keras
from nanokeras import ops

RNG = np.random.default_rng(0)
X = RNG.normal(size=(5, 3))
W2 = RNG.normal(size=(4, 1))


def _mlp_loss(w1):
    hidden = ops.tanh(ops.matmul(X, w1))
    out = ops.sigmoid(ops.matmul(hidden, W2))
    return ops.mean(ops.square(out - 0.5)) + 0.1 * ops.sum(ops.square(w1))


def _gradient(w_value):
    w = keras.Variable(w_value, dtype="float64")
    with keras.GradientTape() as tape:
        loss = _mlp_loss(w)
    return np.asarray(tape.gradient(loss, w))


def test_hessian_vector_product_matches_finite_differences():
    w_value = RNG.normal(size=(3, 4))
    direction = RNG.normal(size=(3, 4))
    w = keras.Variable(w_value, dtype="float64")
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            loss = _mlp_loss(w)
        grad = inner.gradient(loss, w)
        directional = ops.sum(grad * direction)
    hvp = np.asarray(outer.gradient(directional, w))
    eps = 1e-5
    numeric = (_gradient(w_value + eps * direction) - _gradient(w_value - eps * direction)) / (2 * eps)
    np.testing.assert_allclose(hvp, numeric, rtol=1e-5, atol=1e-8)


def test_full_hessian_entries_with_persistent_tape():
    w_value = RNG.normal(size=(3, 4))
    w = keras.Variable(w_value, dtype="float64")
    with keras.GradientTape(persistent=True) as outer:
        with keras.GradientTape() as inner:
            loss = _mlp_loss(w)
        grad = inner.gradient(loss, w)
        entries = [grad[0, 0], grad[2, 3]]
    eps = 1e-5
    for (i, j), entry in zip([(0, 0), (2, 3)], entries):
        row = np.asarray(outer.gradient(entry, w))
        for k, l in [(0, 0), (1, 2), (2, 3)]:
            bumped_p, bumped_m = w_value.copy(), w_value.copy()
            bumped_p[k, l] += eps
            bumped_m[k, l] -= eps
            numeric = (_gradient(bumped_p)[i, j] - _gradient(bumped_m)[i, j]) / (2 * eps)
            np.testing.assert_allclose(row[k, l], numeric, rtol=1e-5, atol=1e-8)
    del outer


def test_second_derivative_of_scalar_expression_is_exact():
    x = keras.Variable(np.array(0.7), dtype="float64")
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            y = ops.tanh(x) * ops.exp(x)
        dy = inner.gradient(y, x)
    d2y = float(np.asarray(outer.gradient(dy, x)))
    t, e = np.tanh(0.7), np.exp(0.7)
    sech2 = 1 - t ** 2
    expected = e * (t + 2 * sech2 - 2 * t * sech2)
    np.testing.assert_allclose(d2y, expected, rtol=1e-10)
