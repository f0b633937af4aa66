"""One contiguous array for many variables, each variable a view into it.

An optimizer step does the same arithmetic on every element of every weight.
With the weights (and each kind of slot: momentums, velocities, ...) laid out in
one contiguous array, a step is a handful of numpy calls over all of them at
once instead of a handful per weight; each element gets exactly the same
operations, so the numbers are the same.

`Variable`s keep working as before: their `.value` becomes a view of the big
array, so `assign`, `numpy()`, saving and loading all see and change it.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> a, b = keras.Variable(np.ones((2, 2))), keras.Variable(np.zeros(3))
    >>> flat = pack([a, b])
    >>> flat.value[:] += 1               # one call updates both variables
    >>> a.numpy().tolist(), b.numpy().tolist()
    ([[2.0, 2.0], [2.0, 2.0]], [1.0, 1.0, 1.0])
"""

import numpy as np


class FlatVariable:
    """Stands for all the packed variables at once (what optimizer kernels read: `value`)."""

    __slots__ = ("value", "name", "path", "variables")

    def __init__(self, value, variables):
        self.value = value
        self.variables = variables
        self.name = self.path = "flat"

    @property
    def dtype(self):
        return self.value.dtype

    @property
    def shape(self):
        return self.value.shape


def can_pack(variables):
    """True when the variables can share one array: all present, one float dtype."""
    variables = list(variables)
    if not variables or any(v is None for v in variables):
        return False
    dtype = variables[0].value.dtype
    return dtype.kind == "f" and all(v.value.dtype == dtype for v in variables)


def pack(variables):
    """Copies `variables` into one new array and makes each `.value` a view of it."""
    variables = list(variables)
    total = sum(v.value.size for v in variables)
    flat = np.empty(total, dtype=variables[0].value.dtype)
    offset = 0
    for v in variables:
        size = v.value.size
        flat[offset:offset + size] = v.value.reshape(-1)
        v.value = flat[offset:offset + size].reshape(v.value.shape)
        offset += size
    return FlatVariable(flat, variables)


def gather(arrays, out):
    """Writes `arrays` (one per packed variable, in order) one after another into `out`."""
    return np.concatenate([a.reshape(-1) for a in arrays], out=out)
