"""Forward values vs numpy / closed forms, Keras dtype rules, gradients at kinks, and error messages."""

import math

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops

X = np.array([[-1.5, 0.25, 2.0], [3.0, -0.5, 0.0]], dtype="float32")


def grad(fn, x):
    v = keras.Variable(np.asarray(x, "float64"), dtype="float64")
    with keras.GradientTape() as tape:
        y = ops.sum(fn(v))
    return tape.gradient(y, v)


@pytest.mark.parametrize(
    "op,ref",
    [
        (ops.exp, np.exp), (ops.log1p, lambda x: np.log1p(np.abs(x))), (ops.square, np.square),
        (ops.abs, np.abs), (ops.sign, np.sign), (ops.tanh, np.tanh), (ops.sin, np.sin),
        (ops.cos, np.cos), (ops.round, np.round), (ops.floor, np.floor), (ops.ceil, np.ceil),
        (ops.sum, np.sum), (ops.mean, np.mean), (ops.max, np.max), (ops.min, np.min),
        (ops.prod, np.prod), (ops.var, np.var), (ops.std, np.std), (ops.cumsum, np.cumsum),
        (ops.sort, np.sort), (ops.flip, np.flip), (ops.ravel, np.ravel),
    ],
)
def test_unary_values_match_numpy_and_keep_float32(op, ref):
    x = np.abs(X) if op is ops.log1p else X
    out = op(x)
    np.testing.assert_allclose(out, ref(x), rtol=1e-6, atol=1e-7)
    assert out.dtype == np.float32


def test_binary_values_broadcast_and_python_scalars_do_not_upcast():
    y = np.array([1.0, 2.0, 4.0], "float32")
    for op, ref in [(ops.add, np.add), (ops.subtract, np.subtract), (ops.multiply, np.multiply),
                    (ops.divide, np.divide), (ops.maximum, np.maximum), (ops.minimum, np.minimum),
                    (ops.power, np.power)]:
        np.testing.assert_allclose(op(np.abs(X), y), ref(np.abs(X), y), rtol=1e-6)
        assert op(X, 2.0).dtype == np.float32
    assert ops.where(X > 0, 1.0, 0.0).dtype == np.float32
    assert ops.exp(1.0).dtype == np.float32
    assert ops.exp([1, 2]).dtype == np.float32  # ints give floats, as Keras


def test_matmul_dot_einsum_tensordot_values():
    a, b = np.random.rand(2, 3, 4), np.random.rand(4, 5)
    np.testing.assert_allclose(ops.matmul(a, b), a @ b)
    np.testing.assert_allclose(ops.dot(a, b), np.dot(a, b))
    np.testing.assert_allclose(ops.einsum("bij,jk->bik", a, b), a @ b)
    np.testing.assert_allclose(ops.tensordot(a, b, axes=1), np.tensordot(a, b, axes=1))
    np.testing.assert_allclose(ops.outer([1.0, 2.0], [3.0, 4.0]), [[3, 4], [6, 8]])


def test_shape_ops_values():
    a = np.arange(24.0).reshape(2, 3, 4)
    assert ops.expand_dims(a, 0).shape == (1, 2, 3, 4)
    assert ops.squeeze(np.ones((1, 3, 1))).shape == (3,)
    assert ops.moveaxis(a, 0, -1).shape == (3, 4, 2)
    assert ops.swapaxes(a, 0, 2).shape == (4, 3, 2)
    np.testing.assert_array_equal(ops.moveaxis(a, [0, 1], [2, 0]), np.moveaxis(a, [0, 1], [2, 0]))
    np.testing.assert_array_equal(ops.concatenate([a, a], axis=-1), np.concatenate([a, a], -1))
    np.testing.assert_array_equal(ops.stack([a, a], axis=1), np.stack([a, a], 1))
    assert [p.shape for p in ops.split(a, [1, 3], axis=2)] == [(2, 3, 1), (2, 3, 2), (2, 3, 1)]
    np.testing.assert_array_equal(ops.take(a, [0, 2], axis=1), np.take(a, [0, 2], axis=1))
    idx = np.array([[[0], [3], [1]], [[2], [2], [0]]])
    np.testing.assert_array_equal(ops.take_along_axis(a, idx, axis=2), np.take_along_axis(a, idx, 2))
    np.testing.assert_array_equal(ops.tile(a, 2), np.tile(a, 2))
    np.testing.assert_array_equal(ops.repeat(a, 2, axis=1), np.repeat(a, 2, axis=1))
    np.testing.assert_array_equal(ops.pad(a, 1, mode="edge"), np.pad(a, 1, mode="edge"))
    np.testing.assert_array_equal(ops.tril(a[0]), np.tril(a[0]))
    assert ops.size(a) == 24 and ops.ndim(a) == 3 and ops.shape(a) == (2, 3, 4)


def test_comparisons_logic_and_creation():
    assert ops.greater(X, 0).dtype == np.bool_
    np.testing.assert_array_equal(ops.equal(X, 0.0), X == 0)
    np.testing.assert_array_equal(ops.logical_and(X > 0, X < 2), (X > 0) & (X < 2))
    np.testing.assert_array_equal(ops.logical_not(X > 0), ~(X > 0))
    assert ops.all(X > -2) and not ops.any(X > 5)
    assert ops.count_nonzero(X).dtype == np.int32 and int(ops.count_nonzero(X)) == 5
    assert ops.argmax(X, axis=1).tolist() == [2, 0] and ops.argmax(X).dtype == np.int32
    assert ops.argmin(X).tolist() == 0
    np.testing.assert_array_equal(ops.isnan([np.nan, 1.0]), [True, False])
    np.testing.assert_array_equal(ops.isfinite([np.inf, 1.0]), [False, True])
    assert ops.zeros((2, 3)).dtype == np.float32 and ops.ones(2, dtype="int32").dtype == np.int32
    assert ops.full((2,), 7.0).dtype == np.float32
    assert ops.zeros_like(np.ones(2, "int32")).dtype == np.int32
    assert ops.arange(3).dtype == np.int32 and ops.arange(0.0, 1.0, 0.5).dtype == np.float32
    assert ops.eye(3).dtype == np.float32 and ops.identity(2).tolist() == [[1, 0], [0, 1]]
    assert ops.mean(np.array([1, 2])).dtype == np.float32


def test_math_values():
    x = np.array([[1.0, 3.0, 2.0], [5.0, -1.0, 5.0]], "float32")
    np.testing.assert_allclose(ops.logsumexp(x, axis=1), np.log(np.exp(x).sum(1)), rtol=1e-6)
    assert np.isfinite(ops.logsumexp(np.array([1e4, 1e4], "float32")))
    assert float(ops.logsumexp(np.array([-np.inf, -np.inf]))) == -np.inf
    values, indices = ops.top_k(x, 2)
    assert values.tolist() == [[3, 2], [5, 5]] and indices.tolist() == [[1, 2], [0, 2]]
    assert ops.in_top_k(np.array([2, 1]), x, 1).tolist() == [False, False]
    assert ops.in_top_k(np.array([2, 1]), x, 2).tolist() == [True, False]
    for kwargs in [{}, {"axis": 1}, {"ord": 1, "axis": 0}, {"ord": np.inf}, {"ord": "fro"},
                   {"ord": "nuc"}, {"ord": 2}, {"ord": -1}, {"axis": (0, 1), "keepdims": True}]:
        np.testing.assert_allclose(ops.norm(x, **kwargs), np.linalg.norm(x, **kwargs), rtol=1e-5)
    ref = [math.erf(v) for v in x.ravel()]
    np.testing.assert_allclose(ops.erf(x).ravel(), ref, rtol=1e-6)
    np.testing.assert_allclose(ops.rsqrt(np.array([4.0])), [0.5])


def test_nn_values_closed_forms():
    x = np.linspace(-8, 8, 33).astype("float32")
    sig = 1 / (1 + np.exp(-x.astype("float64")))
    np.testing.assert_allclose(ops.sigmoid(x), sig, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(ops.softplus(x), np.log1p(np.exp(x.astype("float64"))), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(ops.hard_sigmoid(x), np.clip(x / 6 + 0.5, 0, 1), atol=1e-7)
    np.testing.assert_allclose(ops.hard_silu(x), x * np.clip(x / 6 + 0.5, 0, 1), atol=1e-6)
    np.testing.assert_allclose(ops.leaky_relu(x), np.where(x >= 0, x, 0.2 * x), atol=1e-7)
    np.testing.assert_allclose(ops.elu(x), np.where(x > 0, x, np.expm1(x)), atol=1e-7)
    erf = np.array([math.erf(v / math.sqrt(2)) for v in x])
    np.testing.assert_allclose(ops.gelu(x, approximate=False), 0.5 * x * (1 + erf), atol=1e-6)
    tanh_form = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    np.testing.assert_allclose(ops.gelu(x), tanh_form, atol=1e-6)
    np.testing.assert_allclose(ops.softmax(X, axis=0).sum(0), 1.0, rtol=1e-6)
    np.testing.assert_allclose(ops.log_softmax(X), np.log(ops.softmax(X)), atol=1e-6)
    onehot = ops.one_hot(np.array([[0, 2], [-1, 3]]), 3)
    assert onehot.dtype == np.float32 and onehot.shape == (2, 2, 3)
    assert onehot[1].tolist() == [[0, 0, 0], [0, 0, 0]]  # out-of-range labels: all zeros
    assert ops.one_hot(np.array([1, 0]), 2, axis=0).tolist() == [[0, 1], [1, 0]]
    m, v = ops.moments(X, axes=[0, 1])
    np.testing.assert_allclose([m, v], [X.mean(), X.var()], rtol=1e-6)


def test_extreme_inputs_give_no_warnings():
    big = np.array([-1e4, -100.0, 0.0, 100.0, 1e4], "float32")
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        for fn in (ops.sigmoid, ops.softplus, ops.log_sigmoid, ops.silu, ops.softmax, ops.log_softmax):
            assert np.all(np.isfinite(fn(big)))


def test_gradients_at_kinks_follow_jax():
    x = [-1.0, 0.0, 1.0, 2.0, 3.0]
    np.testing.assert_allclose(grad(ops.relu, x), [0, 0, 1, 1, 1])
    np.testing.assert_allclose(grad(lambda v: ops.maximum(v, 1.0), x), [0, 0, 0.5, 1, 1])
    np.testing.assert_allclose(grad(lambda v: ops.minimum(v, 1.0), x), [1, 1, 0.5, 0, 0])
    np.testing.assert_allclose(grad(lambda v: ops.clip(v, 0.0, 2.0), x), [0, 0.5, 1, 0.5, 0])
    np.testing.assert_allclose(grad(ops.abs, x), [-1, 1, 1, 1, 1])
    np.testing.assert_allclose(grad(ops.max, [1.0, 2.0, 2.0]), [0, 0.5, 0.5])
    np.testing.assert_allclose(grad(ops.leaky_relu, [-1.0, 0.0]), [0.2, 1.0])
    np.testing.assert_allclose(grad(ops.relu6, [0.0, 3.0, 6.0]), [0, 1, 0])
    np.testing.assert_allclose(grad(ops.hard_sigmoid, [-3.0, 0.0, 3.0]), [0, 1 / 6, 0])
    np.testing.assert_allclose(grad(ops.hard_silu, [-3.0, 0.0, 3.0]), [0, 0.5, 1])
    np.testing.assert_allclose(grad(ops.elu, [0.0]), [1.0])
    np.testing.assert_allclose(grad(lambda v: ops.sort(v) * np.arange(3.0), [1.0, 1.0, 0.0]), [1, 2, 0])


def test_prod_gradient_with_zeros():
    np.testing.assert_allclose(grad(ops.prod, [2.0, 0.0, 3.0]), [0, 6, 0])
    np.testing.assert_allclose(grad(lambda v: ops.prod(v, axis=1), [[0.0, 0.0], [2.0, 5.0]]), [[0, 0], [5, 2]])


def test_no_tape_returns_plain_arrays():
    for fn in (ops.add, ops.matmul):
        out = fn(np.ones((2, 2), "float32"), np.ones((2, 2), "float32"))
        assert type(out) is np.ndarray
    assert type(ops.softmax(X)) is np.ndarray and type(ops.sum(X)) in (np.ndarray, np.float32)


@pytest.mark.parametrize("op", [ops.add, ops.subtract, ops.multiply, ops.divide, ops.maximum])
def test_broadcast_errors_name_the_op_and_shapes(op):
    with pytest.raises(ValueError, match=rf"`{op.__name__}`.*\(2, 3\).*\(4,\)"):
        op(np.ones((2, 3)), np.ones(4))


def test_other_errors_are_clear():
    with pytest.raises(ValueError, match=r"`matmul`.*\(2, 3\).*\(4, 5\)"):
        ops.matmul(np.ones((2, 3)), np.ones((4, 5)))
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        ops.softmax(np.ones((2, 3)), axis=2)
    with pytest.raises(ValueError, match="axis 3 is out of range"):
        ops.log_softmax(np.ones(3), axis=3)
    with pytest.raises(ValueError, match=r"reshape.*\(2, 3\).*\(4,\)"):
        ops.reshape(np.ones((2, 3)), (4,))
    with pytest.raises(ValueError, match="concatenate"):
        ops.concatenate([np.ones((2, 3)), np.ones((3, 2))], axis=0)
    with pytest.raises(ValueError, match="top_k"):
        ops.top_k(np.ones(3), 5)
    with pytest.raises(ValueError, match="both `x1` and `x2`"):
        ops.where(np.ones(2) > 0, 1.0)
    with pytest.raises(TypeError, match="integer labels"):
        ops.one_hot(np.array([0.5]), 2)
    with pytest.raises(TypeError, match="Invalid dtype"):
        ops.cast(np.ones(2), "floaty")


def test_core_conversion_and_control_flow():
    assert ops.convert_to_tensor([1.0, 2.0]).dtype == np.float32
    assert ops.convert_to_tensor([1, 2]).dtype == np.int32
    assert ops.convert_to_tensor(np.ones(2, "float64")).dtype == np.float64
    assert ops.convert_to_tensor([1, 2], dtype="float16").dtype == np.float16
    v = keras.Variable(np.ones(2))
    assert type(ops.convert_to_tensor(v)) is np.ndarray
    assert type(ops.convert_to_numpy(v)) is np.ndarray and ops.dtype(v) == "float32"
    assert ops.is_tensor(v) and ops.is_tensor(np.ones(1)) and not ops.is_tensor([1.0])
    assert ops.slice_update(np.zeros((3, 3)), [1, 1], np.ones((2, 2))).sum() == 4
    assert ops.cond(True, lambda: 1, lambda: 2) == 1
    assert ops.fori_loop(0, 4, lambda i, s: s + i, 0) == 6
    assert ops.while_loop(lambda i: i < 5, lambda i: i + 2, 0) == 6
    assert ops.while_loop(lambda i, j: i < 5, lambda i, j: (i + 1, j * 2), (0, 1)) == (5, 32)


def test_einsum_gradient_rejects_repeated_indices_clearly():
    v = keras.Variable(np.eye(2))
    with keras.GradientTape():
        with pytest.raises(ValueError, match="repeated indices"):
            ops.einsum("ii->", v)
    assert float(ops.einsum("ii->", np.eye(2))) == 2.0


def _all_gradient_cases():
    from tests.ops import test_nn_math_core_gradients as nn_cases
    from tests.ops import test_numpy_gradients as np_cases

    return np_cases.CASES + nn_cases.CASES


@pytest.mark.parametrize("case", _all_gradient_cases(), ids=lambda c: c[0])
def test_float32_stays_float32_forward_and_backward(case):
    _, fn, inputs = case[:3]  # a fourth entry holds finite-difference tolerances
    variables = [keras.Variable(np.asarray(x, "float32")) for x in inputs]
    plain = fn(*[np.asarray(x, "float32") for x in inputs])
    assert np.asarray(plain).dtype == np.float32
    with keras.GradientTape() as tape:
        loss = ops.sum(fn(*variables))
    for g in tape.gradient(loss, variables, unconnected_gradients="zero"):
        assert np.asarray(g).dtype == np.float32
