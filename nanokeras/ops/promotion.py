"""Keras's type promotion for binary ops, where numpy's differs.

numpy widens `int32 + float32` to float64 and divides integers into float64; Keras
keeps the float's type (`int32 + float32 -> float32`, `int32 / int32 -> float32`,
an int array with a Python float -> `floatx()`), by `keras.backend.result_type`.
Binary ops cast their operands to Keras's result type in those cases, before numpy
computes; operands of one dtype (the usual case) pass through untouched.

Example:
    >>> import numpy as np
    >>> a, b = keras_operands(np.array([1, 2], "int32"), np.array([0.5], "float32"), np.add)
    >>> (a + b).dtype
    dtype('float32')
"""

import numpy as np

from nanokeras.backend import dtypes

_ndarray = np.ndarray
_PYTHON = {bool: "bool", int: int, float: float}
_targets = {}  # (ufunc, kind of a, kind of b) -> the dtype to cast to, or None when numpy agrees


def _kind(value):
    if type(value) is _ndarray or isinstance(value, np.generic):
        return value.dtype
    return _PYTHON.get(type(value))


def _sample(kind):
    return np.zeros(1, kind) if isinstance(kind, np.dtype) else {"bool": False, int: 1, float: 1.0}[kind]


def _target(np_fn, ka, kb):
    if not isinstance(ka, np.dtype) and not isinstance(kb, np.dtype):
        return None  # two Python numbers: left to numpy
    try:
        keras = np.dtype(dtypes.result_type(*(k.name if isinstance(k, np.dtype) else k for k in (ka, kb))))
        if np_fn is np.true_divide and keras.kind in "biu":
            keras = np.dtype(dtypes.result_type(keras.name, float))  # dividing integers gives floatx
        if np_fn is np.mod and keras.kind == "b":
            keras = np.dtype(np.int32)  # the remainder of bools is int32 in Keras (numpy: int8)
        with np.errstate(all="ignore"):
            natural = np.asarray(np_fn(_sample(ka), _sample(kb))).dtype
    except (ValueError, TypeError):
        return None
    return None if keras == natural else keras


def keras_operands(a, b, np_fn):
    """`a`, `b` (arrays, numpy or Python scalars) cast so that `np_fn(a, b)` has Keras's dtype."""
    if type(a) is _ndarray and type(b) is _ndarray and a.dtype is b.dtype and np_fn is not np.true_divide and (
            np_fn is not np.mod or a.dtype.kind != "b"):
        return a, b
    ka, kb = _kind(a), _kind(b)
    if ka is None or kb is None:
        return a, b
    key = (np_fn, ka, kb)
    target = _targets.get(key, False)
    if target is False:
        target = _targets[key] = _target(np_fn, ka, kb)
    if target is None:
        return a, b
    return _cast(a, target), _cast(b, target)


def _cast(value, dtype):
    if isinstance(value, (_ndarray, np.generic)):
        return value if value.dtype == dtype else value.astype(dtype)
    return value if dtype.kind == "f" or type(value) is not float else dtype.type(value)
