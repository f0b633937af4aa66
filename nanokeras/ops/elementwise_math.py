"""More elementwise functions of `keras.ops`: inverse trigonometric and hyperbolic functions,
`hypot`, `cbrt`, `logaddexp`, `fmod`, `fmax`, `sinc`, `i0`, `nan_to_num`, ...

Each computes with numpy's function of the same name, converts its inputs as
Keras does, and has the gradient JAX gives (the backend real Keras runs on):
ties in `fmax`/`fmin` send the gradient to the second input, `sinc'(0) = 0`,
`i0'(0) = 0`, and `nan_to_num` passes the gradient only where `x` is finite.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.arcsin(np.array([0.0, 1.0])).round(4).tolist()
    [0.0, 1.5708]
    >>> ops.hypot(3, 4).item()
    5.0
"""

import math

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.op_builders import (
    as_float,
    cast_to,
    dtype_of,
    elementwise,
    elementwise2,
    promoted,
    unary_float_op,
    values,
    without_gradient,
)

__all__ = [
    "arccos", "arccosh", "arcsin", "arcsinh", "arctanh", "arctan2", "hypot", "cbrt", "deg2rad", "rad2deg",
    "fabs", "fmod", "fmax", "fmin", "ldexp", "logaddexp", "logaddexp2", "divide_no_nan", "sinc", "i0",
    "nan_to_num", "heaviside", "nextafter", "signbit",
]

_DEG = math.pi / 180.0
_LN2 = math.log(2.0)


def _rsqrt(x):
    return ops.reciprocal(ops.sqrt(x))


arcsin = unary_float_op(np.arcsin, lambda x: _rsqrt(ops.subtract(1.0, ops.square(x))))
arcsin.__doc__ = "Elementwise inverse sine, in radians."
arccos = unary_float_op(np.arccos, lambda x: ops.negative(_rsqrt(ops.subtract(1.0, ops.square(x)))))
arccos.__doc__ = "Elementwise inverse cosine, in radians."
arcsinh = unary_float_op(np.arcsinh, lambda x: _rsqrt(ops.add(ops.square(x), 1.0)))
arcsinh.__doc__ = "Elementwise inverse hyperbolic sine."
arccosh = unary_float_op(np.arccosh, lambda x: _rsqrt(ops.subtract(ops.square(x), 1.0)))
arccosh.__doc__ = "Elementwise inverse hyperbolic cosine (defined for x >= 1)."
arctanh = unary_float_op(np.arctanh, lambda x: ops.reciprocal(ops.subtract(1.0, ops.square(x))))
arctanh.__doc__ = "Elementwise inverse hyperbolic tangent (defined for -1 < x < 1)."


def _keep_float_kind(x):
    """Keras's result dtype for deg2rad/rad2deg/cbrt: float16 stays, int64/float64 give float64, else floatx."""
    dtype = dtype_of(x)
    if dtype in ("int64", "float64"):
        return "float64"
    if dtype in ("float16", "bfloat16"):
        return dtype
    return config.floatx()


def deg2rad(x):
    """Degrees to radians."""
    return elementwise(np.deg2rad, cast_to(x, _keep_float_kind(x)), lambda v: _DEG)


def rad2deg(x):
    """Radians to degrees."""
    return elementwise(np.rad2deg, cast_to(x, _keep_float_kind(x)), lambda v: 1.0 / _DEG)


def cbrt(x):
    """Elementwise cube root (real, also of negative numbers)."""
    return elementwise(np.cbrt, cast_to(x, _keep_float_kind(x)),
                       lambda v: ops.reciprocal(ops.multiply(ops.square(cbrt(v)), 3.0)))


def fabs(x):
    """Elementwise absolute value as a float (its gradient is 1 at 0, as `abs`'s)."""
    v = cast_to(x, config.floatx() if to_array(x).dtype.kind in "iub" else to_array(x).dtype)
    return elementwise(np.fabs, v, lambda t: ops.where(ops.greater_equal(t, 0), 1.0, -1.0))


def arctan2(x1, x2):
    """Elementwise angle of the point `(x2, x1)`: `arctan(x1 / x2)` in the right quadrant."""
    y, x = promoted(x1, x2, to_float=True)

    def derivatives(y, x):
        denominator = ops.add(ops.square(x), ops.square(y))
        return ops.divide(x, denominator), ops.negative(ops.divide(y, denominator))

    return elementwise2(np.arctan2, y, x, derivatives)


def _float_result_dtype(x1, x2):
    """Keras's result dtype for hypot/heaviside: ints promote to floatx (int64 to float64)."""
    dtype = result_type(dtype_of(x1), dtype_of(x2))
    if dtype in ("bool", "int8", "int16", "int32", "uint8", "uint16", "uint32"):
        return config.floatx()
    return "float64" if dtype == "int64" else dtype


def hypot(x1, x2):
    """Elementwise `sqrt(x1**2 + x2**2)`, without overflow."""
    dtype = _float_result_dtype(x1, x2)
    a, b = cast_to(x1, dtype), cast_to(x2, dtype)
    return elementwise2(np.hypot, a, b, lambda a, b: (ops.divide(a, hypot(a, b)), ops.divide(b, hypot(a, b))))


def fmod(x1, x2):
    """Elementwise remainder of `x1 / x2` with the sign of `x1` (C's `fmod`; `mod` takes `x2`'s sign)."""
    dtype = result_type(dtype_of(x1), dtype_of(x2))
    dtype = "int32" if dtype == "bool" else dtype
    a, b = cast_to(x1, dtype), cast_to(x2, dtype)
    if np.dtype(dtype).kind != "f":
        return without_gradient(lambda: np.fmod(*values(a, b)), (a, b))
    return elementwise2(np.fmod, a, b, lambda a, b: (1.0, ops.negative(ops.trunc(ops.divide(a, b)))))


def _nan_preferring(np_fn, x1, x2, keep_first):
    dtype = result_type(dtype_of(x1), dtype_of(x2))
    a, b = cast_to(x1, dtype), cast_to(x2, dtype)
    if np.dtype(dtype).kind != "f":
        return without_gradient(lambda: np_fn(*values(a, b)), (a, b))

    def derivatives(a, b):
        # As JAX: the first input where it wins strictly (or the second is NaN), else the second.
        first = ops._astype(ops.logical_or(keep_first(a, b), ops.isnan(b)), dtype)
        return first, ops.subtract(1.0, first)

    return elementwise2(np_fn, a, b, derivatives)


def fmax(x1, x2):
    """Elementwise maximum that ignores NaNs (NaN only where both are NaN)."""
    return _nan_preferring(np.fmax, x1, x2, ops.greater)


def fmin(x1, x2):
    """Elementwise minimum that ignores NaNs (NaN only where both are NaN)."""
    return _nan_preferring(np.fmin, x1, x2, ops.less)


def ldexp(x1, x2):
    """`x1 * 2**x2`, `x2` an integer exponent."""
    exponent_dtype = dtype_of(x2)
    if not (exponent_dtype is int or str(exponent_dtype).startswith(("int", "uint"))):
        raise TypeError(f"`ldexp`'s exponent `x2` must have an integer dtype, got {exponent_dtype}.")
    dtype = result_type(dtype_of(x1), exponent_dtype, float)
    mantissa, exponent = cast_to(x1, dtype), to_array(x2)

    def compute(a, b):
        return np.ldexp(a, b).astype(dtype)

    return elementwise2(compute, mantissa, exponent, lambda a, b: (ops.exp2(ops._astype(b, dtype)), None))


def logaddexp(x1, x2):
    """Elementwise `log(exp(x1) + exp(x2))`, without overflow."""
    a, b = promoted(x1, x2, to_float=True)

    def derivatives(a, b):
        total = logaddexp(a, b)
        return ops.exp(ops.subtract(a, total)), ops.exp(ops.subtract(b, total))

    return elementwise2(np.logaddexp, a, b, derivatives)


def logaddexp2(x1, x2):
    """Elementwise `log2(2**x1 + 2**x2)`, without overflow."""
    a, b = promoted(x1, x2, to_float=True)

    def derivatives(a, b):
        total = logaddexp2(a, b)
        return ops.exp2(ops.subtract(a, total)), ops.exp2(ops.subtract(b, total))

    return elementwise2(np.logaddexp2, a, b, derivatives)


def _divide_where_nonzero(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b == 0, np.zeros((), np.result_type(a, b)), np.divide(a, np.where(b == 0, 1, b)))


def divide_no_nan(x1, x2):
    """`x1 / x2`, and 0 where `x2` is 0 (also for its gradients).

    Example:
        >>> divide_no_nan(np.array([1.0, 2.0]), np.array([0.0, 4.0])).tolist()
        [0.0, 0.5]
    """
    a, b = promoted(x1, x2, to_float=True)

    def derivatives(a, b):
        safe = ops.where(ops.equal(b, 0), 1.0, b)
        nonzero = ops._astype(ops.not_equal(b, 0), to_array(a).dtype)
        return ops.divide(nonzero, safe), ops.negative(ops.divide(ops.multiply(a, nonzero), ops.square(safe)))

    return elementwise2(_divide_where_nonzero, a, b, derivatives)


def _sinc_derivative(x):
    # d/dx sin(pi x)/(pi x) = (cos(pi x) - sinc(x)) / x, and 0 at x = 0 (as JAX).
    zero = ops.equal(x, 0)
    safe = ops.where(zero, 1.0, x)
    return ops.where(zero, 0.0, ops.divide(ops.subtract(ops.cos(ops.multiply(x, math.pi)), sinc(x)), safe))


def sinc(x):
    """Elementwise `sin(pi x) / (pi x)` (1 at 0)."""
    return elementwise(np.sinc, as_float(x), _sinc_derivative)


def _i1_values(a):
    """The modified Bessel function I1, by its power series (in float64)."""
    x = np.asarray(a, np.float64)
    half = x / 2
    quarter_square = half * half
    total = term = half.copy()
    for k in range(1, int(2 * np.max(np.abs(x), initial=0)) + 40):
        term = term * quarter_square / (k * (k + 1))
        total = total + term
    return total.astype(a.dtype)


def _i1(x):
    def derivative(v):  # I1' = I0 - I1/x, and 1/2 at 0
        zero = ops.equal(v, 0)
        return ops.where(zero, 0.5, ops.subtract(i0(v), ops.divide(_i1(v), ops.where(zero, 1.0, v))))

    return elementwise(_i1_values, x, derivative)


def i0(x):
    """The modified Bessel function of the first kind, order 0 (its derivative is I1)."""
    dtype = "float64" if dtype_of(x) in ("int64", "float64") else result_type(dtype_of(x), float)
    v = cast_to(x, dtype)
    return elementwise(np.i0, v, lambda t: ops.where(ops.equal(t, 0), 0.0, _i1(t)))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """`x` with NaN replaced by `nan` and infinities by `posinf`/`neginf` (the dtype's extremes by default).

    The gradient passes where `x` is finite.
    """
    v = cast_to(x, to_array(x).dtype)

    def compute(a):
        return np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    if to_array(v).dtype.kind not in "fc":
        return without_gradient(lambda: compute(values(v)[0]), (v,))
    return elementwise(compute, v, lambda t: ops._astype(ops.isfinite(t), to_array(t).dtype))


def heaviside(x1, x2):
    """The step function: 0 where `x1 < 0`, `x2` where `x1 == 0`, 1 where `x1 > 0`."""
    dtype = _float_result_dtype(x1, x2)
    a, b = cast_to(x1, dtype), cast_to(x2, dtype)
    return elementwise2(np.heaviside, a, b, lambda a, b: (None, ops._astype(ops.equal(a, 0), dtype)))


def nextafter(x1, x2):
    """The next representable float after `x1` towards `x2` (no gradient)."""
    a, b = promoted(x1, x2, to_float=True)
    return without_gradient(lambda: np.nextafter(*values(a, b)), (a, b))


def signbit(x):
    """True where the sign bit is set (negative numbers, -0.0 and negative NaNs); no gradient."""
    return without_gradient(lambda: np.signbit(values(x)[0]), (x,))
