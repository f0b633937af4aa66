"""Bitwise ops, predicates and complex-number ops against real Keras (values and dtypes)."""

import numpy as np
import pytest

from tests.parity.ops_parity import check_forward, check_gradients

I8 = np.array([[12, 10, -3], [7, 0, 5]], "int8")
I32 = np.array([[3, 1, 2], [6, 4, 1]], "int32")
U8 = np.array([1, 3, 200], "uint8")
F = np.array([1.0, 1.000001, np.nan, -np.inf, np.inf, -0.0], "float32")
Z = np.array([1 + 2j, -3 - 4j, 0.5j], "complex64")

CASES = [
    ("bitwise_and", lambda m: m.bitwise_and(I8, I32)), ("bitwise_and_weak", lambda m: m.bitwise_and(I8, 6)),
    ("bitwise_or", lambda m: m.bitwise_or(I8, I32)), ("bitwise_xor", lambda m: m.bitwise_xor(U8, 7)),
    ("bitwise_not", lambda m: m.bitwise_not(I8)), ("bitwise_invert_bool", lambda m: m.bitwise_invert(I8 > 0)),
    ("left_shift", lambda m: m.left_shift(U8, 1)), ("right_shift", lambda m: m.right_shift(I32, np.array([1, 0, 2], "int8"))),
    ("bitwise_left_shift", lambda m: m.bitwise_left_shift(I32, I32 % 3)), ("bitwise_right_shift", lambda m: m.bitwise_right_shift(I8, 1)),
    ("gcd", lambda m: m.gcd(I8, I32)), ("lcm", lambda m: m.lcm(I32, np.int32(4))),
    ("isclose", lambda m: m.isclose(F, np.float32(1.0))), ("isclose_nan", lambda m: m.isclose(F, F, equal_nan=True)),
    ("allclose", lambda m: m.allclose(F[:2], np.float32(1.0))), ("isin", lambda m: m.isin(I32, np.array([1, 6]))),
    ("isin_invert", lambda m: m.isin(I32, np.array([1, 6]), invert=True)),
    ("isneginf", lambda m: m.isneginf(F)), ("isposinf", lambda m: m.isposinf(F)), ("isreal", lambda m: m.isreal(Z)),
    ("real", lambda m: m.real(Z)), ("imag", lambda m: m.imag(Z)), ("conj", lambda m: m.conj(Z)),
    ("conjugate_real", lambda m: m.conjugate(F)), ("angle", lambda m: m.angle(Z)), ("angle_real", lambda m: m.angle(F[:3])),
    ("angle_int", lambda m: m.angle(I32)), ("view_as_real", lambda m: m.view_as_real(Z)),
    ("view_as_complex", lambda m: m.view_as_complex(np.array([[1.0, 2.0], [3.0, -1.0]], "float32"))),
    ("polar", lambda m: m.polar(np.array([1.0, 2.0], "float32"), np.array([0.5, -1.0], "float32"))),
]


@pytest.mark.parametrize("name,call", CASES, ids=[c[0] for c in CASES])
def test_values_and_dtypes_match_keras(keras, name, call):
    check_forward(keras, lambda m: call(m), [])


@pytest.mark.parametrize("name,call", [
    ("real", lambda m, x: m.real(x)), ("imag", lambda m, x: m.add(m.imag(x), x)), ("conj", lambda m, x: m.conj(x)),
    ("angle", lambda m, x: m.add(m.angle(x), x)),
])
def test_gradients_on_real_inputs_match_jax(keras, name, call):
    check_gradients(keras, call, [np.array([-1.5, 0.5, 2.0], "float32")])
