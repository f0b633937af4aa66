"""A functional model's config in Keras 3's format, and the model rebuilt from one.

Each layer is serialized with its `inbound_nodes`: the arguments of every call
that belongs to the model, with KerasTensors written as
`{"class_name": "__keras_tensor__", "config": {"shape", "dtype", "keras_history": [layer, node, tensor]}}`.
`input_layers`/`output_layers` name the model's inputs and outputs the same way.
Loading re-creates the layers and replays the calls in an order where every
input already exists.
"""

import collections
import inspect

from nanokeras.graph.filled_arguments import keras_fills_call_arguments
from nanokeras.saving import op_nodes
from nanokeras.tree import map_structure


def _is_functional(layer):
    # A functional model keeps its graph; its first node links its own inputs to outputs.
    return "_nodes_by_depth" in vars(layer) and "_operations" in vars(layer)


def _is_keras_tensor(value):
    return hasattr(value, "_keras_history") and hasattr(value, "shape") and hasattr(value, "dtype")


def _nodes(layer):
    """The calls recorded on `layer` (an input layer records its own at construction)."""
    return getattr(layer, "_inbound_nodes", None) or []


def functional_config(model):
    from nanokeras.saving.serialization_lib import serialize_keras_object

    in_model = {id(node) for nodes in model._nodes_by_depth.values() for node in nodes}
    reindex = {}  # each call's position among the calls of its layer in this model
    for op in model._operations:
        kept = 0
        for index, node in enumerate(_nodes(op)):
            if id(node) in in_model:
                reindex[(id(op), index)] = kept
                kept += 1

    def tensor_history(tensor):
        op, index, tensor_index = tensor._keras_history
        return [op.name, reindex[(id(op), index)], tensor_index]

    def endpoint_history(tensor):
        # Keras 3 counts one more node of a nested functional model in `input_layers` and
        # `output_layers` (its reader takes one off there), not in the calls' arguments.
        op, index, tensor_index = tensor._keras_history
        return [op.name, reindex[(id(op), index)] + int(_is_functional(op)), tensor_index]

    def serialize_argument(value):
        if _is_keras_tensor(value):
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": list(value.shape), "dtype": value.dtype,
                               "keras_history": tensor_history(value)}}
        return serialize_keras_object(value)

    def serialize_call(args, kwargs):
        return {"args": [map_structure(serialize_argument, a) for a in args],
                "kwargs": {k: map_structure(serialize_argument, v) for k, v in kwargs.items()}}

    layers = []
    for op in model._operations:
        nodes = [node for node in _nodes(op) if id(node) in in_model and not node.is_input]
        if getattr(op, "_is_symbolic_op", False) and not hasattr(op, "function"):
            op.get_config()  # a user's `keras.Operation`: raises, saying what to write instead
        if getattr(op, "_is_symbolic_op", False):  # `x + 1`, `keras.ops.mean(x)`: written as Keras writes ops
            calls = [op_nodes.op_config(op, node) for node in nodes]
            layer_config = {**calls[0][0], "config": serialize_keras_object(calls[0][0]["config"])}
            layer_config["name"] = op.name
            layer_config["inbound_nodes"] = [serialize_call(args, kwargs) for _, args, kwargs in calls]
        else:
            layer_config = serialize_keras_object(op)
            layer_config["name"] = op.name
            layer_config["inbound_nodes"] = [
                serialize_call(node.args, {**_keras_filled_kwargs(op, node), **node.kwargs, **node.file_kwargs})
                for node in nodes]
        layers.append(layer_config)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": map_structure(endpoint_history, model._inputs_struct),
        "output_layers": map_structure(endpoint_history, model._outputs_struct),
    }


def _keras_filled_kwargs(layer, node):
    """The arguments Keras fills in, and so records, on a symbolic call made without them:
    `training` with the default of the layer's `call` where that is not None (False for `Dropout`
    and the recurrent layers), and `mask` where the layer's `call` takes it (None here: a mask of
    the graph is already among the call's arguments), on the calls `keras_fills_call_arguments` says.
    Written as Keras writes them, so a model's config reads as Keras's; a run overrides both."""
    if not node.args or not keras_fills_call_arguments(layer, node.args[0], node.args[1:], node.kwargs):
        return {}
    filled = {}
    default = getattr(layer, "_call_training_default", None)
    if getattr(layer, "_call_takes_training", False) and default is not None:
        filled["training"] = default
    if getattr(layer, "_call_takes_mask", False):
        filled["mask"] = None
    return filled


def _own_first_nodes(layer, layer_data, legacy):
    """How many of a nested model's calls the file counts that nanokeras does not record.

    A functional model's first node (its inputs to its outputs) is counted by Keras; so is a
    Keras 2 Sequential's when it was built with an input.
    """
    if _is_functional(layer):
        return 1
    if legacy and hasattr(layer, "add") and hasattr(layer, "pop"):
        inner = layer_data.get("config")
        inner = inner.get("layers") if isinstance(inner, dict) else inner
        first = inner[0] if isinstance(inner, list) and inner else {}
        first_config = first.get("config") if isinstance(first, dict) else None
        return int(first.get("class_name") == "InputLayer"
                   or (isinstance(first_config, dict) and first_config.get("batch_input_shape") is not None))
    return 0


def _argument_references(layers, name):
    """The node indices of `name` that the calls' arguments in a Keras 3 config refer to."""
    found = set()

    def walk(value):
        if isinstance(value, dict):
            history = (value.get("config") or {}).get("keras_history") if value.get("class_name") == "__keras_tensor__" else None
            if isinstance(history, list) and len(history) == 3:
                if history[0] == name:
                    found.add(history[1])
                return
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for layer_data in layers:
        if isinstance(layer_data, dict):
            walk(layer_data.get("inbound_nodes"))
    return found


class _NotYetCalled(LookupError):
    """An input comes from a call of `layer_name` that has not been replayed yet."""

    def __init__(self, layer_name):
        super().__init__(layer_name)
        self.layer_name = layer_name


def _takes_initial_state(layer):
    try:
        return "initial_state" in inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return False


def _call_arguments(node_data, get_tensor, revive, layer=None):
    """`(args, kwargs)` of one recorded call, in Keras 3's format or Keras 2's list format."""
    if isinstance(node_data, dict):
        args = [revive(a) for a in node_data.get("args") or []]
        kwargs = {k: revive(v) for k, v in (node_data.get("kwargs") or {}).items()}
        return args, kwargs
    if not isinstance(node_data, list):
        raise ValueError(f"Invalid call record in a functional config: {str(node_data)[:200]}.")
    tensors, kwargs = [], {}
    for entry in node_data:  # Keras 2: [[layer_name, node_index, tensor_index, kwargs], ...]
        if not isinstance(entry, list) or len(entry) not in (3, 4):
            raise ValueError(f"Invalid inbound tensor {str(entry)[:200]} in a Keras 2 functional config.")
        tensors.append(get_tensor(*entry[:3]))
        kwargs = entry[3] if len(entry) == 4 and isinstance(entry[3], dict) else kwargs
    kwargs = {key: _keras2_tensor_references(value, get_tensor) for key, value in kwargs.items()}
    if len(tensors) > 1 and "initial_state" not in kwargs and _takes_initial_state(layer):
        # Keras 2 recorded `rnn(x, initial_state=[h, c])` as a call on `[x, h, c]`.
        return [tensors[0]], dict(kwargs, initial_state=tensors[1:])
    return [tensors[0] if len(tensors) == 1 else tensors], kwargs


# Call arguments Keras records with a constant value that nanokeras's `call` of the same layer
# may not take (so they are dropped from the call): kept on the node, so the loaded model's
# config says what the file said.
_KEPT_CONSTANTS = {"mask": (type(None),), "training": (bool, type(None))}


def _keep_file_kwargs(layer, before, node_data):
    nodes = _nodes(layer)
    if len(nodes) != before + 1 or not isinstance(node_data, dict):
        return
    node = nodes[before]
    file_kwargs = node_data.get("kwargs") if isinstance(node_data.get("kwargs"), dict) else {}
    node.file_kwargs = {key: value for key, value in file_kwargs.items()
                        if key in _KEPT_CONSTANTS and key not in node.kwargs
                        and isinstance(value, _KEPT_CONSTANTS[key])}


def _keras2_tensor_references(value, get_tensor):
    """Keras 2 wrote a tensor passed by keyword (`MultiHeadAttention(...)(q, value=v)`) as
    `[layer_name, node_index, tensor_index]`: those become the tensors."""
    if isinstance(value, list):
        if (len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], int)
                and isinstance(value[2], int)):
            return get_tensor(*value)
        return [_keras2_tensor_references(item, get_tensor) for item in value]
    if isinstance(value, dict):
        return {key: _keras2_tensor_references(item, get_tensor) for key, item in value.items()}
    return value


def functional_from_config(cls, config, custom_objects=None):
    """Rebuilds a functional model: creates its layers, then replays their calls.

    Every call is replayed once its inputs exist, in time linear in the config's size:
    a call whose input comes from a call not replayed yet waits on that layer.
    """
    from nanokeras.saving.serialization_lib import deserialize_keras_object

    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise ValueError(f"A functional model config needs a 'layers' list; got {str(config)[:200]}.")
    created, pending, offsets, order = {}, {}, {}, []
    any_legacy = False
    for layer_data in config["layers"]:
        if not isinstance(layer_data, dict):
            raise ValueError(f"A functional model config lists {str(layer_data)[:200]}, which is not a layer config.")
        name = layer_data.get("name") or (layer_data.get("config") or {}).get("name")
        if not isinstance(name, str) or name in created:
            raise ValueError(f"Every layer of a functional config needs a unique name; got {name!r}.")
        nodes = layer_data.get("inbound_nodes") or []
        if not isinstance(nodes, list):
            raise ValueError(f"The 'inbound_nodes' of layer {name!r} must be a list, got {str(nodes)[:200]}.")
        layer_config = {k: v for k, v in layer_data.items() if k not in ("name", "inbound_nodes")}
        # As Keras: a layer with a build_config is built from it (a user's `build_from_config` runs)
        # before it is called on its inputs below.
        if op_nodes.is_keras_op(layer_config):
            created[name] = op_nodes.op_from_config(layer_config)
        else:
            created[name] = deserialize_keras_object(layer_config, custom_objects=custom_objects)
        legacy = any(isinstance(node, list) for node in nodes)
        any_legacy = any_legacy or legacy
        offsets[name] = _own_first_nodes(created[name], layer_config, legacy)
        if not legacy and _is_functional(created[name]):
            # Keras 3 counts a nested functional model's calls from 0 in arguments; nanokeras
            # files before 2026-12 counted its first call as 1 there (its last as len(nodes)).
            referenced = _argument_references(config["layers"], name)
            offsets[name] = int(len(nodes) in referenced and 0 not in referenced)
        pending[name] = collections.deque(nodes)
        order.append(name)

    def get_tensor(layer_name, node_index, tensor_index, endpoint=False):
        layer = created.get(layer_name) if isinstance(layer_name, str) else None
        if layer is None:
            raise ValueError(f"The functional config refers to an unknown layer {layer_name!r}.")
        if not isinstance(node_index, int) or not isinstance(tensor_index, int):
            raise ValueError(f"Invalid tensor reference {[layer_name, node_index, tensor_index]!r}.")
        if endpoint and not any_legacy:
            node_index -= int(_is_functional(layer))  # see `endpoint_history` in `functional_config`
        else:
            node_index -= offsets[layer_name]
        nodes = _nodes(layer)
        if node_index >= len(nodes):
            raise _NotYetCalled(layer_name)
        if node_index < 0 or not 0 <= tensor_index < len(nodes[node_index].outputs):
            raise ValueError(f"Invalid tensor reference {[layer_name, node_index, tensor_index]!r}.")
        return nodes[node_index].outputs[tensor_index]

    def revive(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            history = (value.get("config") or {}).get("keras_history")
            if not isinstance(history, list) or len(history) != 3:
                raise ValueError(f"Invalid KerasTensor reference {str(value)[:200]}.")
            return get_tensor(*history)
        if isinstance(value, dict) and "class_name" in value and "config" in value:
            return deserialize_keras_object(value, custom_objects=custom_objects)
        if isinstance(value, dict):
            return {k: revive(v) for k, v in value.items()}
        if isinstance(value, list):
            return [revive(v) for v in value]
        return value

    waiting = collections.defaultdict(list)  # layer name -> layers whose next call needs its next node
    ready = collections.deque(order)
    while ready:
        name = ready.popleft()
        while pending[name]:
            try:
                args, kwargs = _call_arguments(pending[name][0], get_tensor, revive, created[name])
            except _NotYetCalled as missing:
                waiting[missing.layer_name].append(name)
                break
            before = len(_nodes(created[name]))
            created[name](*args, **kwargs)
            _keep_file_kwargs(created[name], before, pending[name][0])
            pending[name].popleft()
            ready.extend(waiting.pop(name, ()))
    unresolved = [n for n in order if pending[n]]
    if unresolved:
        raise ValueError(f"Could not rebuild the functional model: unresolved calls of {unresolved[:20]}.")

    def tensors(spec):
        if isinstance(spec, list) and len(spec) == 3 and isinstance(spec[0], str):
            return get_tensor(*spec, endpoint=True)
        if isinstance(spec, dict):
            return {k: tensors(v) for k, v in spec.items()}
        if isinstance(spec, list):
            return [tensors(v) for v in spec]
        raise ValueError(f"Invalid input/output reference {str(spec)[:200]} in a functional config.")

    inputs, outputs = tensors(config.get("input_layers")), tensors(config.get("output_layers"))
    if any_legacy:  # Keras 2 wrote every input/output list as a list, also for a single tensor
        inputs = inputs[0] if isinstance(inputs, list) and len(inputs) == 1 else inputs
        outputs = outputs[0] if isinstance(outputs, list) and len(outputs) == 1 else outputs
    return cls(inputs=inputs, outputs=outputs, name=config.get("name"), trainable=config.get("trainable", True))
