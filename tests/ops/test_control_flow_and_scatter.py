"""Loops (scan, associative_scan, map, switch, vectorized_map, vectorize), scatter ops, saturate_cast,
custom_gradient and rearrange: values, gradients through them, errors."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from tests.ops.gradient_check import check_gradients, gradient_of


def rand(*shape, low=-2.0, high=2.0, seed=0):
    return np.random.default_rng(seed + sum(shape)).uniform(low, high, size=shape)


def _cumulative(x):
    def step(carry, value):
        carry = ops.add(ops.multiply(carry, 0.5), value)
        return carry, ops.multiply(carry, value)

    carry, ys = ops.scan(step, ops.zeros_like(x[0]), x)
    return ops.add(ys, carry)


CASES = [
    ("scan", _cumulative, [rand(4, 3)]),
    ("scan_reverse_nested", lambda x: ops.scan(lambda c, v: ((c[0] + v["a"], c[1] * 1.5), c[0] * v["a"]),
                                               (x[0] * 0.0, x[0] * 0.0 + 1.0), {"a": x}, reverse=True)[1], [rand(3, 2)]),
    ("associative_scan", lambda x: ops.associative_scan(lambda a, b: ops.add(a, b), x), [rand(5, 2)]),
    ("associative_scan_product_reverse_axis", lambda x: ops.associative_scan(ops.multiply, x, reverse=True, axis=1),
     [rand(2, 6)]),
    ("map", lambda x: ops.map(lambda row: ops.sum(ops.square(row)), x), [rand(3, 4)]),
    ("vectorized_map", lambda x, y: ops.vectorized_map(lambda pair: ops.dot(pair[0], pair[1]), (x, y)),
     [rand(3, 4), rand(3, 4, seed=1)]),
    ("vectorize_signature", lambda x, y: ops.vectorize(lambda a, b: ops.sum(a * b), signature="(n),(n)->()")(x, y),
     [rand(2, 3, 4), rand(3, 4, seed=1)]),
    ("vectorize_elementwise", lambda x: ops.vectorize(lambda v: v * v + 1.0)(x), [rand(2, 3)]),
    ("scatter", lambda v: ops.scatter(np.array([[0, 1], [0, 1], [2, 0]]), v, (3, 2)), [rand(3)]),
    ("scatter_rows", lambda v: ops.scatter(np.array([[2], [0]]), v, (4, 3)), [rand(2, 3)]),
    ("scatter_update", lambda x, u: ops.scatter_update(x, np.array([[0, 1], [2, 2]]), u), [rand(3, 3), rand(2, seed=1)]),
    ("scatter_update_add", lambda x, u: ops.scatter_update(x, np.array([[1], [1]]), u, reduction="add"),
     [rand(3, 2), rand(2, 2, seed=1)]),
    ("scatter_update_max", lambda x, u: ops.scatter_update(x, np.array([[0], [2]]), u, reduction="max"),
     [rand(3), rand(2, seed=5)]),
    ("scatter_update_mul", lambda x, u: ops.scatter_update(x, np.array([[0], [2]]), u, reduction="mul"),
     [rand(3), rand(2, seed=1)]),
    ("saturate_cast", lambda x: ops.saturate_cast(ops.multiply(x, 3.0), "float64"), [rand(3)]),
    ("rearrange", lambda x: ops.rearrange(x, "b (h w) c -> c b h w", h=2), [rand(2, 6, 3)]),
    ("custom_gradient", lambda x: _log1pexp(x), [rand(4)]),
]


@ops.custom_gradient
def _log1pexp(x):
    e = ops.exp(x)

    def grad(*args, upstream=None):
        if upstream is None:
            (upstream,) = args
        return ops.multiply(upstream, ops.subtract(1.0, ops.divide(1.0, ops.add(1.0, ops.exp(x)))))

    return ops.log(ops.add(1.0, e)), grad


@pytest.mark.parametrize("fn,inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradients_match_finite_differences(fn, inputs):
    check_gradients(fn, *inputs)


@pytest.mark.parametrize("name", ["scan", "associative_scan_product_reverse_axis", "vectorize_signature",
                                  "scatter_update", "rearrange"])
def test_second_derivatives(name):
    fn, inputs = {c[0]: c[1:] for c in CASES}[name]
    check_gradients(gradient_of(fn), *inputs, rtol=1e-4, atol=1e-5)


def test_loop_values():
    x = rand(7, 2)
    carry, ys = ops.scan(lambda c, v: (c + v, c), np.zeros(2), x)
    np.testing.assert_allclose(carry, x.sum(0))
    np.testing.assert_allclose(ys, np.concatenate([np.zeros((1, 2)), np.cumsum(x, 0)[:-1]]))
    carry, ys = ops.scan(lambda c, _: (c * 2, None), 1.0, length=3)
    assert float(carry) == 8.0 and ys is None
    for n in range(1, 9):
        np.testing.assert_allclose(ops.associative_scan(np.add, np.arange(n)), np.cumsum(np.arange(n)))
    np.testing.assert_allclose(ops.associative_scan(np.maximum, np.array([1, 3, 2, 5, 4]), reverse=True),
                               [5, 5, 5, 5, 4])
    pairs = ops.associative_scan(lambda a, b: (a[0] + b[0], a[1] * b[1]), (np.arange(1, 5), np.arange(1, 5)))
    assert pairs[0].tolist() == [1, 3, 6, 10] and pairs[1].tolist() == [1, 2, 6, 24]
    assert ops.map(lambda v: {"s": ops.sum(v)}, np.ones((3, 2)))["s"].tolist() == [2.0, 2.0, 2.0]
    assert ops.switch(5, [lambda a: a + 1, lambda a: a * 10], 3) == 30
    assert ops.switch(-2, [lambda a: a + 1, lambda a: a * 10], 3) == 4
    np.testing.assert_allclose(ops.vectorize(lambda a, b: a + b)(np.ones((2, 1)), np.arange(3.0)),
                               np.ones((2, 1)) + np.arange(3.0))
    assert ops.vectorized_map(lambda row: row * 2, np.arange(6).reshape(3, 2)).tolist() == [[0, 2], [4, 6], [8, 10]]


def test_scatter_values():
    base = np.arange(9.0).reshape(3, 3)
    out = ops.scatter_update(base, np.array([[0, 0], [1, 2]]), np.array([-1.0, -2.0]))
    assert out[0, 0] == -1.0 and out[1, 2] == -2.0 and base[0, 0] == 0.0  # a new array
    added = ops.scatter_update(base, np.array([[0, 0], [0, 0]]), np.array([1.0, 1.0]), reduction="add")
    assert added[0, 0] == 2.0
    assert ops.scatter_update(base, np.array([[2]]), np.array([[0.0, 100.0, 0.0]]), reduction="max")[2].tolist() == [
        6.0, 100.0, 8.0]
    assert ops.scatter_update(base, np.array([[1, 1]]), np.array([3.0]), reduction="mul")[1, 1] == 12.0


def test_ties_in_scatter_max_share_the_gradient():
    w, u = keras.Variable([1.0, 2.0]), keras.Variable([1.0, 1.0])
    with keras.GradientTape() as tape:
        total = ops.sum(ops.scatter_update(w, np.array([[0], [0]]), u, reduction="max"))
    gw, gu = tape.gradient(total, [w, u])
    np.testing.assert_allclose(gw, [1 / 3, 1.0]) and np.testing.assert_allclose(gu, [1 / 3, 1 / 3])


def test_saturate_cast_clips_before_casting():
    assert ops.saturate_cast(np.array([-1.0, 256.0, 7.6]), "uint8").tolist() == [0, 255, 7]
    assert ops.saturate_cast(np.array([np.inf, -np.inf], "float32"), "int32").tolist()[0] > 2_000_000_000
    assert ops.saturate_cast(np.array([300], "int32"), "int8").tolist() == [127]


def test_custom_gradient_replaces_the_gradient_and_replays():
    from nanokeras.ops.trace import Trace

    w = keras.Variable([3.0, -0.5])

    @ops.custom_gradient
    def clipped(x):
        return ops.multiply(x, 2.0), lambda upstream: ops.clip(upstream, -1.0, 1.0)

    with keras.GradientTape() as tape:
        y = ops.sum(ops.multiply(clipped(w), np.array([5.0, 0.5])))
    trace = Trace(tape)
    assert trace.replayable
    assert tape.gradient(y, w).tolist() == [1.0, 0.5]
    w.assign([1.0, 1.0])
    trace.forward()
    assert float(y.value) == 11.0


def test_rearrange():
    x = np.arange(24).reshape(2, 3, 4)
    np.testing.assert_array_equal(ops.rearrange(x, "a b c -> c a b"), x.transpose(2, 0, 1))
    np.testing.assert_array_equal(ops.rearrange(x, "a b c -> a (b c)"), x.reshape(2, 12))
    np.testing.assert_array_equal(ops.rearrange(x.reshape(6, 4), "(a b) c -> b a c", a=2),
                                  x.transpose(1, 0, 2))


@pytest.mark.parametrize("call,error,match", [
    (lambda: ops.scan(3, 0.0, np.ones(2)), TypeError, "callable"),
    (lambda: ops.scan(lambda c, x: (c, x), 0.0), ValueError, "length"),
    (lambda: ops.scan(lambda c, x: (c, x), 0.0, np.ones(2), unroll=0), ValueError, "unroll"),
    (lambda: ops.scan(lambda c, x: (c, x), 0.0, [np.ones(2), np.ones(3)]), ValueError, "first axis"),
    (lambda: ops.associative_scan(np.add, [np.ones(2), np.ones(3)]), ValueError, "same size"),
    (lambda: ops.switch(0, [], 1), ValueError, "branch"),
    (lambda: ops.vectorize(np.sum, signature="(n)->")(np.ones(2)), ValueError, "signature"),
    (lambda: ops.scatter(np.array([[3]]), np.ones(1), (2,)), ValueError, "out of range"),
    (lambda: ops.scatter(np.array([[0.5]]), np.ones(1), (2,)), ValueError, "integers"),
    (lambda: ops.scatter(np.array([[0]]), np.ones(2), (2,)), ValueError, "shape"),
    (lambda: ops.scatter_update(np.ones(3), np.array([[0]]), np.ones(1), reduction="sub"), ValueError, "reduction"),
    (lambda: ops.rearrange(np.ones((2, 3)), "a b c -> a b c"), ValueError, "names 3 axes"),
    (lambda: ops.rearrange(np.ones((2, 3)), "a b -> a c"), ValueError, "same axes"),
    (lambda: ops.rearrange(np.ones((6, 3)), "(a b) c -> a b c"), ValueError, "all but one"),
    (lambda: ops.rearrange(np.ones((6, 3)), "(a b) c -> a b c", a=4), ValueError, "cannot be split"),
])
def test_bad_arguments_are_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_custom_gradient_needs_a_pair():
    with pytest.raises(TypeError, match="output, grad_fn"):
        ops.custom_gradient(lambda x: x)(np.ones(2))
