"""Letting a `keras.ops` function take the symbolic tensors of the functional API.

`accepting_symbolic_tensors(function)` returns `function` unchanged for arrays,
and records a graph step when an argument is a KerasTensor (`keras.Input(...)`).
KerasTensors belong to the graph package, above this one; they are recognised
by the `_is_keras_tensor` mark their class carries, never by an import.
"""

import functools

import numpy as np

from nanokeras.tree import flatten

_ndarray = np.ndarray


def symbolic_leaf(args, kwargs):
    """The first symbolic tensor (KerasTensor) among the arguments, or None."""
    for arg in args:
        kind = type(arg)
        if kind is _ndarray:
            continue
        if getattr(kind, "_is_keras_tensor", False):
            return arg
        if kind in (list, tuple):
            for leaf in flatten(arg):
                if getattr(type(leaf), "_is_keras_tensor", False):
                    return leaf
    if kwargs:
        for leaf in flatten(kwargs):
            if getattr(type(leaf), "_is_keras_tensor", False):
                return leaf
    return None


def accepting_symbolic_tensors(function):
    """`function`, or a graph step when any argument is a KerasTensor (functional API)."""

    @functools.wraps(function)
    def op(*args, **kwargs):
        symbolic = symbolic_leaf(args, kwargs)
        if symbolic is not None:
            return type(symbolic)._apply_symbolic(function, args, kwargs)
        return function(*args, **kwargs)

    return op
