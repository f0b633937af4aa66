"""`ops.elementwise_math`: values, dtypes, errors, and gradients (first and second order) vs finite differences."""

import numpy as np
import pytest

from nanokeras import ops
from tests.ops.gradient_check import check_gradients, gradient_of


def rand(*shape, low=-2.0, high=2.0, seed=0):
    return np.random.default_rng(seed + sum(shape)).uniform(low, high, size=shape)


UNIT = rand(3, 4, low=-0.9, high=0.9)
ABOVE_ONE = rand(3, 4, low=1.1, high=3.0)

# (id, fn, inputs): inputs away from kinks, so finite differences are valid.
CASES = [
    ("arcsin", ops.arcsin, [UNIT]),
    ("arccos", ops.arccos, [UNIT]),
    ("arcsinh", ops.arcsinh, [rand(3, 4)]),
    ("arccosh", ops.arccosh, [ABOVE_ONE]),
    ("arctanh", ops.arctanh, [UNIT]),
    ("arctan2", ops.arctan2, [rand(3, 4), rand(4, seed=1)]),
    ("hypot", ops.hypot, [rand(3, 4), rand(3, 1, seed=1)]),
    ("cbrt", ops.cbrt, [rand(3, 4, low=0.3, high=2.0)]),
    ("cbrt_negative", ops.cbrt, [rand(3, low=-2.0, high=-0.3)]),
    ("deg2rad", ops.deg2rad, [rand(5)]),
    ("rad2deg", ops.rad2deg, [rand(5)]),
    ("fabs", ops.fabs, [rand(3, 4)]),
    ("fmod", ops.fmod, [rand(3, 4) * 3, rand(3, 4, low=0.7, high=1.9, seed=2)]),
    ("fmax", ops.fmax, [rand(3, 4), rand(4, seed=1)]),
    ("fmin", ops.fmin, [rand(3, 4), rand(3, 1, seed=1)]),
    ("ldexp", lambda x: ops.ldexp(x, np.array([1, 2, -1, 0])), [rand(3, 4)]),
    ("logaddexp", ops.logaddexp, [rand(3, 4), rand(4, seed=1)]),
    ("logaddexp2", ops.logaddexp2, [rand(3, 4), rand(3, 4, seed=1)]),
    ("divide_no_nan", ops.divide_no_nan, [rand(3, 4), rand(3, 4, low=0.5, high=2.0, seed=1)]),
    ("sinc", ops.sinc, [rand(3, 4)]),
    ("i0", ops.i0, [rand(3, 4, low=-4.0, high=4.0)]),
    ("nan_to_num", ops.nan_to_num, [rand(3, 4)]),
    ("heaviside", lambda a, b: ops.multiply(ops.heaviside(a, b), a), [np.array([0.5, 1.0, -1.0]), np.array([0.5, 0.2, 0.3])]),
]


@pytest.mark.parametrize("fn,inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradients_match_finite_differences(fn, inputs):
    check_gradients(fn, *inputs)


@pytest.mark.parametrize("fn,inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_second_derivatives_match_finite_differences(fn, inputs):
    check_gradients(gradient_of(fn), *inputs, rtol=1e-4, atol=1e-5)


def test_values_match_numpy():
    x = np.array([-2.5, -0.5, 0.0, 0.5, 3.0], "float32")
    np.testing.assert_array_equal(ops.cbrt(x), np.cbrt(x))
    np.testing.assert_array_equal(ops.sinc(x), np.sinc(x))
    np.testing.assert_array_equal(ops.fmod(x, 2.0), np.fmod(x, np.float32(2.0)))
    assert ops.hypot(3, 4).item() == 5.0
    np.testing.assert_array_equal(ops.nan_to_num(np.array([np.nan, np.inf, -np.inf, 1.0]), nan=7.0, posinf=8.0),
                                  [7.0, 8.0, np.finfo(np.float64).min, 1.0])
    np.testing.assert_array_equal(ops.fmax(np.array([np.nan, 1.0]), np.array([2.0, np.nan])), [2.0, 1.0])
    np.testing.assert_array_equal(ops.heaviside(np.array([-1.0, 0.0, 2.0]), 0.5), [0.0, 0.5, 1.0])
    assert ops.signbit(np.array([-0.0, 0.0])).tolist() == [True, False]
    assert ops.nextafter(np.float32(1.0), np.float32(2.0)) == np.nextafter(np.float32(1.0), np.float32(2.0))


def test_divide_no_nan_is_zero_and_has_zero_gradient_where_the_divisor_is_zero():
    import nanokeras as keras

    a, b = keras.Variable([1.0, 2.0]), keras.Variable([0.0, 4.0])
    with keras.GradientTape() as tape:
        out = ops.divide_no_nan(a, b)
        total = ops.sum(out)
    ga, gb = tape.gradient(total, [a, b])
    assert out.numpy().tolist() == [0.0, 0.5] and ga.tolist() == [0.0, 0.25] and gb.tolist() == [0.0, -0.125]


def test_dtypes_follow_keras():
    i = np.array([1, 2, 3], "int32")
    assert ops.arcsin(np.array([0, 1], "int8")).dtype == np.float32
    assert ops.deg2rad(np.array([1], "int64")).dtype == np.float64
    assert ops.cbrt(np.array([1.0], "float16")).dtype == np.float16
    assert ops.hypot(i, i).dtype == np.float32
    assert ops.fmod(i, 2).dtype == np.int32 and ops.fmax(i, 2).dtype == np.int32
    assert ops.logaddexp(i, 1).dtype == np.float32
    assert ops.ldexp(np.float32(1.5), np.array([2], "int32")).dtype == np.float32
    assert ops.i0(i).dtype == np.float32


def test_ldexp_needs_an_integer_exponent():
    with pytest.raises(TypeError, match="integer"):
        ops.ldexp(np.ones(2), np.ones(2))


def test_broadcast_errors_name_the_op():
    with pytest.raises(ValueError, match="`arctan2`.*incompatible shapes"):
        ops.arctan2(np.ones(3), np.ones(4))
