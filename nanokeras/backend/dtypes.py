"""Data types: turning the names and objects users pass as `dtype` into numpy dtypes."""

import numpy as np

from nanokeras.backend import config


class InvalidDtypeError(TypeError, ValueError):
    """A name that is no dtype, or data of a dtype that cannot be used (strings where numbers are
    needed): a TypeError, as numpy calls it, and a ValueError, as Keras raises it."""


def standardize_dtype(dtype):
    """A numpy dtype from a string, numpy dtype, Python type or None (None means `floatx()`).

    Python's `float` is float32, `int` (or "int") int32 and `complex` complex64, as Keras names
    them (numpy would give 64 bits).
    """
    if dtype is None:
        return np.dtype(config.floatx())
    if isinstance(dtype, str) and dtype == "float":
        # numpy reads "float" as float64, a silent upcast; Keras refuses the bare name.
        raise InvalidDtypeError("Invalid dtype: 'float' given as `dtype` names no precision; "
                                "use 'float32' (or 'float16', 'float64').")
    try:
        dtype = _KERAS_NAMES.get(dtype, dtype)
    except TypeError:  # unhashable: not one of those
        pass
    if hasattr(dtype, "name") and not isinstance(dtype, np.dtype) and not isinstance(dtype, type):
        dtype = dtype.name  # e.g. a DTypePolicy-like object
    try:
        return np.dtype(dtype)
    except TypeError:
        raise InvalidDtypeError(f"Invalid dtype: {dtype!r}. Expected e.g. 'float32' or 'int64'.") from None


def standardize_dtype_name(dtype):
    """`keras.backend.standardize_dtype`: the dtype's name as Keras gives it, a string such as
    "float32" (None means `floatx()`).

    Example:
        >>> standardize_dtype_name(float), standardize_dtype_name(np.int8)
        ('float32', 'int8')
    """
    return standardize_dtype(dtype).name


def is_float_dtype(dtype):
    """True for the floating dtypes (`float16`, `float32`, `float64`, ...) and Python's `float`.

    Example:
        >>> is_float_dtype("float16"), is_float_dtype("int32")
        (True, False)
    """
    return _name(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    """True for the signed and unsigned integer dtypes (not `bool`) and Python's `int`.

    Example:
        >>> is_int_dtype("uint8"), is_int_dtype("bool")
        (True, False)
    """
    return _name(dtype).startswith(("int", "uint"))


def _name(dtype):
    """The dtype's name, with Python's `int`, `float` and `bool` named as Keras names them."""
    if dtype in _PYTHON_TYPES:
        return _PYTHON_TYPES[dtype]
    return standardize_dtype(dtype).name


_PYTHON_TYPES = {int: "int32", float: "float32", bool: "bool", complex: "complex64"}
_KERAS_NAMES = {**_PYTHON_TYPES, "int": "int32"}  # what `standardize_dtype` reads them as

# Type promotion, as Keras (and JAX) define it: a lattice in which each dtype
# points at the types just above it. `int` and `float` are the "weak" types of
# Python numbers: they adopt the dtype of the array they meet (an int32 array
# plus 2 stays int32; a float16 array times 0.5 stays float16).
_ABOVE = {
    "bool": ["int"],
    "int": ["uint8", "int8", "complex64"],
    "uint8": ["int16", "uint16"], "uint16": ["int32", "uint32"], "uint32": ["int64", "uint64"], "uint64": ["float"],
    "int8": ["int16"], "int16": ["int32"], "int32": ["int64"], "int64": ["float"],
    "float": ["bfloat16", "float16"], "bfloat16": ["float32"], "float16": ["float32"],
    "float32": ["float64", "complex64"], "float64": ["complex128"],
    "complex64": ["complex128"], "complex128": [],
}


def _upper_bounds():
    """Every dtype's set of types at or above it."""
    bounds = {}

    def above(node):
        if node not in bounds:
            bounds[node] = {node}.union(*(above(parent) for parent in _ABOVE[node]))
        return bounds[node]

    for node in _ABOVE:
        above(node)
    return bounds


_UPPER_BOUNDS = _upper_bounds()


def _least_upper_bound(nodes):
    common = set.intersection(*(_UPPER_BOUNDS[n] for n in nodes))
    # The least of the common upper bounds is the one below all the others.
    least = [c for c in common if common <= _UPPER_BOUNDS[c]]
    if len(least) != 1:
        raise ValueError(f"The dtypes {sorted(nodes)} have no common type to promote to: cast them explicitly.")
    return least[0]


def result_type(*dtypes):
    """The dtype of an op on operands of `dtypes`, by Keras's type promotion rules.

    Python's `int` and `float` (the types, for Python numbers) are weak: they
    take the dtype of the array they meet. `None` stands for `floatx()`.
    Unlike Keras on JAX (which has no 64-bit types by default), 64-bit dtypes
    stay 64-bit, as on Keras's TensorFlow backend: nanokeras computes in float64
    when asked to.

    Example:
        >>> result_type("int32", "float32"), result_type("int8", "uint8"), result_type("float16", float)
        ('float32', 'int16', 'float16')
    """
    if not dtypes:
        return config.floatx()
    nodes = []
    for dtype in dtypes:
        if dtype is int or dtype is float:
            nodes.append(dtype.__name__)
        elif dtype is None:
            nodes.append(config.floatx())
        else:
            nodes.append(_name(dtype))
    unknown = [n for n in nodes if n not in _ABOVE]
    if unknown:
        raise ValueError(f"`result_type` cannot promote the dtype {unknown[0]!r}.")
    out = _least_upper_bound(set(nodes))
    if out == "int":  # Python ints only
        return "int32" if config.floatx() != "float64" else "int64"
    if out == "float":
        return config.floatx()
    return out
