"""`keras.ops`: differentiable tensor operations on numpy arrays.

Outside a `GradientTape` they return numpy arrays and cost what numpy costs;
inside one they record themselves so gradients can be computed. Given the
symbolic tensors of the functional API (`keras.Input(...)`), they add a step to
the model's graph instead, as in Keras:

    x = keras.Input((3,))
    y = keras.ops.exp(x) * 2          # a KerasTensor of shape (None, 3)
"""

import types as _types

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
        if _name in __all__:  # e.g. `conv`, in `keras.ops.nn` and in its own module
            continue
        globals()[_name] = _accepting_symbolic_tensors(getattr(_module, _name))
        __all__.append(_name)
del _module, _name

from nanokeras.ops import image  # noqa: E402  (`keras.ops.image`: its functions are not in `keras.ops` itself)


def _public_namespace(module):
    """`keras.ops.nn` (numpy, math, core) as users see it: the module's public functions taking
    symbolic tensors too, as `keras.ops.*` do. The engine keeps importing the plain module."""
    namespace = _types.ModuleType(module.__name__, module.__doc__)
    namespace.__all__ = list(module.__all__)
    for name in module.__all__:
        value = globals().get(name)
        if value is None or getattr(value, "__wrapped__", None) is not getattr(module, name):
            value = _accepting_symbolic_tensors(getattr(module, name))
        setattr(namespace, name, value)

    def other_names(name):  # the module's other names, unchanged (not its file or import spec)
        if name.startswith("__"):
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
        return getattr(module, name)

    namespace.__getattr__ = other_names
    namespace.__dir__ = lambda: list(module.__all__)
    return namespace


# Set after the modules were imported, so the package attributes stay these namespaces (an import
# sets a package attribute only when it first loads the module).
nn, numpy, math, core = (_public_namespace(m) for m in (_nn, _numpy, _math, _core))

# `from keras.ops import *` also gives Keras's namespaces (as Keras's does), never the engine's modules.
__all__ += ["image", "linalg", "nn", "numpy"]
