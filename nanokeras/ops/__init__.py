"""`keras.ops`: differentiable tensor operations on numpy arrays.

Outside a `GradientTape` they return numpy arrays and cost what numpy costs;
inside one they record themselves so gradients can be computed. Given the
symbolic tensors of the functional API (`keras.Input(...)`), they add a step to
the model's graph instead, as in Keras:

    x = keras.Input((3,))
    y = keras.ops.exp(x) * 2          # a KerasTensor of shape (None, 3)
"""

import functools as _functools

import numpy as _np

from nanokeras.ops import core as _core
from nanokeras.ops import crossentropy as _crossentropy
from nanokeras.ops import math as _math
from nanokeras.ops import nn as _nn
from nanokeras.ops import numpy as _numpy
# The engine's `nanokeras/ops/trace.py` (compiled steps) shares its name with `keras.ops.trace` (the
# sum of a diagonal). Imported first, it stays in `sys.modules` and later imports of it no longer set
# the package attribute, which is the function, as in Keras.
from nanokeras.ops import trace as _trace_module  # noqa: F401
from nanokeras.tree import flatten as _flatten

_ndarray = _np.ndarray


def _symbolic_leaf(args, kwargs):
    """The first symbolic tensor (KerasTensor) among the arguments, or None.

    Symbolic tensors belong to the graph package, above this one; they are
    recognised by the `_is_keras_tensor` mark their class carries.
    """
    for arg in args:
        kind = type(arg)
        if kind is _ndarray:
            continue
        if getattr(kind, "_is_keras_tensor", False):
            return arg
        if kind in (list, tuple):
            for leaf in _flatten(arg):
                if getattr(type(leaf), "_is_keras_tensor", False):
                    return leaf
    if kwargs:
        for leaf in _flatten(kwargs):
            if getattr(type(leaf), "_is_keras_tensor", False):
                return leaf
    return None


def _accepting_symbolic_tensors(function):
    """`function`, or a graph step when any argument is a KerasTensor (functional API)."""

    @_functools.wraps(function)
    def op(*args, **kwargs):
        symbolic = _symbolic_leaf(args, kwargs)
        if symbolic is not None:
            return type(symbolic)._apply_symbolic(function, args, kwargs)
        return function(*args, **kwargs)

    return op


from nanokeras.ops import linalg  # noqa: E402  (`keras.ops.linalg`; its functions are in `keras.ops` too)

__all__ = []
for _module in (_numpy, _math, _nn, _core, _crossentropy, linalg):
    for _name in _module.__all__:
        globals()[_name] = _accepting_symbolic_tensors(getattr(_module, _name))
        __all__.append(_name)
del _module, _name
