"""`KerasTensor`: a symbolic tensor (shape and dtype, no values), as `keras.Input` returns.

It describes what will flow through a model before any data exists, so layers
can be built with the right weight shapes. Calling a layer on KerasTensors
records a `Node` in the layer and returns new KerasTensors whose
`_keras_history` (layer, node index, tensor index) says where they came from:
that record is the graph a functional `keras.Model(inputs, outputs)` runs.

Python operators (`x + y`, `x * 2`, `-x`, `x[:, 0]`) on KerasTensors record the
operation too, so they can be used between layers as in Keras.
"""

import collections

import numpy as np

from nanokeras.backend import naming
from nanokeras.tree import flatten

KerasHistory = collections.namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])


class KerasTensor:
    """A placeholder for a tensor of known shape and dtype.

    Example:
        >>> import nanokeras as keras
        >>> x = keras.Input(shape=(2,))
        >>> x.shape
        (None, 2)
        >>> (x * 2).shape
        (None, 2)
    """

    # numpy must defer to our reflected operators (`array + keras_tensor`).
    __array_priority__ = 200
    # How `keras.ops` functions recognise a symbolic argument without importing this module.
    _is_keras_tensor = True

    @staticmethod
    def _apply_symbolic(function, args, kwargs):
        """Runs a `keras.ops` function on symbolic arguments: a new graph node."""
        from nanokeras.graph.symbolic_op import symbolic_op

        return symbolic_op(function, args, kwargs)

    def __init__(self, shape, dtype="float32", name=None, sparse=False):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        try:
            self.dtype = np.dtype(dtype).name
        except TypeError:
            self.dtype = str(dtype)
        self.name = name or naming.auto_name("keras_tensor")
        self.sparse = bool(sparse)
        self._keras_history = None

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse={self.sparse}, ragged=False, name={self.name}>"

    # A KerasTensor has no values: converting it would silently make a useless object array.
    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            f"{self!r} is symbolic (a placeholder for data in a functional model) and has no values. "
            "Pass it to layers, `keras.ops` functions or Python operators (`x + y`, `x[:, 0]`); numpy "
            "functions cannot see symbolic tensors (use `keras.ops.mean` rather than `np.mean`)."
        )

    def __bool__(self):
        raise TypeError(
            "A symbolic KerasTensor cannot be used as a Python bool (e.g. in `if x:`): it has no value yet. "
            "Put data-dependent logic inside a layer's `call`."
        )

    def __len__(self):
        if not self.shape or self.shape[0] is None:
            raise TypeError(f"len() of {self!r} is unknown: its first dimension is not fixed.")
        return self.shape[0]

    def __iter__(self):
        raise TypeError(f"Cannot iterate over the symbolic tensor {self!r}; index it instead (`x[:, 0]`).")

    def numpy(self):
        raise TypeError(f"{self!r} is symbolic and has no values; call the model on data instead.")

    # ---------------------------------------------------------- operators
    def __add__(self, other):
        return _op("add", self, other)

    def __radd__(self, other):
        return _op("add", other, self)

    def __sub__(self, other):
        return _op("subtract", self, other)

    def __rsub__(self, other):
        return _op("subtract", other, self)

    def __mul__(self, other):
        return _op("multiply", self, other)

    def __rmul__(self, other):
        return _op("multiply", other, self)

    def __truediv__(self, other):
        return _op("divide", self, other)

    def __rtruediv__(self, other):
        return _op("divide", other, self)

    def __floordiv__(self, other):
        return _op("floor_divide", self, other)

    def __rfloordiv__(self, other):
        return _op("floor_divide", other, self)

    def __mod__(self, other):
        return _op("mod", self, other)

    def __pow__(self, other):
        return _op("power", self, other)

    def __rpow__(self, other):
        return _op("power", other, self)

    def __matmul__(self, other):
        return _op("matmul", self, other)

    def __rmatmul__(self, other):
        return _op("matmul", other, self)

    def __neg__(self):
        return _op("negative", self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _op("absolute", self)

    def __lt__(self, other):
        return _op("less", self, other)

    def __le__(self, other):
        return _op("less_equal", self, other)

    def __gt__(self, other):
        return _op("greater", self, other)

    def __ge__(self, other):
        return _op("greater_equal", self, other)

    def __getitem__(self, key):
        return _op("getitem", self, key)

    # Identity semantics for == and hashing, so KerasTensors can key dicts and sets.
    __hash__ = object.__hash__


def _op(name, *args):
    """Records the `keras.ops` function `name` applied to `args` as a graph node."""
    from nanokeras.graph.symbolic_op import symbolic_op

    return symbolic_op(getattr(_numpy_ops, name), args, {}, name="get_item" if name == "getitem" else name)


def is_keras_tensor(x):
    return isinstance(x, KerasTensor)


def any_symbolic(args, kwargs=None):
    """True when a KerasTensor appears anywhere in `args`/`kwargs` (nested lists, tuples, dicts)."""
    for x in flatten(args):
        if isinstance(x, KerasTensor):
            return True
    if kwargs:
        for x in flatten(kwargs):
            if isinstance(x, KerasTensor):
                return True
    return False


from nanokeras.ops import numpy as _numpy_ops  # noqa: E402
