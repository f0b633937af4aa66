"""`Operation`: anything that can be called on symbolic tensors and recorded in a graph.

Layers are operations, and so are `keras.ops` functions applied to KerasTensors.
Calling one on KerasTensors computes the output shapes, wraps them in new
KerasTensors and appends a `Node` to the operation's `_inbound_nodes`; each
output remembers in `_keras_history` which operation, call and position made it.
A functional `keras.Model(inputs, outputs)` walks those records back.
"""

import numpy as np

from nanokeras.backend.state_scopes import SymbolicScope
from nanokeras.graph.keras_tensor import KerasHistory, KerasTensor
from nanokeras.graph.node import Node
from nanokeras.ops.stateless_scope import StatelessScope
from nanokeras.ops.tensor import value_of
from nanokeras.tree import flatten, map_structure, pack_sequence_as


class Operation:
    """The graph-facing part of layers and symbolic ops: a name and the calls made on KerasTensors.

    Subclass it (as `keras.Operation`) to define an op: write `call`, and optionally
    `compute_output_spec` (by default the shapes come from running `call` on zeros).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> class Double(keras.Operation):
        ...     def call(self, x):
        ...         return keras.ops.multiply(x, 2.0)
        >>> Double()(np.ones(2, "float32")).tolist()
        [2.0, 2.0]
        >>> Double()(keras.Input((3,))).shape
        (None, 3)
    """

    # What a functional model reads of the operations in its graph (layers have their own): an
    # operation is a weightless step, not a layer.
    _is_symbolic_op = True
    built = True
    trainable = False
    weights = trainable_weights = non_trainable_weights = ()

    def __init__(self, name=None):
        object.__setattr__(self, "_inbound_nodes", [])
        if name is None:
            from nanokeras.backend import naming

            name = naming.auto_name(type(self).__name__)
        self.name = name

    def __call__(self, *args, **kwargs):
        """`call` on data; on KerasTensors, a graph node whose outputs `compute_output_spec` shapes."""
        if any(isinstance(t, KerasTensor) for t in flatten((args, kwargs))):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define `call`.")

    def symbolic_call(self, *args, **kwargs):
        """Records this call on KerasTensors as a graph node; returns its output KerasTensors."""
        return self._record_symbolic_call(args, kwargs, self.compute_output_spec(*args, **kwargs))

    def compute_output_spec(self, *args, **kwargs):
        """KerasTensors shaped like the outputs (by default from running `call` on zeros)."""
        return infer_output_spec(self.call, args, kwargs)

    def count_params(self):
        return 0

    def get_config(self):
        raise NotImplementedError(
            f"The operation {self.name!r} ({type(self).__name__}) cannot be saved by nanokeras; wrap it in a "
            "registered custom layer to save the model."
        )

    def _record_symbolic_call(self, args, kwargs, specs):
        """New KerasTensors shaped like `specs`, recorded as the outputs of a call on `args`/`kwargs`."""
        # A spec that is a KerasTensor lends its name, as Keras uses the spec itself as the output
        # (so the first unnamed output is `keras_tensor`, the next `keras_tensor_1`, as there).
        outputs = map_structure(
            lambda t: KerasTensor(t.shape, dtype=t.dtype, name=t.name if isinstance(t, KerasTensor) else None), specs)
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
        # As Keras's compute_output_spec: a trial call changes no variable and adds no loss.
        with np.errstate(all="ignore"), SymbolicScope(), StatelessScope():
            out = fn(*c_args, **c_kwargs)
        if out is None:  # a `call` that returns nothing (a forgotten `return`): no output, as in Keras
            return None
        results.append(map_structure(lambda y: np.asarray(value_of(y)), out))
        if not unknown:
            break
    first, last = flatten(results[0]), flatten(results[-1])
    specs = []
    for a, b in zip(first, last):
        shape = tuple(d if (a.ndim == b.ndim and d == e) else None for d, e in zip(a.shape, b.shape))
        specs.append(KerasTensor(shape, dtype=a.dtype))
    return pack_sequence_as(results[0], specs)
