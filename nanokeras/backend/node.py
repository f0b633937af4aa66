"""`Node`: one call of a layer on symbolic tensors, the edge record of a functional graph.

Each time a layer is called on KerasTensors it appends a Node to its
`_inbound_nodes`: the call's arguments (with the KerasTensors in place), the
input tensors and the output tensors. A layer called twice has two nodes and
one set of weights (a shared layer).
"""

from nanokeras.backend.keras_tensor import KerasTensor, flatten, pack_like


class Node:
    """A layer's call on KerasTensors: `operation(*args, **kwargs) -> outputs`."""

    __slots__ = ("operation", "args", "kwargs", "input_tensors", "outputs", "is_input", "_tensor_positions")

    def __init__(self, operation, args=(), kwargs=None, outputs=(), is_input=False):
        self.operation = operation
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        leaves = flatten((self.args, self.kwargs))
        self._tensor_positions = [i for i, x in enumerate(leaves) if isinstance(x, KerasTensor)]
        self.input_tensors = [leaves[i] for i in self._tensor_positions]
        self.outputs = list(outputs)
        self.is_input = is_input

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
        return pack_like((self.args, self.kwargs), leaves)

    def __repr__(self):
        return f"<Node operation={getattr(self.operation, 'name', self.operation)}, id={id(self)}>"


def inbound_nodes(layer):
    """`layer`'s nodes; an InputLayer gets its one input node on first use."""
    nodes = layer.__dict__.get("_inbound_nodes")
    if nodes is None:
        nodes = []
        object.__setattr__(layer, "_inbound_nodes", nodes)
    if not nodes:
        from nanokeras.layers.core.input_layer import InputLayer

        if isinstance(layer, InputLayer):
            nodes.append(Node(layer, outputs=[layer.output], is_input=True))
    return nodes


def inbound_node(layer, index):
    nodes = inbound_nodes(layer)
    if index >= len(nodes):
        raise ValueError(f"Layer {layer.name!r} has no node {index}: it was called {len(nodes)} time(s) on symbolic inputs.")
    return nodes[index]
