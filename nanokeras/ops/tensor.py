"""`Tensor`: a value computed inside a `GradientTape`, remembering how it was made.

Outside a tape, ops take and return plain numpy arrays and record nothing. Inside
one, an op whose inputs include a `Variable` or a `Tensor` returns a `Tensor`: its
numpy `value`, the op's `inputs`, and `vjp`, the function that maps the gradient
of the result to the gradients of the inputs (the vector-Jacobian product).
`GradientTape.gradient` walks these records backwards.

`TensorOperators` gives `Tensor` and `Variable` the arithmetic, indexing and numpy
interoperability of arrays, routed through `nanokeras.ops` so that gradients flow.
"""

import numpy as np


class TensorOperators:
    """Python operators and numpy protocols shared by `Tensor` and `Variable`."""

    __slots__ = ()
    # Makes `ndarray <op> tensor` defer to our reflected operators.
    __array_priority__ = 100

    @property
    def shape(self):
        return self.value.shape

    @property
    def dtype(self):
        return self.value.dtype

    @property
    def ndim(self):
        return self.value.ndim

    @property
    def size(self):
        return self.value.size

    def numpy(self):
        """A numpy copy of the value."""
        return np.array(self.value)

    def __array__(self, dtype=None, copy=None):
        # A copy, so later in-place updates of a weight never change an array
        # the user already holds.
        return np.array(self.value, dtype=dtype)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "__call__" and not kwargs:
            op = _ufunc_ops().get(ufunc)
            if op is not None:
                return op(*inputs)
        inputs = tuple(value_of(x) for x in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(value_of(x) for x in kwargs["out"])
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __len__(self):
        return len(self.value)

    def __iter__(self):
        for i in range(len(self.value)):
            yield self[i]

    def __bool__(self):
        return bool(self.value)

    def __float__(self):
        return float(self.value)

    def __int__(self):
        return int(self.value)

    def __index__(self):
        return int(self.value)

    def __format__(self, spec):
        return format(self.value, spec) if self.value.ndim == 0 else format(str(self.value), spec)

    def __getitem__(self, key):
        return _ops.getitem(self, key)

    def __add__(self, other):
        return _ops.add(self, other)

    def __radd__(self, other):
        return _ops.add(other, self)

    def __sub__(self, other):
        return _ops.subtract(self, other)

    def __rsub__(self, other):
        return _ops.subtract(other, self)

    def __mul__(self, other):
        return _ops.multiply(self, other)

    def __rmul__(self, other):
        return _ops.multiply(other, self)

    def __truediv__(self, other):
        return _ops.divide(self, other)

    def __rtruediv__(self, other):
        return _ops.divide(other, self)

    def __pow__(self, other):
        return _ops.power(self, other)

    def __rpow__(self, other):
        return _ops.power(other, self)

    def __matmul__(self, other):
        return _ops.matmul(self, other)

    def __rmatmul__(self, other):
        return _ops.matmul(other, self)

    def __neg__(self):
        return _ops.negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _ops.abs(self)

    # Comparisons have no gradient; inside a tape they are recorded (so a compiled step
    # computes them again for each batch), outside one they return boolean arrays.
    def __lt__(self, other):
        return _ops.less(self, other)

    def __le__(self, other):
        return _ops.less_equal(self, other)

    def __gt__(self, other):
        return _ops.greater(self, other)

    def __ge__(self, other):
        return _ops.greater_equal(self, other)

    # `==` and `!=` compare values elementwise, as Keras's variables do (`iterations == 6`).
    # Identity stays the hash, so variables still key dicts and sets.
    def __eq__(self, other):
        return _ops.equal(self, other)

    def __ne__(self, other):
        return _ops.not_equal(self, other)

    __hash__ = object.__hash__

    def __mod__(self, other):
        return _ops.mod(self, other)

    def __rmod__(self, other):
        return _ops.mod(other, self)

    def __floordiv__(self, other):
        return _ops.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _ops.floor_divide(other, self)

    # As in Keras, `&`, `|` and `^` are logical, and `~` is the value's own (bitwise for ints).
    def __and__(self, other):
        return _ops.logical_and(self, other)

    def __rand__(self, other):
        return _ops.logical_and(other, self)

    def __or__(self, other):
        return _ops.logical_or(self, other)

    def __ror__(self, other):
        return _ops.logical_or(other, self)

    def __xor__(self, other):
        return _ops.logical_xor(self, other)

    def __rxor__(self, other):
        return _ops.logical_xor(other, self)

    def __invert__(self):
        return np.invert(self.value)

    def __round__(self, ndigits=None):
        return _ops.round(self, 0 if ndigits is None else ndigits)

    @property
    def T(self):
        return _ops.transpose(self)


class Tensor(TensorOperators):
    """A value recorded on a gradient tape (see the module docstring).

    Example:
        >>> import nanokeras as keras
        >>> w = keras.Variable([1.0, 2.0])
        >>> with keras.GradientTape() as tape:
        ...     y = keras.ops.sum(w * w)   # y is a Tensor
        >>> tape.gradient(y, w)
        array([2., 4.], dtype=float32)
    """

    __slots__ = ("value", "inputs", "vjp", "forward", "__weakref__")

    def __init__(self, value, inputs=(), vjp=None, forward=None):
        self.value = value
        self.inputs = inputs
        self.vjp = vjp
        # How a compiled step recomputes `value` in place (see `record`); None for leaves.
        self.forward = forward

    def __repr__(self):
        return f"<Tensor shape={self.value.shape}, dtype={self.value.dtype}, value={self.value}>"


class Constant(Tensor):
    """Data that ops record through but no gradient is asked for: a batch in a traced step.

    Ops on it are recorded (so a compiled step can replay them on the next batch,
    written into the same array), and ops may skip computing its gradient.
    """

    __slots__ = ()

    def __repr__(self):
        return f"<Constant shape={self.value.shape}, dtype={self.value.dtype}>"


def value_of(x):
    """The numpy value behind `x` (a `Tensor`, a `Variable`, or already an array)."""
    return x.value if isinstance(x, TensorOperators) else x


_UFUNC_OPS = None


def _ufunc_ops():
    """numpy ufuncs that have a differentiable op of the same meaning."""
    global _UFUNC_OPS
    if _UFUNC_OPS is None:
        _UFUNC_OPS = {
            np.add: _ops.add,
            np.subtract: _ops.subtract,
            np.multiply: _ops.multiply,
            np.true_divide: _ops.divide,
            np.power: _ops.power,
            np.matmul: _ops.matmul,
            np.negative: _ops.negative,
        }
        for name in ("exp", "log", "sqrt", "square", "abs", "absolute", "tanh", "maximum", "minimum"):
            op = getattr(_ops, "abs" if name == "absolute" else name, None)
            if op is not None:
                _UFUNC_OPS[getattr(np, name)] = op
    return _UFUNC_OPS


# The operators above call the differentiable ops, which in turn need `Tensor`:
# imported last, so either module can be imported first.
from nanokeras.ops import numpy as _ops  # noqa: E402
