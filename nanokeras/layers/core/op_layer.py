"""Recording `keras.ops` calls and Python operators on KerasTensors as graph nodes.

`x + y`, `x[:, 0]` or `keras.ops.mean(x, axis=1)` on symbolic tensors become a
weightless `_OpLayer` wrapping the op; a functional model replays it on data.
Like Keras's operations they appear in `model.summary()` (as `add (Add)`,
`get_item (GetItem)`, ...) but not in `model.layers`.
"""

from nanokeras.backend.keras_tensor import KerasTensor, flatten
from nanokeras.layers.layer import Layer, _infer_by_running

_CLASSES = {}


class _OpLayer(Layer):
    """A layer that applies one op function; its output shape comes from running it on zeros."""

    _is_symbolic_op = True

    def __init__(self, function, name=None):
        super().__init__(name=name)
        self.function = function
        self.built = True

    def call(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def __call__(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        return _infer_by_running(self.function, args, kwargs)

    def get_config(self):
        raise NotImplementedError(
            f"The operation {self.name!r} on symbolic tensors cannot be serialized by nanokeras yet; "
            "wrap it in a registered custom layer to save the model."
        )


def _class_for(name):
    """A `_OpLayer` subclass named after the op (`add` -> `Add`), as Keras shows op classes."""
    class_name = "".join(part.capitalize() for part in name.split("_"))
    cls = _CLASSES.get(class_name)
    if cls is None:
        cls = type(class_name, (_OpLayer,), {"__module__": __name__})
        _CLASSES[class_name] = cls
    return cls


def symbolic_op(function, args, kwargs, name=None):
    """Applies `function(*args, **kwargs)` symbolically: records a node, returns KerasTensors.

    Example:
        >>> import nanokeras as keras
        >>> x = keras.Input((3,))
        >>> (x[:, :2] * 2).shape
        (None, 2)
    """
    from nanokeras.backend.keras_tensor import KerasHistory, map_structure
    from nanokeras.backend.node import Node, inbound_nodes

    name = name or getattr(function, "__name__", "operation")
    layer = _class_for(name)(function)  # auto-named `add`, `add_1`, ... like Keras's operations
    try:
        specs = layer.compute_output_spec(*args, **kwargs)
    except (ValueError, TypeError, IndexError) as error:
        described = [t for t in flatten((args, kwargs)) if isinstance(t, KerasTensor)]
        shapes = ", ".join(str(t.shape) for t in described)
        raise ValueError(f"Operation {name!r} cannot be applied to symbolic inputs of shapes {shapes}: {error}") from None
    outputs = map_structure(lambda t: KerasTensor(t.shape, dtype=t.dtype), specs)
    node = Node(layer, args, kwargs, outputs=flatten(outputs))
    inbound_nodes(layer).append(node)
    for i, tensor in enumerate(node.outputs):
        tensor._keras_history = KerasHistory(layer, 0, i)
    return outputs

