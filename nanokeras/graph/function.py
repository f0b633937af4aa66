"""`keras.Function`: a callable made of the graph between symbolic inputs and outputs.

It is the functional API without the model around it: no weights of its own, no
training, just "run the recorded calls on these values". Calling it on data runs
each recorded operation once, in an order where every input is ready.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> x = keras.Input((2,))
    >>> y = keras.ops.exp(x) * 2.0
    >>> double_exp = keras.Function(x, y)
    >>> double_exp(np.zeros((1, 2), dtype="float32"))
    array([[2., 2.]], dtype=float32)
"""

from nanokeras.backend import naming
from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.graph.node import inbound_node
from nanokeras.graph.operation import Operation
from nanokeras.tree import flatten, pack_sequence_as


class Function(Operation):
    """Runs the operations recorded between `inputs` and `outputs` (KerasTensors).

    Args:
        inputs: a KerasTensor (e.g. from `keras.Input`), or a list/tuple/dict of them.
        outputs: KerasTensors computed from `inputs` (one, or a list/tuple/dict).
        name: the function's name.

    Calling it takes values structured as `inputs` and returns values structured as
    `outputs`; on KerasTensors it records the same operations again (a new graph).
    """

    def __init__(self, inputs, outputs, name=None):
        super().__init__(name=name or naming.auto_name("function"))
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._inputs = flatten(inputs)
        self._outputs = flatten(outputs)
        for argument, tensors in (("inputs", self._inputs), ("outputs", self._outputs)):
            if not tensors:
                raise ValueError(f"keras.Function: `{argument}` is empty; pass KerasTensors.")
            for tensor in tensors:
                if not isinstance(tensor, KerasTensor):
                    raise TypeError(
                        f"keras.Function: every element of `{argument}` must be a KerasTensor, "
                        f"got {type(tensor).__name__}: {tensor!r:.80}."
                    )
        self._nodes = _ordered_nodes(self._inputs, self._outputs)

    @property
    def inputs(self):
        return self._inputs

    @property
    def outputs(self):
        return self._outputs

    @property
    def operations(self):
        """The operations (layers, recorded ops) the function runs, each once, in running order."""
        seen, result = set(), []
        for node in self._nodes:
            if id(node.operation) not in seen:
                seen.add(id(node.operation))
                result.append(node.operation)
        return result

    def __call__(self, inputs):
        return self.call(inputs)

    def call(self, inputs):
        """Runs the graph on `inputs` (structured as the function's inputs)."""
        flat = _flatten_like(self._inputs_struct, inputs, self.name)
        values = {id(tensor): value for tensor, value in zip(self._inputs, flat)}
        for node in self._nodes:
            args, kwargs = node.fill_in(values)
            out = node.operation(*args, **kwargs)
            for tensor, value in zip(node.outputs, flatten(out)):
                values[id(tensor)] = value
        return pack_sequence_as(self._outputs_struct, [values[id(t)] for t in self._outputs])

    def compute_output_spec(self, inputs):
        """KerasTensors shaped like the outputs."""
        return pack_sequence_as(self._outputs_struct, [KerasTensor(t.shape, t.dtype) for t in self._outputs])


def _flatten_like(structure, inputs, name):
    if isinstance(structure, dict):
        if not isinstance(inputs, dict) or set(inputs) != set(structure):
            given = sorted(inputs) if isinstance(inputs, dict) else type(inputs).__name__
            raise ValueError(f"Function {name!r} takes a dict with keys {sorted(structure)}, got {given}.")
        return flatten({key: inputs[key] for key in structure})
    if isinstance(structure, (list, tuple)):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != len(structure):
            count = len(inputs) if isinstance(inputs, (list, tuple)) else "a single value"
            raise ValueError(f"Function {name!r} takes {len(structure)} inputs, got {count}.")
        return flatten(list(inputs))
    return [inputs]


def _ordered_nodes(inputs, outputs):
    """The non-input nodes between `inputs` and `outputs`, each after the nodes it reads from."""
    input_ids = {id(t) for t in inputs}
    ordered, finished, in_progress = [], set(), set()

    def visit(tensor):
        if id(tensor) in input_ids:
            return
        history = tensor._keras_history
        if history is None:
            raise ValueError(f"keras.Function: {tensor!r} was not created by `keras.Input`, a layer or an op.")
        node = inbound_node(history[0], history[1])
        if id(node) in finished:
            return
        if node.is_input:
            raise ValueError(
                f"Graph disconnected: the outputs need input {tensor.name!r}, which is not among `inputs`."
            )
        if id(node) in in_progress:
            raise ValueError(f"keras.Function: {tensor!r} is part of a cycle.")
        in_progress.add(id(node))
        for parent in node.input_tensors:
            visit(parent)
        in_progress.discard(id(node))
        finished.add(id(node))
        ordered.append(node)

    for tensor in outputs:
        visit(tensor)
    return ordered
