"""The `keras.ops` calls of a functional graph, as Keras 3's configs record them (and back).

Keras writes an op applied to symbolic tensors as a layer entry of its own:
`{"module": "keras.src.ops.numpy", "class_name": "Mean", "config": {"name": "mean",
"axis": 1, "keepdims": true}, "inbound_nodes": [{"args": [<tensor>], "kwargs": {}}]}`;
e.g. `x + 1`, `x[:, 0]`, `keras.ops.mean(x, axis=1)`, or the `not_equal(ids, 0)` that
`Embedding(mask_zero=True)` adds to compute its mask. The call's arguments go in
`inbound_nodes`, the op's other parameters in `config`, split as Keras splits them
(`keras_op_classes.py`). Saving writes nanokeras's recorded ops that way; loading finds
the nanokeras op of the same name among the public `keras.ops` functions (nothing is
imported from the file's module names) and replays the call symbolically.
"""

import inspect

from nanokeras.saving import keras_op_classes
from nanokeras.tree import flatten

_ELSEWHERE = ("nn", "image", "linalg", "math", "core", "numpy")  # ops namespaces searched for a function


def is_keras_op(layer_config):
    module = layer_config.get("module")
    return isinstance(module, str) and module.startswith("keras.src.ops.")


def _functions():
    """{normalized name: function} of the public `keras.ops` functions, namespaces included."""
    from nanokeras import ops

    found = {}
    for namespace in _ELSEWHERE:
        module = getattr(ops, namespace, None)
        for name in getattr(module, "__all__", ()):
            found.setdefault(keras_op_classes._normalized(name), getattr(module, name))
    for name in ops.__all__:
        found[keras_op_classes._normalized(name)] = getattr(ops, name)
    return found


def op_from_config(layer_config):
    """A callable standing for the op node of `layer_config`, or a ValueError for an unknown op."""
    class_name = layer_config.get("class_name")
    key = keras_op_classes.function_name(class_name) if isinstance(class_name, str) else None
    function = _functions().get(key)
    if function is None:
        raise ValueError(
            f"The model's graph applies the Keras op {class_name!r} ({layer_config.get('module')}), which "
            "nanokeras does not have."
        )
    config = dict(layer_config.get("config") or {})
    op_name = config.pop("name", None)
    known = keras_op_classes.keras_class(function.__name__)
    return OpNode(function, config, op_name, known[2] if known else ())


class OpNode:
    """Replays one recorded op call on symbolic tensors; keeps the graph nodes it makes."""

    def __init__(self, function, arguments, name, call_parameters=()):
        self.function = function
        self.arguments = arguments
        self.name = name
        self.call_parameters = call_parameters
        self._inbound_nodes = []

    def __call__(self, *args, **kwargs):
        outputs = _call(self.function, self.call_parameters, args, {**self.arguments, **kwargs})
        operation = flatten(outputs)[0]._keras_history[0]
        if self.name:
            # The file's name, not a fresh automatic one: that could be taken by a layer of the
            # file (Keras names `ops.concatenate` "concatenate_1" beside a layer "concatenate").
            operation.name = self.name
        self._inbound_nodes.extend(operation._inbound_nodes)
        return outputs


def _call(function, call_parameters, args, keywords):
    """`function` called with the file's call arguments `args` (in `call_parameters` order)
    and the rest by name, whatever the order of the nanokeras function's own parameters."""
    if not call_parameters:
        return function(*args, **keywords)
    named = [p for p in call_parameters if not p.endswith("*")]
    values = dict(keywords)
    values.update(zip(named, args))
    rest = list(args[len(named):])
    if keras_op_classes._normalized(function.__name__) == "getitem" and isinstance(values.get("key"), list) and any(
            k is None or k is Ellipsis or isinstance(k, slice) for k in values["key"]):
        values["key"] = tuple(values["key"])  # `x[:, 0]`: JSON turned the index tuple into a list
    parameters = list(inspect.signature(function).parameters.values())
    star = next((i for i, p in enumerate(parameters) if p.kind == p.VAR_POSITIONAL), None)
    positional = []
    for i, parameter in enumerate(parameters):
        if star is not None and i < star or parameter.kind == parameter.POSITIONAL_ONLY:
            if parameter.name not in values:
                break
            positional.append(values.pop(parameter.name))  # before `*args`, or positional-only
        elif i == star:
            positional.extend(rest)
    return function(*positional, **values)


# ------------------------------------------------------------------ saving
# Parameters of nanokeras functions that Keras's op classes lack: saved only at their default.
_OURS_ONLY = {"amax": ("initial",), "amin": ("initial",)}


def op_config(operation, node):
    """`(layer entry without inbound_nodes, call args, call kwargs)` of a recorded op, as Keras
    writes it; a NotImplementedError naming the op when Keras has no class for it."""
    function = operation.function
    name = getattr(function, "__name__", "")
    known = keras_op_classes.keras_class(name)
    if known is None or not _is_public_op(function):
        raise NotImplementedError(
            f"The operation {operation.name!r} ({name}) on symbolic tensors has no Keras op class, so the model "
            "cannot be saved in Keras's format; wrap it in a registered custom layer to save the model."
        )
    module, class_name, call_parameters = known
    signature = inspect.signature(function)
    try:
        bound = signature.bind(*node.args, **node.kwargs)
    except TypeError as error:
        raise NotImplementedError(f"The operation {operation.name!r} cannot be saved: {error}.") from None
    defaults = {p.name: p.default for p in signature.parameters.values()}
    given = dict(bound.arguments)
    args = []
    for parameter in call_parameters:
        if parameter.endswith("*"):
            args.extend(given.pop(parameter[:-1], ()))
        elif parameter in given:
            args.append(given.pop(parameter))
        elif parameter in defaults and defaults[parameter] is not inspect.Parameter.empty:
            args.append(defaults[parameter])
    config = {"name": operation.name}
    for parameter in signature.parameters.values():
        if parameter.name in call_parameters or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        value = given.get(parameter.name, parameter.default)
        if parameter.name in _OURS_ONLY.get(name, ()):
            if value is not parameter.default:
                raise NotImplementedError(
                    f"The operation {operation.name!r} uses `{parameter.name}`, which Keras's {class_name} does "
                    "not have; the model cannot be saved in Keras's format.")
            continue
        if value is inspect.Parameter.empty:
            continue
        config[parameter.name] = value
    entry = {"module": module, "class_name": class_name, "config": config, "registered_name": class_name}
    return entry, args, {}


def _is_public_op(function):
    return (getattr(function, "__module__", "") or "").startswith("nanokeras.ops")
