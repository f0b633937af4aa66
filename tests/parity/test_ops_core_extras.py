"""Loops, scatter ops, saturate_cast, custom_gradient, rearrange and vectorize against real Keras."""

import numpy as np
import pytest

from nanokeras import ops
from tests.parity.ops_parity import check_forward, check_gradients

rng = np.random.default_rng(0)


def f(*shape):
    return rng.uniform(-2, 2, size=shape).astype("float32")


def _scan(m, x):
    def step(carry, value):
        carry = m.add(m.multiply(carry, 0.5), value)
        return carry, m.multiply(carry, value)

    carry, ys = m.scan(step, m.zeros_like(x[0]), x)
    return m.add(ys, carry)


CASES = [
    ("scan", _scan, [f(4, 3)]),
    ("scan_reverse", lambda m, x: m.scan(lambda c, v: (m.add(c, v), m.multiply(c, v)), m.zeros_like(x[0]), x,
                                         reverse=True)[1], [f(5, 2)]),
    ("associative_scan", lambda m, x: m.associative_scan(lambda a, b: m.add(a, b), x), [f(7, 2)]),
    ("associative_scan_product", lambda m, x: m.associative_scan(lambda a, b: m.multiply(a, b), x, reverse=True,
                                                                 axis=1), [f(2, 6)]),
    ("map", lambda m, x: m.map(lambda row: m.sum(m.square(row)), x), [f(3, 4)]),
    ("vectorized_map", lambda m, x: m.vectorized_map(lambda row: m.multiply(row, m.sum(row)), x), [f(3, 4)]),
    ("vectorize", lambda m, x, y: m.vectorize(lambda a, b: m.sum(m.multiply(a, b)), signature="(n),(n)->()")(x, y),
     [f(2, 3, 4), f(3, 4)]),
    ("scatter", lambda m, v: m.scatter(np.array([[0, 1], [0, 1], [2, 0]], "int32"), v, (3, 2)), [f(3)]),
    ("scatter_rows", lambda m, v: m.scatter(np.array([[2], [0]], "int32"), v, (4, 3)), [f(2, 3)]),
    ("scatter_update", lambda m, x, u: m.scatter_update(x, np.array([[0, 1], [2, 2]], "int32"), u), [f(3, 3), f(2)]),
    ("scatter_update_rows", lambda m, x, u: m.scatter_update(x, np.array([[1], [3]], "int32"), u), [f(4, 2), f(2, 2)]),
    ("saturate_cast", lambda m, x: m.saturate_cast(m.multiply(x, 100.0), "float16"), [f(5)]),
    ("rearrange", lambda m, x: m.rearrange(x, "b (h w) c -> c b h w", h=2), [f(2, 6, 3)]),
    ("rearrange_merge", lambda m, x: m.rearrange(x, "b h w c -> b (h w c)"), [f(2, 2, 3, 2)]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_values_match_keras(keras, case):
    check_forward(keras, case[1], case[2], rtol=1e-5, atol=1e-5)


GRADIENT_CASES = [c for c in CASES if c[0] != "saturate_cast"]  # float16 output: compared as values only


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=[c[0] for c in GRADIENT_CASES])
def test_gradients_match_jax(keras, case):
    check_gradients(keras, case[1], case[2], rtol=1e-4, atol=1e-4)


def test_saturating_casts_and_switch_match_keras(keras):
    values = np.array([-1.0, 256.0, 7.6, np.inf, -np.inf, np.nan, 3e9], "float32")
    for dtype in ("uint8", "int8", "int32", "uint16", "uint32", "bool", "float16"):
        check_forward(keras, lambda m: m.saturate_cast(values, dtype), [])
    check_forward(keras, lambda m: m.saturate_cast(np.array([300, -300], "int32"), "int8"), [])
    for index in (-1, 0, 1, 7):
        ours = ops.switch(index, [lambda a: a + 1, lambda a: a * 10], np.float32(3))
        theirs = keras.ops.switch(index, [lambda a: a + 1, lambda a: a * 10], np.float32(3))
        assert float(ours) == float(theirs)


def test_custom_gradient_matches_keras(keras):
    def make(m):
        @m.custom_gradient
        def log1pexp(x):
            e = m.exp(x)

            def grad(*args, upstream=None):
                if upstream is None:
                    (upstream,) = args
                return m.multiply(upstream, m.subtract(1.0, m.divide(1.0, m.add(1.0, e))))

            return m.log(m.add(1.0, e)), grad

        return log1pexp

    ours_fn, theirs_fn = make(ops), make(keras.ops)
    check_gradients(keras, lambda m, x: (ours_fn if m is ops else theirs_fn)(x), [f(5)])
