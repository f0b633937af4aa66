"""`keras.ops`: differentiable tensor operations on numpy arrays.

Outside a `GradientTape` they return numpy arrays and cost what numpy costs;
inside one they record themselves so gradients can be computed. Given the
symbolic tensors of the functional API (`keras.Input(...)`), they add a step to
the model's graph instead, as in Keras:

    x = keras.Input((3,))
    y = keras.ops.exp(x) * 2          # a KerasTensor of shape (None, 3)
"""

from nanokeras.ops import core as _core
from nanokeras.ops import crossentropy as _crossentropy
from nanokeras.ops import math as _math
from nanokeras.ops import nn as _nn
from nanokeras.ops import numpy as _numpy
# The engine's `nanokeras/ops/trace.py` (compiled steps) shares its name with `keras.ops.trace` (the
# sum of a diagonal). Imported first, it stays in `sys.modules` and later imports of it no longer set
# the package attribute, which is the function, as in Keras.
from nanokeras.ops import trace as _trace_module  # noqa: F401
from nanokeras.ops import convolution as _convolution  # noqa: I001  (after the ops it builds on)
from nanokeras.ops import pooling as _pooling
from nanokeras.ops import attention as _attention
from nanokeras.ops.symbolic_dispatch import accepting_symbolic_tensors as _accepting_symbolic_tensors
from nanokeras.ops.symbolic_dispatch import symbolic_leaf as _symbolic_leaf  # noqa: F401
from nanokeras.ops import linalg  # noqa: E402  (`keras.ops.linalg`; its functions are in `keras.ops` too)

__all__ = []
for _module in (_numpy, _math, _nn, _core, _crossentropy, _convolution, _pooling, _attention, linalg):
    for _name in _module.__all__:
        globals()[_name] = _accepting_symbolic_tensors(getattr(_module, _name))
        __all__.append(_name)
del _module, _name

from nanokeras.ops import image  # noqa: E402  (`keras.ops.image`: its functions are not in `keras.ops` itself)
