"""Keras 2's variable functions: `K.variable`, `K.constant`, `K.get_value`, `K.set_value`,
`K.eval`, `K.update_add`, `K.moving_average_update`, ...

A Keras 2 variable is a `keras.Variable`; a tensor is a numpy array (or, inside
a `GradientTape`, a recorded tensor). `set_value` and the `update*` functions
change a variable in place, as Keras 2's did.

Example:
    >>> from nanokeras import keras2_backend as K
    >>> v = K.variable([1.0, 2.0])
    >>> K.set_value(v, [3, 4]); K.get_value(v).tolist(), K.dtype(v)
    ([3.0, 4.0], 'float32')
"""

import contextlib

import numpy as np

from nanokeras import ops
from nanokeras.backend import config, naming
from nanokeras.keras2_backend.registry import keras2_function
from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.tensor import TensorOperators, value_of
from nanokeras.ops.variable import Variable


def _numpy(x):
    if getattr(type(x), "_is_keras_tensor", False):
        raise TypeError(f"{x!r} is symbolic and has no value yet; call the model on data instead.")
    return np.array(to_array(x), copy=True)


def _require_variable(x, function):
    if not isinstance(x, Variable):
        raise TypeError(f"`{function}` changes a variable in place; `x` must be a variable "
                        f"(`K.variable(...)`, a layer's weight), got {type(x).__name__}.")


@keras2_function("`keras.Variable(value, dtype=dtype, name=name)`", symbolic=False)
def variable(value, dtype=None, name=None, constraint=None):
    """A variable holding `value` (of `floatx()` unless `dtype` is given)."""
    dtype = config.floatx() if dtype is None else dtype
    result = Variable(np.array(value_of(value), dtype=dtype), dtype=dtype, name=name)
    if constraint is not None:
        result.constraint = constraint
    return result


@keras2_function("`keras.ops.convert_to_tensor(value, dtype=dtype)`", symbolic=False)
def constant(value, dtype=None, shape=None, name=None):
    """A tensor holding `value` (of `floatx()` unless `dtype` is given); with `shape`, a single
    value fills that shape and other values are reshaped to it."""
    values = np.asarray(value_of(value), dtype=config.floatx() if dtype is None else dtype)
    if shape is None:
        return values
    shape = tuple(int(d) for d in shape)
    if values.size == 1:
        return np.full(shape, values.reshape(()), dtype=values.dtype)
    if values.size != int(np.prod(shape)):
        raise TypeError(f"`constant`: {values.size} values do not fill shape {shape} "
                        f"({int(np.prod(shape))} values).")
    return values.reshape(shape)


@keras2_function("`keras.ops.cast(x, keras.config.floatx())`", symbolic=False)
def cast_to_floatx(x):
    """`x` as `floatx()`: a numpy array (a tensor stays a tensor)."""
    if isinstance(x, TensorOperators) or getattr(type(x), "_is_keras_tensor", False):
        return ops.cast(x, config.floatx())
    return np.asarray(x, dtype=config.floatx())


@keras2_function("`variable.numpy()` (or `keras.ops.convert_to_numpy(x)`)", symbolic=False)
def get_value(x):
    """The value of a variable or tensor, as a numpy array (a copy)."""
    return _numpy(x)


@keras2_function("`[v.numpy() for v in variables]`", symbolic=False)
def batch_get_value(tensors):
    """The values of a list of variables, as numpy arrays."""
    return [_numpy(x) for x in tensors]


@keras2_function("`keras.ops.convert_to_numpy(x)`", symbolic=False)
def eval(x):
    """The value of `x` (a variable or tensor) as a numpy array."""
    return _numpy(x)


@keras2_function("`variable.assign(value)`", symbolic=False)
def set_value(x, value):
    """Puts `value` (cast to the variable's dtype) into variable `x`."""
    _require_variable(x, "set_value")
    x.assign(np.asarray(value_of(value), dtype=x.dtype))


@keras2_function("`for v, value in pairs: v.assign(value)`", symbolic=False)
def batch_set_value(tuples):
    """`set_value` for each `(variable, value)` pair; nothing changes if one is not a variable."""
    tuples = list(tuples)
    for x, _ in tuples:
        _require_variable(x, "batch_set_value")
    for x, value in tuples:
        x.assign(np.asarray(value_of(value), dtype=x.dtype))


@keras2_function("`variable.assign(new_x)`", symbolic=False)
def update(x, new_x):
    """Sets variable `x` to `new_x`; returns `x`."""
    _require_variable(x, "update")
    x.assign(new_x)
    return x


@keras2_function("`variable.assign_add(increment)`", symbolic=False)
def update_add(x, increment):
    """Adds `increment` to variable `x`; returns `x`."""
    _require_variable(x, "update_add")
    x.assign_add(increment)
    return x


@keras2_function("`variable.assign_sub(decrement)`", symbolic=False)
def update_sub(x, decrement):
    """Subtracts `decrement` from variable `x`; returns `x`."""
    _require_variable(x, "update_sub")
    x.assign_sub(decrement)
    return x


@keras2_function("`variable.assign(variable * momentum + value * (1 - momentum))`", symbolic=False)
def moving_average_update(x, value, momentum):
    """Moves variable `x` towards `value`: `x - (x - value) * (1 - momentum)`; returns `x`."""
    _require_variable(x, "moving_average_update")
    current = x.value
    x.assign_sub((current - np.asarray(value_of(value), current.dtype)) * np.asarray(1 - momentum, current.dtype))
    return x


@keras2_function("`print(message, keras.ops.convert_to_numpy(x))`")
def print_tensor(x, message="", summarize=3):
    """Prints `message` and the value of `x` (`summarize` values at each end of each axis); returns `x`."""
    text = np.array2string(np.asarray(value_of(x)), edgeitems=summarize, threshold=2 * summarize + 1)
    print(f"{message} {text}" if message else text)
    return x


@keras2_function("`isinstance(x, keras.KerasTensor) and x.sparse` (nanokeras tensors are dense)", symbolic=False)
def is_sparse(tensor):
    """Whether `tensor` is sparse: only a symbolic input made with `sparse=True` is."""
    return bool(getattr(tensor, "sparse", False)) and getattr(type(tensor), "_is_keras_tensor", False)


@keras2_function("`x` itself (nanokeras tensors are dense)")
def to_dense(tensor):
    """`tensor` (already dense)."""
    return tensor


@keras2_function("`keras.name_scope(name)`", symbolic=False)
@contextlib.contextmanager
def name_scope(name):
    """A context for names of graph operations (TensorFlow's); it changes nothing here."""
    if not isinstance(name, str):
        raise TypeError(f"`name_scope` takes a string name, got {name!r}.")
    yield name


@keras2_function("`keras.backend.clear_session()` (which also resets the names)", symbolic=False)
def reset_uids():
    """Restarts the counters of `keras.backend.get_uid` (and of automatic layer names)."""
    naming.reset_uids()
