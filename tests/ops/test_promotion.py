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


@pytest.mark.parametrize("fn, args, dtype, value", [
    (ops.add, (1, 2), "int32", 3), (ops.add, (1, 2.5), "float32", 3.5), (ops.multiply, (2.0, 3.0), "float32", 6.0),
    (ops.divide, (1, 2), "float32", 0.5), (ops.power, (2, 3), "int32", 8), (ops.add, (True, True), "bool", True),
])
def test_two_python_numbers_compute_in_keras_types(fn, args, dtype, value):
    out = fn(*args)  # numpy would give int64 / float64
    assert np.asarray(out).dtype == dtype and out == value


def test_python_int_outside_an_integer_arrays_range_wraps_around():
    u8 = np.array([228, 95], "uint8")
    assert ops.multiply(u8, -1).tolist() == [28, 161] and ops.multiply(u8, -1).dtype == np.uint8  # -1 is 255
    assert ops.add(u8, 300).tolist() == [16, 139]  # 300 is 44
    assert ops.subtract(5, u8).tolist() == [33, 166]
    assert ops.add(np.array([1], "int8"), 200).tolist() == [-55]  # 200 is -56


def test_clip_of_integers_by_python_floats_is_floatx():
    out = ops.clip(np.array([0, 3, -4], "int32"), -2.5, 2.5)
    assert out.dtype == np.float32 and out.tolist() == [0.0, 2.5, -2.5]
    assert ops.clip(np.array([0, 3, -4], "int32"), -2, 2).dtype == np.int32
    assert ops.clip(np.array([True, False]), 0, 1).dtype == np.int32
    assert ops.clip(np.array([1.0], "float16"), -0.5, 0.5).dtype == np.float16


@pytest.mark.parametrize("dtypes, expected", [
    (("int32", "float16"), "float16"), (("int8", "int8"), "int32"), (("int8", "uint8"), "int16"),
    (("bool", "bool"), "bool"), (("float32", "float32"), "float32"),
])
def test_einsum_result_dtype_as_keras(dtypes, expected):
    a, b = np.ones((2, 3), dtypes[0]), np.ones((3, 2), dtypes[1])
    out = ops.einsum("ij,jk->ik", a, b)
    assert out.dtype == expected
    np.testing.assert_array_equal(out.astype("float64"), np.full((2, 2), 3.0 if expected != "bool" else 1.0))


def test_integers_to_negative_powers_raise_a_type_error_not_a_shape_error():
    with pytest.raises(TypeError, match="negative integer powers"):
        ops.power(np.array([2, 3], "int32"), -1)
    with pytest.raises(ValueError, match="incompatible shapes"):
        ops.power(np.array([2, 3], "int32"), np.array([1, 2, 3], "int32"))
