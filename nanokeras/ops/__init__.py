"""`keras.ops`: differentiable tensor operations on numpy arrays.

Outside a `GradientTape` they return numpy arrays and cost what numpy costs;
inside one they record themselves so gradients can be computed. Given the
symbolic tensors of the functional API (`keras.Input(...)`), they add a step to
the model's graph instead, as in Keras:

    x = keras.Input((3,))
    y = keras.ops.exp(x) * 2          # a KerasTensor of shape (None, 3)
"""

import functools as _functools

from nanokeras.ops import core as _core
from nanokeras.ops import crossentropy as _crossentropy
from nanokeras.ops import math as _math
from nanokeras.ops import nn as _nn
from nanokeras.ops import numpy as _numpy
from nanokeras.backend.keras_tensor import KerasTensor as _KerasTensor, any_symbolic as _any_symbolic


def _accepting_symbolic_tensors(function):
    """`function`, or a graph step when any argument is a KerasTensor (functional API)."""

    @_functools.wraps(function)
    def op(*args, **kwargs):
        for arg in args:
            if type(arg) is _KerasTensor or (type(arg) in (list, tuple) and _any_symbolic(arg)):
                from nanokeras.layers.core.op_layer import symbolic_op

                return symbolic_op(function, args, kwargs)
        if kwargs and _any_symbolic((), kwargs):
            from nanokeras.layers.core.op_layer import symbolic_op

            return symbolic_op(function, args, kwargs)
        return function(*args, **kwargs)

    return op


__all__ = []
for _module in (_numpy, _math, _nn, _core, _crossentropy):
    for _name in _module.__all__:
        globals()[_name] = _accepting_symbolic_tensors(getattr(_module, _name))
        __all__.append(_name)
del _module, _name
