"""Recording `keras.ops` calls and Python operators on KerasTensors as graph nodes.

`x + y`, `x[:, 0]` or `keras.ops.mean(x, axis=1)` on symbolic tensors become a
weightless `SymbolicOperation` wrapping the op function; a functional model
replays it on data. Like Keras's operations they appear in `model.summary()`
(as `add (Add)`, `get_item (GetItem)`, ...) but not in `model.layers`.
"""

from nanokeras.backend import naming
from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.graph.operation import Operation, infer_output_spec
from nanokeras.tree import flatten

_CLASSES = {}


class SymbolicOperation(Operation):
    """One op function applied in a graph; its output shapes come from running it on zeros."""

    _is_symbolic_op = True
    built = True
    trainable = False
    weights = trainable_weights = non_trainable_weights = ()

    def __init__(self, function, name=None):
        super().__init__(name=name or naming.auto_name(type(self).__name__))
        self.function = function

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def count_params(self):
        return 0

    def compute_output_spec(self, *args, **kwargs):
        return infer_output_spec(self.function, args, kwargs)

    def get_config(self):
        raise NotImplementedError(
            f"The operation {self.name!r} on symbolic tensors cannot be serialized by nanokeras yet; "
            "wrap it in a registered custom layer to save the model."
        )

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _class_for(name):
    """A `SymbolicOperation` subclass named after the op (`add` -> `Add`), as Keras shows op classes."""
    class_name = "".join(part.capitalize() for part in name.split("_"))
    cls = _CLASSES.get(class_name)
    if cls is None:
        cls = type(class_name, (SymbolicOperation,), {"__module__": __name__})
        _CLASSES[class_name] = cls
    return cls


# Functions Keras runs through another op: its `ops.abs` calls `ops.absolute`, so the node is
# named "absolute" and shown as an Absolute operation (in summaries and files alike).
_RECORDED_AS = {"abs": "absolute"}


def symbolic_op(function, args, kwargs, name=None):
    """Applies `function(*args, **kwargs)` symbolically: records a node, returns KerasTensors.

    Example:
        >>> import nanokeras as keras
        >>> x = keras.Input((3,))
        >>> (x[:, :2] * 2).shape
        (None, 2)
    """
    name = name or getattr(function, "__name__", "operation")
    name = _RECORDED_AS.get(name, name)
    operation = _class_for(name)(function)  # auto-named `add`, `add_1`, ... like Keras's operations
    try:
        specs = operation.compute_output_spec(*args, **kwargs)
    except (ValueError, TypeError, IndexError) as error:
        described = [t for t in flatten((args, kwargs)) if isinstance(t, KerasTensor)]
        shapes = ", ".join(str(t.shape) for t in described)
        raise ValueError(f"Operation {name!r} cannot be applied to symbolic inputs of shapes {shapes}: {error}") from None
    return operation._record_symbolic_call(args, kwargs, specs)
