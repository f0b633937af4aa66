"""`Node`: one call of an operation on symbolic tensors, the edge record of a functional graph.

Each time a layer (or a `keras.ops` function) is called on KerasTensors, the
operation appends a Node to its `_inbound_nodes`: the call's arguments (with the
KerasTensors in place), the input tensors and the output tensors. A layer called
twice has two nodes and one set of weights (a shared layer). A node with no
arguments is an input node: `keras.Input` makes one, and nothing flows into it.
"""

from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.tree import flatten, pack_sequence_as


class Node:
    """An operation's call on KerasTensors: `operation(*args, **kwargs) -> outputs`."""

    __slots__ = ("operation", "args", "kwargs", "input_tensors", "outputs", "_tensor_positions", "file_kwargs")

    def __init__(self, operation, args=(), kwargs=None, outputs=()):
        self.operation = operation
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        # Keyword arguments a loaded file recorded for this call that the layer's `call` does not
        # take (Keras writes `mask=None` or `training=True` where its own `call` has them): they
        # are not passed when the model runs, only written back when it is saved.
        self.file_kwargs = {}
        leaves = flatten((self.args, self.kwargs))
        self._tensor_positions = [i for i, x in enumerate(leaves) if isinstance(x, KerasTensor)]
        self.input_tensors = [leaves[i] for i in self._tensor_positions]
        self.outputs = list(outputs)

    @property
    def is_input(self):
        """True for the node of a `keras.Input`: it has no arguments."""
        return not self.args and not self.kwargs

    @property
    def output_tensors(self):
        return self.outputs

    @property
    def parent_nodes(self):
        """The nodes that produced this node's inputs."""
        parents = []
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is not None:
                parents.append(inbound_node(history[0], history[1]))
        return parents

    def fill_in(self, values):
        """`(args, kwargs)` of the call with each input KerasTensor replaced by `values[id(tensor)]`."""
        leaves = flatten((self.args, self.kwargs))
        for i in self._tensor_positions:
            leaves[i] = values[id(leaves[i])]
        return pack_sequence_as((self.args, self.kwargs), leaves)

    def __repr__(self):
        return f"<Node operation={getattr(self.operation, 'name', self.operation)}, id={id(self)}>"


def inbound_node(operation, index):
    """The `index`-th call of `operation` on symbolic inputs."""
    nodes = operation._inbound_nodes
    if index >= len(nodes):
        raise ValueError(
            f"Layer {operation.name!r} has no node {index}: it was called {len(nodes)} time(s) on symbolic inputs."
        )
    return nodes[index]
