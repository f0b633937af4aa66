"""`keras.ops` elementwise functions added for issue 13 against real Keras (values, dtypes, jax.grad)."""

import numpy as np
import pytest

from tests.parity.ops_parity import check_forward, check_gradients

rng = np.random.default_rng(0)
SHAPES = [(5,), (3, 4)]


def _u(shape, low, high, dtype="float32"):
    return rng.uniform(low, high, size=shape).astype(dtype)


def _grid(name, call, low=-2.0, high=2.0, arity=1, second=None):
    cases = []
    for shape in SHAPES:
        inputs = [_u(shape, low, high)] + ([_u(shape[-1:], *(second or (low, high)))] if arity == 2 else [])
        cases.append((f"{name}-{shape}", call, inputs))
    return cases


CASES = (
    _grid("arcsin", lambda m, x: m.arcsin(x), -0.9, 0.9)
    + _grid("arccos", lambda m, x: m.arccos(x), -0.9, 0.9)
    + _grid("arcsinh", lambda m, x: m.arcsinh(x))
    + _grid("arccosh", lambda m, x: m.arccosh(x), 1.1, 3.0)
    + _grid("arctanh", lambda m, x: m.arctanh(x), -0.9, 0.9)
    + _grid("arctan2", lambda m, a, b: m.arctan2(a, b), arity=2)
    + _grid("hypot", lambda m, a, b: m.hypot(a, b), arity=2)
    + _grid("cbrt", lambda m, x: m.cbrt(x), 0.2, 3.0)
    + _grid("deg2rad", lambda m, x: m.deg2rad(x))
    + _grid("rad2deg", lambda m, x: m.rad2deg(x))
    + _grid("fabs", lambda m, x: m.fabs(x))
    + _grid("fmod", lambda m, a, b: m.fmod(a, b), -5.0, 5.0, arity=2, second=(0.6, 2.0))
    + _grid("fmax", lambda m, a, b: m.fmax(a, b), arity=2)
    + _grid("fmin", lambda m, a, b: m.fmin(a, b), arity=2)
    + _grid("ldexp", lambda m, x: m.ldexp(x, np.arange(x.shape[-1], dtype="int32") - 1))
    + _grid("logaddexp", lambda m, a, b: m.logaddexp(a, b), arity=2)
    + _grid("logaddexp2", lambda m, a, b: m.logaddexp2(a, b), arity=2)
    + _grid("divide_no_nan", lambda m, a, b: m.divide_no_nan(a, b), arity=2)
    + _grid("sinc", lambda m, x: m.sinc(x))
    + _grid("i0", lambda m, x: m.i0(x), -3.0, 3.0)
    + _grid("nan_to_num", lambda m, x: m.nan_to_num(x))
    + _grid("heaviside", lambda m, a, b: m.heaviside(m.round(a), b), arity=2)
    + [
        ("fmax_ties_and_nans", lambda m, a, b: m.fmax(a, b),
         [np.array([1.0, np.nan, 2.0, 3.0], "float32"), np.array([1.0, 1.0, np.nan, 3.0], "float32")]),
        ("fmin_ties", lambda m, a, b: m.fmin(a, b), [np.array([1.0, 0.5, 2.0], "float32"), np.array([1.0, 1.0, 2.0], "float32")]),
        ("divide_no_nan_zeros", lambda m, a, b: m.divide_no_nan(a, b),
         [np.array([1.0, -2.0, 3.0], "float32"), np.array([0.0, 4.0, 0.0], "float32")]),
        ("sinc_at_zero", lambda m, x: m.sinc(x), [np.array([0.0, 0.5, -1.5], "float32")]),
        ("i0_at_zero", lambda m, x: m.i0(x), [np.array([0.0, 0.5, -1.5], "float32")]),
        ("nan_to_num_values", lambda m, x: m.nan_to_num(x, nan=1.0, posinf=2.0, neginf=-2.0),
         [np.array([np.nan, np.inf, -np.inf, 0.5], "float32")]),
    ]
)

# Inputs of other dtypes: the result dtypes Keras gives (forward only).
DTYPE_CASES = [
    (name, fn, [x.astype(dtype) for x in inputs])
    for name, fn, inputs in [
        ("arcsin", lambda m, x: m.arcsin(x), [np.array([0, 1])]),
        ("deg2rad", lambda m, x: m.deg2rad(x), [np.array([0, 90])]),
        ("cbrt", lambda m, x: m.cbrt(x), [np.array([8, 27])]),
        ("fabs", lambda m, x: m.fabs(x), [np.array([-1, 2])]),
        ("hypot", lambda m, a, b: m.hypot(a, b), [np.array([3, 5]), np.array([4, 12])]),
        ("fmod", lambda m, a, b: m.fmod(a, b), [np.array([7, -7]), np.array([3, 3])]),
        ("fmax", lambda m, a, b: m.fmax(a, b), [np.array([7, -7]), np.array([3, 3])]),
        ("logaddexp", lambda m, a, b: m.logaddexp(a, b), [np.array([1, 2]), np.array([3, 4])]),
        ("sinc", lambda m, x: m.sinc(x), [np.array([0, 1])]),
        ("i0", lambda m, x: m.i0(x), [np.array([0, 1])]),
        ("heaviside", lambda m, a, b: m.heaviside(a, b), [np.array([-1, 0]), np.array([1, 1])]),
    ]
    for dtype in ("int32", "uint8", "float16")
    if not (name in ("heaviside",) and dtype == "uint8")
]


@pytest.mark.parametrize("case", CASES + DTYPE_CASES, ids=[c[0] for c in CASES] + [
    f"{c[0]}-{c[2][0].dtype}" for c in DTYPE_CASES])
def test_values_and_dtypes_match_keras(keras, case):
    _, fn, inputs = case
    check_forward(keras, fn, inputs, rtol=1e-3 if inputs[0].dtype == np.float16 else 1e-6)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_gradients_match_jax(keras, case):
    _, fn, inputs = case
    check_gradients(keras, fn, inputs)


def test_predicates_match_keras(keras):
    from nanokeras import ops

    x = np.array([-0.0, 0.0, -1.5, np.nan, np.inf], "float32")
    np.testing.assert_array_equal(ops.signbit(x), keras.ops.signbit(x))
    y = np.array([1.0, 2.0, 0.0, -1.0, 1.0], "float32")
    np.testing.assert_array_equal(ops.nextafter(x, y), keras.ops.nextafter(x, y))
