"""Checks tape gradients against central finite differences, in float64.

`check_gradients(fn, *inputs)` differentiates `sum(fn(*inputs) * w)` for a fixed
random `w` (so every output element matters) with a `GradientTape`, and
compares each input's gradient with `(f(x + eps) - f(x - eps)) / (2 eps)`.
`gradient_of(fn)` turns `fn` into the function computing its first gradient, so
`check_gradients(gradient_of(fn), x)` checks second derivatives through nested tapes.
"""

import numpy as np

import nanokeras as keras
from nanokeras import ops


def _weights(shape):
    return np.random.default_rng(1234).standard_normal(shape)


def _objective(fn, inputs):
    out = np.asarray(keras.ops.convert_to_numpy(fn(*inputs)), dtype=np.float64)
    return float(np.sum(out * _weights(out.shape)))


def tape_gradients(fn, inputs):
    variables = [keras.Variable(np.asarray(x, np.float64), dtype="float64") for x in inputs]
    with keras.GradientTape() as tape:
        out = fn(*variables)
        loss = ops.sum(ops.multiply(out, _weights(np.shape(ops.convert_to_numpy(out)))))
    grads = tape.gradient(loss, variables, unconnected_gradients="zero")
    return [np.asarray(ops.convert_to_numpy(g), np.float64) for g in grads]


def numeric_gradients(fn, inputs, eps=1e-6):
    inputs = [np.array(x, dtype=np.float64) for x in inputs]
    grads = []
    for i, x in enumerate(inputs):
        g = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            plus = [a.copy() for a in inputs]
            minus = [a.copy() for a in inputs]
            plus[i][j] += eps
            minus[i][j] -= eps
            g[j] = (_objective(fn, plus) - _objective(fn, minus)) / (2 * eps)
        grads.append(g)
    return grads


def check_gradients(fn, *inputs, rtol=1e-5, atol=1e-6, eps=1e-6):
    """Asserts the tape gradient of every input matches finite differences."""
    analytic = tape_gradients(fn, inputs)
    numeric = numeric_gradients(fn, inputs, eps)
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        assert a.shape == np.shape(inputs[i]), f"input {i}: gradient shape {a.shape} != {np.shape(inputs[i])}"
        np.testing.assert_allclose(a, n, rtol=rtol, atol=atol, err_msg=f"gradient of input {i}")


def gradient_of(fn, wrt=0):
    """A function returning d sum(fn(*xs) * w) / d xs[wrt]; differentiable itself."""

    def grad(*xs):
        # Plain arrays become Variables: numpy's own operators would bypass the tape.
        xs = [keras.Variable(x, dtype=x.dtype) if isinstance(x, np.ndarray) else x for x in xs]
        with keras.GradientTape() as tape:
            out = fn(*xs)
            loss = ops.sum(ops.multiply(out, _weights(np.shape(ops.convert_to_numpy(out)))))
        return tape.gradient(loss, xs[wrt], unconnected_gradients="zero")

    return grad
