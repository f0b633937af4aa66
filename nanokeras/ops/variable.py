"""`Variable`: a named, mutable array that holds model state (weights, optimizer slots).

It behaves like a numpy array (`np.asarray(v)`, `v.numpy()`, `v[0] * x`, `v.shape`)
and, inside a `GradientTape`, like a leaf whose gradient the tape can compute.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> v = keras.Variable(np.ones((2, 1)), name="kernel")
    >>> _ = v.assign(v * 3)
    >>> v.numpy().ravel().tolist()
    [3.0, 3.0]
"""

import numpy as np

from nanokeras.backend import config, naming
from nanokeras.backend.dtypes import standardize_dtype
from nanokeras.backend.state_scopes import stateless_slot
from nanokeras.ops.tensor import TensorOperators, value_of


_AGGREGATIONS = ("none", "mean", "sum", "only_first_replica")
_SYNCHRONIZATIONS = ("none", "on_read", "on_write", "auto")


def _checked_choice(argument, value, choices):
    if value is None:
        return "none"
    if value not in choices:
        raise ValueError(f"Invalid value for argument `{argument}`: expected None or one of "
                         f"{', '.join(repr(c) for c in choices)}, got {argument}={value!r}.")
    return value


class Variable(TensorOperators):
    """A mutable array that gradients can flow to.

    Args:
        initializer: an initial value (array-like), or a callable
            `initializer(shape, dtype)` such as `keras.initializers.GlorotUniform()`.
        shape: required when `initializer` is a callable.
        dtype: defaults to the value's dtype for integers, bools and float16, else `keras.backend.floatx()`.
        trainable: whether optimizers should update it.
        name: a short name; `path` is `"<owner>/<name>"` once a layer owns it.
    """

    __slots__ = ("value", "name", "path", "trainable", "aggregation", "synchronization", "_constraint", "regularizer",
                 "__weakref__")

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        name=None,
    ):
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(f"Variable `name` must be a string without '/', got {name!r}.")
        # Unnamed variables are numbered as Keras numbers them (`variable`, `variable_1`, ...): paths
        # stay distinct, and two unnamed weights of one layer do not share a name.
        self.name = name or naming.auto_name("variable")
        scope = naming.current_path() if naming._SCOPE_STACK else ""
        self.path = f"{scope}/{self.name}" if scope else self.name
        self.trainable = bool(trainable)
        # Kept and checked as Keras keeps them; they matter only when a variable is split across
        # devices, which nanokeras never does.
        self.aggregation = _checked_choice("aggregation", aggregation, _AGGREGATIONS)
        self.synchronization = _checked_choice("synchronization", synchronization, _SYNCHRONIZATIONS)
        self._constraint = None
        self.regularizer = None
        if callable(initializer) and not isinstance(initializer, (np.ndarray, TensorOperators)):
            if shape is None:
                raise ValueError(
                    f"Variable {self.name!r}: `shape` is required when `initializer` is a callable."
                )
            dtype = standardize_dtype(dtype)
            value = np.asarray(initializer(tuple(shape), dtype=dtype.name), dtype=dtype)
        else:
            value = np.asarray(value_of(initializer))
            if dtype is None:
                # The value's own dtype, as in Keras, except 64-bit floats (Python floats, numpy's
                # default), which become floatx as they do on Keras's JAX backend.
                keep = value.dtype.kind in "iub" or value.dtype == np.float16
                dtype = value.dtype if keep else config.floatx()
            value = np.array(value, dtype=standardize_dtype(dtype))
            if shape is not None and tuple(shape) != value.shape:
                raise ValueError(
                    f"Variable {self.name!r}: initial value has shape {value.shape}, "
                    f"but `shape={tuple(shape)}` was given."
                )
        self.value = value

    def assign(self, value):
        """Replaces the contents (same shape) in place; returns the variable."""
        value = value_of(value)
        shape = np.shape(value)
        if shape != self.value.shape:
            raise ValueError(
                f"Cannot assign a value of shape {shape} to variable {self.path!r} "
                f"of shape {self.value.shape}."
            )
        if stateless_slot[0] is not None:  # a keras.StatelessScope keeps the old contents
            stateless_slot[0]._save(self)
        self.value[...] = value
        return self

    def assign_add(self, value):
        if stateless_slot[0] is not None:
            stateless_slot[0]._save(self)
        self.value += value_of(value)
        return self

    def assign_sub(self, value):
        if stateless_slot[0] is not None:
            stateless_slot[0]._save(self)
        self.value -= value_of(value)
        return self

    @property
    def constraint(self):
        return self._constraint

    @constraint.setter
    def constraint(self, value):
        self._constraint = value

    def __repr__(self):
        return (
            f"<Variable path={self.path}, shape={self.value.shape}, "
            f"dtype={self.value.dtype.name}, value={self.value}>"
        )
