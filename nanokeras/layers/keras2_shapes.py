"""Keras 2's `layer.input_shape` and `layer.output_shape` (Keras 3 kept them on models only).

Tutorials print `layer.output_shape` for each of `model.layers`. Keras 2 read the shapes off the
layer's calls on symbolic tensors: one shape tuple for one tensor, a list for several (an
`InputLayer` gave a list of one), and an error when calls disagree or there was none. Here the
same, with a Keras 2 note naming Keras 3's `layer.output.shape`.

The attributes are non-data descriptors, so a layer that sets `self.output_shape = ...` itself
(a custom layer, say) keeps its own value, and models keep their own properties.
"""

from nanokeras.utils import keras2_notes


def _shape(tensor):
    return tuple(tensor.shape)


def _node_shapes(node, which):
    if node.is_input:  # Keras 2's InputLayer reported a list of one shape
        return [_shape(t) for t in node.outputs]
    tensors = node.outputs if which == "output" else node.input_tensors
    shapes = [_shape(t) for t in tensors]
    return shapes[0] if len(shapes) == 1 else shapes


class Keras2Shape:
    """`layer.input_shape` or `layer.output_shape`, as Keras 2 computed it."""

    def __init__(self, which):
        self.which = which

    def __get__(self, layer, owner=None):
        if layer is None:
            return self
        which = self.which
        keras2_notes.note("layer_shapes", used=f"`layer.{which}_shape`", instead=f"`layer.{which}.shape`",
                          error=keras2_notes.Keras3StrictAttributeError)
        nodes = layer.__dict__.get("_inbound_nodes") or []
        if not nodes:
            raise AttributeError(f"The layer {layer.name!r} has never been called and thus has no defined "
                                 f"{which} shape.")
        shapes = [_node_shapes(node, which) for node in nodes]
        if any(shape != shapes[0] for shape in shapes[1:]):
            raise AttributeError(f"The layer {layer.name!r} has multiple inbound nodes, with different {which} "
                                 f"shapes ({shapes}), so it has no single {which} shape.")
        return shapes[0]
