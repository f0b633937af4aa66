"""nanokeras.ops against real keras.ops (JAX backend): forward values and gradients (via jax.grad).

Inputs include kinks and ties (0, equal values, clip bounds) so the gradient
conventions there are checked too.
"""

import numpy as np
import pytest

import nanokeras
from nanokeras import ops

RTOL = ATOL = 1e-6

X = np.array([[-2.5, -1.0, 0.0, 0.5], [1.0, 1.0, 2.0, 3.0], [0.25, -0.75, 6.0, -3.0]], "float32")
Y = np.array([[0.5, 1.0, -1.0, 2.0], [1.0, 0.0, 2.0, -1.5], [3.0, 0.25, 1.5, -3.0]], "float32")
P = np.abs(X) + 0.5  # positive inputs for log, sqrt, ...
W = np.random.default_rng(0).standard_normal(X.shape).astype("float32")

# (name, args builder: module -> callable of the float inputs, inputs)
UNARY = ["exp", "expm1", "square", "abs", "sign", "tanh", "sin", "cos", "round", "floor",
         "ceil", "negative", "sigmoid", "relu", "relu6", "softplus", "softsign", "silu", "log_sigmoid",
         "hard_sigmoid", "hard_silu", "elu", "selu", "celu", "hard_tanh", "leaky_relu", "gelu",
         "softmax", "log_softmax", "sort", "cumsum", "flip", "erf", "sum", "mean", "max", "min",
         "var", "std", "logsumexp", "norm", "ravel", "transpose", "arctan", "sinh", "cosh"]
POSITIVE = ["log", "log1p", "sqrt", "log2", "log10", "reciprocal", "rsqrt", "prod"]
BINARY = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "power_pos", "mod_pos", "matmul_t"]

CASES = (
    [(n, (lambda n: lambda m, x: getattr(m, n)(x))(n), [X]) for n in UNARY]
    + [(n, (lambda n: lambda m, x: getattr(m, n)(x))(n), [P]) for n in POSITIVE]
    + [
        ("add", lambda m, a, b: m.add(a, b), [X, Y]),
        ("add_broadcast", lambda m, a, b: m.add(a, b), [X, Y[0]]),
        ("subtract", lambda m, a, b: m.subtract(a, b), [X, Y]),
        ("multiply", lambda m, a, b: m.multiply(a, b), [X, Y[:, :1]]),
        ("divide", lambda m, a, b: m.divide(a, b), [X, P]),
        ("maximum_ties", lambda m, a, b: m.maximum(a, b), [X, Y]),
        ("minimum_ties", lambda m, a, b: m.minimum(a, b), [X, Y]),
        ("power", lambda m, a, b: m.power(a, b), [P, Y]),
        ("mod", lambda m, a, b: m.mod(a, b), [X, P]),
        ("matmul", lambda m, a, b: m.matmul(a, m.transpose(b)), [X, Y]),
        ("dot", lambda m, a, b: m.dot(a, m.transpose(b)), [X, Y]),
        ("einsum", lambda m, a, b: m.einsum("ij,kj->ik", a, b), [X, Y]),
        ("where", lambda m, a, b: m.where(m.greater(a, b), a, b), [X, Y]),
        ("clip_bounds", lambda m, x: m.clip(x, -1.0, 1.0), [X]),
        ("max_axis_ties", lambda m, x: m.max(x, axis=1), [X]),
        ("sum_axis", lambda m, x: m.sum(x, axis=0, keepdims=True), [X]),
        ("mean_axes", lambda m, x: m.mean(x, axis=(0, 1)), [X]),
        ("var_axis", lambda m, x: m.var(x, axis=1), [X]),
        ("softmax_axis0", lambda m, x: m.softmax(x, axis=0), [X]),
        ("log_softmax_axis0", lambda m, x: m.log_softmax(x, axis=0), [X]),
        ("leaky_relu_slope", lambda m, x: m.leaky_relu(x, negative_slope=0.1), [X]),
        ("elu_alpha", lambda m, x: m.elu(x, alpha=0.5), [X]),
        ("gelu_exact", lambda m, x: m.gelu(x, approximate=False), [X]),
        ("logsumexp_axis", lambda m, x: m.logsumexp(x, axis=1), [X]),
        ("norm_axis", lambda m, x: m.norm(x, axis=1), [X]),
        ("norm_l1", lambda m, x: m.norm(x, ord=1, axis=0), [X]),
        ("norm_fro", lambda m, x: m.norm(x, ord="fro"), [X]),
        ("norm_2", lambda m, x: m.norm(x, ord=2), [X]),
        ("top_k", lambda m, x: m.top_k(x, 2)[0], [X]),
        ("reshape", lambda m, x: m.reshape(x, (2, 6)), [X]),
        ("expand_squeeze", lambda m, x: m.squeeze(m.expand_dims(x, 1), 1), [X]),
        ("concatenate", lambda m, a, b: m.concatenate([a, b], axis=1), [X, Y]),
        ("stack", lambda m, a, b: m.stack([a, b], axis=-1), [X, Y]),
        ("take", lambda m, x: m.take(x, np.array([0, 2, 2]), axis=1), [X]),
        ("take_along_axis", lambda m, x: m.take_along_axis(x, np.array([[0], [3], [1]]), axis=1), [X]),
        ("tile", lambda m, x: m.tile(x, (2, 1)), [X]),
        ("repeat", lambda m, x: m.repeat(x, 2, axis=1), [X]),
        ("pad", lambda m, x: m.pad(x, ((1, 0), (2, 1))), [X]),
        ("pad_reflect", lambda m, x: m.pad(x, ((1, 1), (1, 1)), mode="reflect"), [X]),
        ("broadcast_to", lambda m, x: m.broadcast_to(x[0], (2, 4)), [X]),
        ("split", lambda m, x: m.split(x, 2, axis=1)[1], [X]),
        ("tril", lambda m, x: m.tril(x), [X]),
        ("getitem", lambda m, x: x[1:, ::2], [X]),
        ("moments_var", lambda m, x: m.moments(x, axes=[0])[1], [X]),
        ("cast", lambda m, x: m.cast(x, "float32"), [X]),
    ]
)


def _nanokeras_grads(fn, inputs):
    variables = [nanokeras.Variable(x) for x in inputs]
    with nanokeras.GradientTape() as tape:
        out = fn(ops, *variables)
        loss = ops.sum(ops.multiply(out, _weights(np.shape(np.asarray(ops.convert_to_numpy(out))))))
    return [np.asarray(g) for g in tape.gradient(loss, variables, unconnected_gradients="zero")]


def _weights(shape):
    return np.random.default_rng(1).standard_normal(shape).astype("float32")


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_forward_matches_keras(keras, case):
    _, fn, inputs = case
    expected = np.asarray(fn(keras.ops, *inputs))
    got = np.asarray(fn(ops, *inputs))
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)
    assert got.dtype == expected.dtype, f"dtype {got.dtype} != Keras {expected.dtype}"


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_gradients_match_jax_grad(keras, case):
    import jax
    import jax.numpy as jnp

    _, fn, inputs = case

    def loss(*xs):
        out = fn(keras.ops, *xs)
        return jnp.sum(out * _weights(np.shape(out)))

    expected = jax.grad(loss, argnums=tuple(range(len(inputs))))(*[jnp.asarray(x) for x in inputs])
    got = _nanokeras_grads(fn, inputs)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, np.asarray(e), rtol=1e-5, atol=1e-5)


def test_integer_and_creation_ops_match_keras(keras):
    k = keras.ops
    a = np.array([[3, 1, 2], [0, 5, 5]])
    for name in ("argmax", "argmin"):
        for axis in (None, 0, 1):
            np.testing.assert_array_equal(getattr(ops, name)(a, axis=axis), getattr(k, name)(a, axis=axis))
    np.testing.assert_array_equal(ops.argsort(a), k.argsort(a))
    np.testing.assert_array_equal(ops.count_nonzero(a), k.count_nonzero(a))
    np.testing.assert_array_equal(ops.one_hot(np.array([0, 2, -1]), 3), k.one_hot(np.array([0, 2, -1]), 3))
    np.testing.assert_array_equal(ops.top_k(a, 2)[1], k.top_k(a.astype("float32"), 2)[1])
    assert ops.arange(5).dtype == np.dtype(str(k.arange(5).dtype))
    assert ops.zeros((2,)).dtype == np.dtype(str(k.zeros((2,)).dtype))
    assert ops.mean(a).dtype == np.dtype(str(k.mean(a).dtype))
    assert ops.argmax(a).dtype == np.dtype(str(k.argmax(a).dtype))
    np.testing.assert_array_equal(ops.in_top_k(np.array([0, 1]), a.astype("float32"), 1),
                                  k.in_top_k(np.array([0, 1]), a.astype("float32"), 1))
