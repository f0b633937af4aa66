"""Bitwise and integer ops of `keras.ops`: and, or, xor, not, shifts, gcd, lcm (no gradients).

Operands are promoted to their common dtype as Keras promotes them
(`keras.backend.result_type`); a Python int stays weak (`int8_array << 2` is int8).

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.bitwise_and(np.array([12, 10], "int32"), 6).tolist()
    [4, 2]
    >>> ops.left_shift(np.array([1, 3], "uint8"), 2).tolist()
    [4, 12]
"""

import numpy as np

from nanokeras.backend.dtypes import result_type
from nanokeras.ops.op_builders import dtype_of, promoted, values, without_gradient

__all__ = [
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_invert", "bitwise_left_shift",
    "bitwise_right_shift", "left_shift", "right_shift", "gcd", "lcm",
]


def _integers(op, *xs):
    for x in xs:
        dtype = dtype_of(x)
        if not (dtype is int or dtype == "bool" or str(dtype).startswith(("int", "uint"))):
            raise TypeError(f"`{op}` needs integer or bool inputs, got dtype {dtype}.")


def _binary(np_fn, op):
    def fn(x, y):
        _integers(op, x, y)
        a, b = promoted(x, y)
        return without_gradient(lambda: np_fn(*values(a, b)), (x, y))

    fn.__name__ = fn.__qualname__ = op
    return fn


bitwise_and = _binary(np.bitwise_and, "bitwise_and")
bitwise_and.__doc__ = "Elementwise bitwise AND of integers (logical AND of bools)."
bitwise_or = _binary(np.bitwise_or, "bitwise_or")
bitwise_or.__doc__ = "Elementwise bitwise OR."
bitwise_xor = _binary(np.bitwise_xor, "bitwise_xor")
bitwise_xor.__doc__ = "Elementwise bitwise XOR."


def bitwise_invert(x):
    """Elementwise bitwise NOT (`~x`; logical NOT of bools)."""
    _integers("bitwise_invert", x)
    return without_gradient(lambda: np.bitwise_not(values(x)[0]), (x,))


bitwise_not = bitwise_invert


def _shift(np_fn, op):
    def fn(x, y):
        _integers(op, x, y)
        if isinstance(y, int):  # a Python shift count keeps x's dtype
            a, b = values(x)[0], y
            return without_gradient(lambda: np_fn(values(x)[0], y), (x,))
        a, b = promoted(x, y)
        return without_gradient(lambda: np_fn(*values(a, b)), (x, y))

    fn.__name__ = fn.__qualname__ = op
    fn.__doc__ = f"Elementwise `{'x << y' if np_fn is np.left_shift else 'x >> y'}` of integers."
    return fn


bitwise_left_shift = _shift(np.left_shift, "bitwise_left_shift")
bitwise_right_shift = _shift(np.right_shift, "bitwise_right_shift")
left_shift = bitwise_left_shift
right_shift = bitwise_right_shift


def _number_theory(np_fn, op):
    def fn(x1, x2):
        _integers(op, x1, x2)
        dtype = result_type(dtype_of(x1), dtype_of(x2))
        return without_gradient(lambda: np_fn(*values(x1, x2)).astype(dtype), (x1, x2))

    fn.__name__ = fn.__qualname__ = op
    return fn


gcd = _number_theory(np.gcd, "gcd")
gcd.__doc__ = "Elementwise greatest common divisor of integers."
lcm = _number_theory(np.lcm, "lcm")
lcm.__doc__ = "Elementwise least common multiple of integers."
