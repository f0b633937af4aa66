"""The `keras.ops` calls a Keras 3 functional config records as graph nodes (e.g. the masks).

Keras writes the ops a functional graph applies to symbolic tensors as layers of
their own: `{"module": "keras.src.ops.numpy", "class_name": "NotEqual", ...}`,
e.g. the `not_equal(ids, 0)` that `Embedding(mask_zero=True)` adds to compute
its mask, passed on as the `mask=` of the next layer. Loading one finds the
nanokeras op of the same name among the public `keras.ops` functions (nothing
is imported from the file's module names) and replays the call symbolically.
"""

import re

from nanokeras.tree import flatten

# Keras op classes whose snake-case name is not the function's.
_RENAMED = {"GetItem": "getitem"}


def _function_name(class_name):
    return _RENAMED.get(class_name) or re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()


def is_keras_op(layer_config):
    module = layer_config.get("module")
    return isinstance(module, str) and module.startswith("keras.src.ops.")


def op_from_config(layer_config):
    """A callable standing for the op node of `layer_config`, or a ValueError for an unknown op."""
    from nanokeras import ops

    class_name = layer_config.get("class_name")
    name = _function_name(class_name) if isinstance(class_name, str) else None
    if name not in ops.__all__:
        raise ValueError(
            f"The model's graph applies the Keras op {class_name!r} ({layer_config.get('module')}), which "
            "nanokeras does not have."
        )
    config = dict(layer_config.get("config") or {})
    op_name = config.pop("name", None)
    return OpNode(getattr(ops, name), config, op_name)


class OpNode:
    """Replays one recorded op call on symbolic tensors; keeps the graph nodes it makes."""

    def __init__(self, function, arguments, name):
        self.function = function
        self.arguments = arguments
        self.name = name
        self._inbound_nodes = []

    def __call__(self, *args, **kwargs):
        outputs = self.function(*args, **{**self.arguments, **kwargs})
        operation = flatten(outputs)[0]._keras_history[0]
        self._inbound_nodes.extend(operation._inbound_nodes)
        return outputs
