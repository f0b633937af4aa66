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
    if not isinstance(ka, np.dtype) and not isinstance(kb, np.dtype):
        return _python_operands(a, b, ka, kb, np_fn)
    # A Python int beside an integer array takes the array's type, as in Keras; numpy refuses one
    # outside that type's range (`uint8_array * -1`), where Keras wraps it around.
    if type(b) is int and isinstance(ka, np.dtype) and ka.kind in "iu":
        b = _fitted(b, ka)
    elif type(a) is int and isinstance(kb, np.dtype) and kb.kind in "iu":
        a = _fitted(a, kb)
    key = (np_fn, ka, kb)
    target = _targets.get(key, False)
    if target is False:
        target = _targets[key] = _target(np_fn, ka, kb)
    if target is None:
        return a, b
    return _cast(a, target), _cast(b, target)


def _python_operands(a, b, ka, kb, np_fn):
    """Two Python numbers as 0-d arrays of Keras's type (`add(1, 2.5)` is float32, `add(1, 2)` int32),
    where numpy would compute in 64 bits."""
    key = (np_fn, ka, kb)
    target = _targets.get(key, False)
    if target is False:
        try:
            target = np.dtype(dtypes.result_type(ka, kb))
            if np_fn is np.true_divide and target.kind in "biu":
                target = np.dtype(dtypes.result_type(target.name, float))
        except (ValueError, TypeError):
            target = None
        _targets[key] = target
    if target is None:
        return a, b
    return np.asarray(_fitted(a, target) if type(a) is int else a, target), np.asarray(
        _fitted(b, target) if type(b) is int else b, target)


def _fitted(value, dtype):
    """The Python int `value` as a number of the integer `dtype`, wrapped around when out of its range."""
    if dtype.kind not in "iu":
        return value
    bits = dtype.itemsize * 8
    low = -(1 << (bits - 1)) if dtype.kind == "i" else 0
    if low <= value < low + (1 << bits):
        return value
    value %= 1 << bits
    if dtype.kind == "i" and value >= 1 << (bits - 1):
        value -= 1 << bits
    return dtype.type(value)


def _cast(value, dtype):
    if isinstance(value, (_ndarray, np.generic)):
        return value if value.dtype == dtype else value.astype(dtype)
    return value if dtype.kind == "f" or type(value) is not float else dtype.type(value)
