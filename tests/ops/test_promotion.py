"""Binary ops give Keras's result dtypes where numpy's promotion differs (int with float keeps
the float's type, integer division gives floatx), on the tape, off it, and when replayed."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from nanokeras.ops.tensor import Constant
from nanokeras.ops.trace import Trace

I32 = np.array([1, 2, 3], "int32")
I64 = np.array([1, 2, 3], "int64")
F32 = np.array([0.5, 1.5, 2.5], "float32")
F64 = np.array([0.5, 1.5, 2.5], "float64")


@pytest.mark.parametrize("fn, args, dtype", [
    (ops.add, (I32, F32), "float32"), (ops.add, (I64, F32), "float32"), (ops.subtract, (F32, I32), "float32"),
    (ops.multiply, (I32, 1.5), "float32"), (ops.divide, (I32, I32), "float32"), (ops.divide, (I32, 2), "float32"),
    (ops.power, (I32, 0.5), "float32"), (ops.power, (I32, 2), "int32"), (ops.mod, (I32, 2.0), "float32"),
    (ops.maximum, (I32, F32), "float32"), (ops.minimum, (I32, 0.5), "float32"),
    (ops.matmul, (I32.reshape(1, 3), F32.reshape(3, 1)), "float32"), (ops.dot, (I32, F32), "float32"),
    (ops.add, (F64, F32), "float64"), (ops.add, (I32, I64), "int64"), (ops.add, (F32, 2.0), "float32"),
    (ops.add, (np.array([1], "uint8"), np.array([1], "int8")), "int16"),
])
def test_result_dtypes_follow_keras(fn, args, dtype):
    out = fn(*args)
    assert np.asarray(out).dtype == dtype
    expected = fn(*[np.asarray(a).astype(dtype) if isinstance(a, np.ndarray) else a for a in args])
    np.testing.assert_array_equal(out, expected)


def test_where_and_small_integer_sums():
    assert ops.where(np.array([True, False, True]), I32, F32).dtype == np.float32
    assert ops.sum(np.array([True, True, False])).dtype == np.int32
    assert ops.sum(np.array([1, 2], "int8")).dtype == np.int32
    assert ops.sum(np.array([1, 2], "uint8")).dtype == np.uint32
    assert ops.cumsum(np.array([True, False])).dtype == np.int32
    assert ops.sum(I64).dtype == np.int64


def test_same_dtypes_pass_through_untouched():
    from nanokeras.ops.promotion import keras_operands

    a, b = F32.copy(), F32.copy()
    assert keras_operands(a, b, np.add)[0] is a and keras_operands(a, 2.0, np.multiply)[0] is a


def test_recorded_mixed_op_has_keras_dtype_gradient_and_replays_new_values():
    data = Constant(np.array([1, 2, 3], "int32"))
    w = keras.Variable(np.array([0.5, 0.5, 0.5], "float32"))
    with keras.GradientTape() as tape:
        loss = ops.sum(ops.multiply(ops.add(data, w), w))
    trace = Trace(tape)
    grad = tape.gradient(loss, w)
    assert np.asarray(loss.value).dtype == np.float32 and grad.dtype == np.float32
    np.testing.assert_allclose(grad, [2.0, 3.0, 4.0])  # d/dw (x + w) w = x + 2w
    data.value[...] = [10, 20, 30]
    trace.forward()
    assert float(loss.value) == pytest.approx(float(np.sum((np.array([10, 20, 30]) + 0.5) * 0.5)))
    np.testing.assert_allclose(trace.gradients(loss, [w])[0], [11.0, 21.0, 31.0])
