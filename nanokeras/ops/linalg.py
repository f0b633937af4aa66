"""`keras.ops.linalg`: linear algebra on matrices and batches of matrices.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.linalg.inv(np.array([[2.0, 0.0], [0.0, 4.0]])).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
"""

from nanokeras.ops import jvp as _jvp_module
from nanokeras.ops import linalg_decompositions as _decompositions
from nanokeras.ops import linalg_solvers as _solvers
from nanokeras.ops.math import norm
from nanokeras.ops.op_builders import gather as _gather

from nanokeras.ops.symbolic_dispatch import accepting_symbolic_tensors as _accepting_symbolic_tensors

__all__ = ["norm"]
_gather(globals(), [_solvers, _decompositions, _jvp_module])
# `keras.ops.linalg.inv(keras.Input(...))` adds a graph step, as `keras.ops.inv` does.
for _name in __all__:
    globals()[_name] = _accepting_symbolic_tensors(globals()[_name])
del _name
