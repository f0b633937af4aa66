"""Bitwise ops, elementwise predicates and complex-number ops: values, dtypes, errors, recording."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from nanokeras.ops.tensor import Tensor
from tests.ops.gradient_check import check_gradients


def test_bitwise_values_and_weak_python_ints():
    a = np.array([12, 10, -3], "int8")
    assert ops.bitwise_and(a, 6).dtype == np.int8
    np.testing.assert_array_equal(ops.bitwise_and(a, 6), np.bitwise_and(a, 6))
    np.testing.assert_array_equal(ops.bitwise_or(a, np.int16(1)), np.bitwise_or(a.astype("int16"), 1))
    np.testing.assert_array_equal(ops.bitwise_xor(a, a), np.zeros(3))
    np.testing.assert_array_equal(ops.bitwise_not(a), ~a)
    assert ops.bitwise_invert(np.array([True, False])).tolist() == [False, True]
    assert ops.left_shift(np.array([1, 3], "uint8"), 2).tolist() == [4, 12]
    assert ops.right_shift(np.array([16], "int16"), np.array([2], "int32")).dtype == np.int32
    assert ops.gcd(np.array([4, 9]), np.array([6, 6])).tolist() == [2, 3]
    assert ops.lcm(np.array([4, 9]), np.array([6, 6])).tolist() == [12, 18]


def test_bitwise_ops_refuse_floats():
    with pytest.raises(TypeError, match="`bitwise_and` needs integer"):
        ops.bitwise_and(np.ones(2), 1)
    with pytest.raises(TypeError, match="`gcd` needs integer"):
        ops.gcd(np.ones(2), 1.5)


def test_predicates():
    x = np.array([1.0, 1.00001, np.nan, -np.inf, np.inf])
    assert ops.isclose(x, 1.0).tolist() == [True, True, False, False, False]
    assert ops.isclose(np.nan, np.nan, equal_nan=True).item() is True
    assert bool(ops.allclose(x[:2], 1.0)) and not bool(ops.allclose(x, 1.0))
    assert ops.isneginf(x).tolist() == [False, False, False, True, False]
    assert ops.isposinf(x).tolist() == [False, False, False, False, True]
    assert ops.isin(np.array([[1, 2], [3, 4]]), [4, 1], invert=True).tolist() == [[False, True], [True, False]]
    assert ops.isreal(np.array([1 + 0j, 1 + 1j])).tolist() == [True, False]


def test_predicates_and_bitwise_ops_are_recorded_without_gradient_for_tracked_inputs():
    w = keras.Variable([1.0, -np.inf])
    i = keras.Variable(np.array([3, 5]), dtype="int32")
    with keras.GradientTape() as tape:
        recorded = [ops.isneginf(w), ops.isclose(w, 1.0), ops.bitwise_and(i, 1), ops.left_shift(i, 1)]
    assert all(isinstance(r, Tensor) for r in recorded) and len(tape._nodes) == 4


def test_complex_parts_and_conversions():
    z = np.array([1 + 2j, -3 - 4j], "complex64")
    assert ops.real(z).tolist() == [1.0, -3.0] and ops.imag(z).tolist() == [2.0, -4.0]
    assert ops.conj(z).tolist() == [1 - 2j, -3 + 4j]
    np.testing.assert_allclose(ops.angle(z), np.angle(z))
    assert ops.view_as_real(z).tolist() == [[1.0, 2.0], [-3.0, -4.0]]
    assert ops.view_as_complex(ops.view_as_real(z)).tolist() == z.tolist()
    assert ops.view_as_complex(np.ones((2, 2), "float32")).dtype == np.complex64
    np.testing.assert_allclose(ops.polar(np.array([2.0]), np.array([np.pi / 2])), [2j], atol=1e-12)
    with pytest.raises(ValueError, match="size 2"):
        ops.view_as_complex(np.ones((2, 3)))


def test_complex_ops_on_real_inputs_are_differentiable():
    x = np.array([-1.5, 0.5, 2.0])
    check_gradients(lambda v: ops.add(ops.real(v), ops.multiply(ops.conj(v), 2.0)), x)
    check_gradients(lambda v: ops.add(ops.imag(v), ops.angle(v)), x)
    assert ops.angle(np.array([-1, 1], "int32")).dtype == np.float32
