"""`Metric`: the base class of stateful metrics.

A metric keeps its running state in non-trainable `Variable`s, updated by
`update_state` on plain numpy values (metrics are never differentiated), and
reports it with `result`.

Example:
    >>> import nanokeras as keras
    >>> m = keras.metrics.Mean()
    >>> m.update_state([1.0, 3.0])
    >>> float(m.result())
    2.0
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.naming import auto_name
from nanokeras.backend.dtypes import standardize_dtype
from nanokeras.ops.variable import Variable
from nanokeras.metrics import stateless
from nanokeras.utils.keyword_arguments import check_keyword_arguments


def _dtype_name(dtype):
    if dtype is None:
        return config.floatx()
    if hasattr(dtype, "compute_dtype"):  # a DTypePolicy-like object
        dtype = dtype.compute_dtype
    return standardize_dtype(dtype).name


def _initial_value(initializer, shape, dtype):
    """The starting array of a metric variable."""
    if isinstance(initializer, str):
        key = initializer.lower()
        if key in ("zeros", "zero"):
            return np.zeros(shape, dtype=dtype)
        if key in ("ones", "one"):
            return np.ones(shape, dtype=dtype)
        from nanokeras import initializers

        initializer = initializers.get(initializer)
    if callable(initializer):
        return np.asarray(initializer(shape, dtype=dtype.name), dtype=dtype)
    return np.broadcast_to(np.asarray(initializer, dtype=dtype), shape).copy()


class Metric:
    """Encapsulates metric logic and state.

    Subclasses create their state with `self.add_variable(...)` in `__init__`,
    then implement `update_state(...)` and `result()`.

    Args:
        name: the metric's name (the key in `History`); by default the
            snake_case class name, made unique (`"auc"`, `"auc_1"`, ...).
        dtype: the dtype of results, `keras.backend.floatx()` by default.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> class Positives(keras.metrics.Metric):
        ...     def __init__(self, name="positives", **kwargs):
        ...         super().__init__(name=name, **kwargs)
        ...         self.count = self.add_variable((), "zeros", name="count")
        ...     def update_state(self, values):
        ...         self.count.assign_add(np.sum(np.asarray(values) > 0))
        ...     def result(self):
        ...         return self.count.numpy()
        >>> m = Positives()
        >>> float(m([1, -2, 3]))
        2.0
    """

    _is_keras_metric = True  # a layer or model keeps it in `metrics` when it is an attribute

    def __new__(cls, *args, **kwargs):
        # Before `__init__`: a misspelt argument gets "did you mean ...?", not Python's TypeError.
        check_keyword_arguments(cls, kwargs)
        return super().__new__(cls)

    def __init__(self, dtype=None, name=None):
        if name is not None and not isinstance(name, str):
            raise TypeError(
                f"Metric `name` must be a string, got {type(name).__name__} {name!r}."
            )
        self.name = name or auto_name(self.__class__.__name__)
        self._dtype = _dtype_name(dtype)
        self._variables = []

    @property
    def dtype(self):
        return self._dtype

    @property
    def variables(self):
        """The metric's state variables (non-trainable)."""
        variables = list(self._variables)
        for value in self.__dict__.values():
            if isinstance(value, Metric):
                variables.extend(value.variables)
        return variables

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a non-trainable state `Variable` of `shape`, tracked in `variables`."""
        if not hasattr(self, "_variables"):
            raise RuntimeError(
                f"{self.__class__.__name__}: call `super().__init__()` in `__init__` "
                "before `add_variable`."
            )
        shape = tuple(int(d) for d in (shape or ()))
        np_dtype = standardize_dtype(dtype)
        value = _initial_value(initializer, shape, np_dtype)
        variable = Variable(value, dtype=np_dtype, trainable=False, aggregation=aggregation, name=name)
        variable.path = f"{self.name.replace('/', '>')}/{variable.name}"
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Alias of `add_variable` (older Keras name)."""
        return self.add_variable(shape, initializer or "zeros", dtype=dtype, name=name)

    def update_state(self, *args, **kwargs):
        """Accumulates statistics from one batch."""
        raise NotImplementedError(
            f"{self.__class__.__name__} must implement `update_state`."
        )

    def result(self):
        """The metric's current value (a numpy float scalar or array)."""
        raise NotImplementedError(f"{self.__class__.__name__} must implement `result`.")

    def reset_state(self):
        """Sets every state variable back to zero (called at each epoch start)."""
        for v in self.variables:
            v.value[...] = 0

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """`update_state(*args, **kwargs)` from the state `metric_variables` (one array per
        `self.variables`), returning the new state; the metric's own variables do not change."""
        return stateless.stateless_update_state(self, metric_variables, *args, **kwargs)

    def stateless_result(self, metric_variables):
        """`result()` computed from the state `metric_variables`."""
        return stateless.stateless_result(self, metric_variables)

    def stateless_reset_state(self):
        """The state `reset_state()` gives (a list of arrays), leaving the metric's own untouched."""
        return stateless.stateless_reset_state(self)

    def __call__(self, *args, **kwargs):
        """`update_state(...)` then `result()`."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}>"

    __str__ = __repr__
