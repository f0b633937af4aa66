"""Complex numbers in `keras.ops`: real and imaginary parts, conjugates, angles, and
converting between complex arrays and (real, imaginary) pairs.

nanokeras differentiates real computations only: on real inputs `real` and
`conj` pass the gradient through and `imag` and `angle` have zero gradient;
complex results are not recorded for gradients.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.view_as_real(np.array([1 + 2j, 3 - 4j])).tolist()
    [[1.0, 2.0], [3.0, -4.0]]
    >>> ops.angle(np.array([-1.0, 1.0], "float32")).tolist()
    [3.1415927410125732, 0.0]
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.op_builders import dtype_of, elementwise, float_dtype, cast_to, values, without_gradient

__all__ = ["real", "imag", "conj", "conjugate", "angle"]
MATH_NAMES = ["view_as_complex", "view_as_real"]
NN_NAMES = ["polar"]


def _is_complex(x):
    return to_array(x).dtype.kind == "c"


def real(x):
    """The real part (`x` itself for real inputs)."""
    if _is_complex(x):
        return without_gradient(lambda: np.real(values(x)[0]), (x,))
    return elementwise(np.real, x, lambda v: 1.0)


def imag(x):
    """The imaginary part (zeros for real inputs)."""
    if _is_complex(x):
        return without_gradient(lambda: np.imag(values(x)[0]), (x,))
    return elementwise(lambda a: np.zeros_like(a), x, lambda v: 0.0)


def conjugate(x):
    """The complex conjugate (`x` itself, in its own dtype, for real inputs)."""
    if _is_complex(x):
        return without_gradient(lambda: np.conjugate(values(x)[0]), (x,))
    return elementwise(np.copy, x, lambda v: 1.0)  # numpy's conjugate turns bools into int8


conj = conjugate


def angle(x):
    """The argument of each (complex) number, in radians: 0 or pi for real inputs."""
    if _is_complex(x):
        return without_gradient(lambda: np.angle(values(x)[0]), (x,))
    v = cast_to(x, config.floatx() if dtype_of(x) == "int64" else float_dtype(x))
    return elementwise(lambda a: np.angle(a).astype(a.dtype), v, lambda t: 0.0)


def view_as_complex(x):
    """A complex array from a real one whose last axis (of size 2) holds (real, imaginary) parts."""
    a = to_array(x)
    if a.ndim < 1 or a.shape[-1] != 2:
        raise ValueError(f"The last axis of `x` must have size 2 (real and imaginary parts), got shape {a.shape}.")
    complex_dtype = np.complex128 if a.dtype == np.float64 else np.complex64
    return without_gradient(lambda: (values(x)[0][..., 0] + 1j * values(x)[0][..., 1]).astype(complex_dtype), (x,))


def view_as_real(x):
    """A real array with a last axis of size 2 holding the (real, imaginary) parts of `x`."""
    return without_gradient(lambda: np.stack([np.real(values(x)[0]), np.imag(values(x)[0])], axis=-1), (x,))


def polar(abs_, angle):
    """The complex numbers `abs_ * (cos(angle) + 1j * sin(angle))`."""
    # As Keras: computed in the float result type of both (int32 with float32: float32, so complex64).
    real = np.dtype(result_type(dtype_of(abs_), dtype_of(angle), float))
    dtype = np.complex128 if real == np.float64 else np.complex64
    real = np.dtype(np.float64 if real == np.float64 else np.float32)  # complex64's parts (float16 too)

    def compute():
        magnitude, phase = (np.asarray(v).astype(real, copy=False) for v in values(abs_, angle))
        return (magnitude * (np.cos(phase) + 1j * np.sin(phase))).astype(dtype)

    return without_gradient(compute, (abs_, angle))
