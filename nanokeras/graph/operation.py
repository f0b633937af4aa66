"""`Operation`: anything that can be called on symbolic tensors and recorded in a graph.

Layers are operations, and so are `keras.ops` functions applied to KerasTensors.
Calling one on KerasTensors computes the output shapes, wraps them in new
KerasTensors and appends a `Node` to the operation's `_inbound_nodes`; each
output remembers in `_keras_history` which operation, call and position made it.
A functional `keras.Model(inputs, outputs)` walks those records back.
"""

import numpy as np

from nanokeras.graph.keras_tensor import KerasHistory, KerasTensor
from nanokeras.graph.node import Node
from nanokeras.ops.tensor import value_of
from nanokeras.tree import flatten, map_structure, pack_sequence_as


class Operation:
    """The graph-facing part of layers and symbolic ops: a name and the calls made on KerasTensors."""

    def __init__(self, name=None):
        object.__setattr__(self, "_inbound_nodes", [])
        self.name = name

    def _record_symbolic_call(self, args, kwargs, specs):
        """New KerasTensors shaped like `specs`, recorded as the outputs of a call on `args`/`kwargs`."""
        outputs = map_structure(lambda t: KerasTensor(t.shape, dtype=t.dtype), specs)
        node = Node(self, args, kwargs, outputs=flatten(outputs))
        index = len(self._inbound_nodes)
        self._inbound_nodes.append(node)
        for i, tensor in enumerate(node.outputs):
            tensor._keras_history = KerasHistory(self, index, i)
        return outputs


def infer_output_spec(fn, args, kwargs):
    """Output KerasTensors of `fn` on zeros shaped like the KerasTensors in `args`/`kwargs`.

    Unknown dimensions are tried as 1 and as 2; output dimensions that change are unknown.
    """
    results = []
    unknown = any(d is None for t in flatten((args, kwargs)) if isinstance(t, KerasTensor) for d in t.shape)
    for fill in (1, 2):
        def concrete(x):
            if isinstance(x, KerasTensor):
                shape = tuple(fill if d is None else d for d in x.shape)
                if x.dtype == "string":  # text inputs (Keras's "string" dtype): empty strings
                    return np.full(shape, "", dtype=str)
                return np.zeros(shape, dtype=x.dtype)
            return x

        c_args, c_kwargs = map_structure(concrete, (tuple(args), dict(kwargs)))
        with np.errstate(all="ignore"):
            out = fn(*c_args, **c_kwargs)
        results.append(map_structure(lambda y: np.asarray(value_of(y)), out))
        if not unknown:
            break
    first, last = flatten(results[0]), flatten(results[-1])
    specs = []
    for a, b in zip(first, last):
        shape = tuple(d if (a.ndim == b.ndim and d == e) else None for d, e in zip(a.shape, b.shape))
        specs.append(KerasTensor(shape, dtype=a.dtype))
    return pack_sequence_as(results[0], specs)
