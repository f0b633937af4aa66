"""Helpers for comparing nanokeras ops with real Keras ops (JAX backend): values, dtypes, gradients.

A case is `(id, fn, inputs)` where `fn(ops_module, *inputs)` calls the op through
`keras.ops` or `nanokeras.ops`. Gradients compare nanokeras's tape with `jax.grad`
of `sum(fn(...) * w)` for a fixed random `w`, for every floating input.
"""

import numpy as np

import nanokeras
from nanokeras import ops


def weights(shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _first(out):
    return out[0] if isinstance(out, (tuple, list)) else out


def check_forward(keras, fn, inputs, rtol=1e-6, atol=1e-6, check_dtype=True):
    expected = fn(keras.ops, *inputs)
    got = fn(ops, *inputs)
    expected_parts = expected if isinstance(expected, (tuple, list)) else [expected]
    got_parts = got if isinstance(got, (tuple, list)) else [got]
    assert len(got_parts) == len(expected_parts)
    for g, e in zip(got_parts, expected_parts):
        e, g = np.asarray(e), np.asarray(ops.convert_to_numpy(g))
        assert g.shape == e.shape, f"shape {g.shape} != Keras {e.shape}"
        if check_dtype:
            assert g.dtype == e.dtype, f"dtype {g.dtype} != Keras {e.dtype}"
        if e.dtype.kind in "biu":
            np.testing.assert_array_equal(g, e)
        else:
            np.testing.assert_allclose(g, e, rtol=rtol, atol=atol, equal_nan=True)


def check_gradients(keras, fn, inputs, rtol=1e-5, atol=1e-5):
    import jax
    import jax.numpy as jnp

    float_positions = [i for i, x in enumerate(inputs) if np.asarray(x).dtype.kind == "f"]

    def loss(*floats):
        args = list(inputs)
        for i, v in zip(float_positions, floats):
            args[i] = v
        out = _first(fn(keras.ops, *args))
        return jnp.sum(out * weights(np.shape(out)))

    expected = jax.grad(loss, argnums=tuple(range(len(float_positions))))(
        *[jnp.asarray(inputs[i]) for i in float_positions])
    variables = [nanokeras.Variable(inputs[i]) for i in float_positions]
    with nanokeras.GradientTape() as tape:
        args = list(inputs)
        for i, v in zip(float_positions, variables):
            args[i] = v
        out = _first(fn(ops, *args))
        total = ops.sum(ops.multiply(out, weights(np.shape(ops.convert_to_numpy(out)))))
    got = tape.gradient(total, variables, unconnected_gradients="zero")
    for position, g, e in zip(float_positions, got, expected):
        np.testing.assert_allclose(np.asarray(g), np.asarray(e), rtol=rtol, atol=atol,
                                   err_msg=f"gradient of input {position}")
