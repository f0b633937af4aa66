"""A functional model's config in Keras 3's format, and the model rebuilt from one.

Each layer is serialized with its `inbound_nodes`: the arguments of every call
that belongs to the model, with KerasTensors written as
`{"class_name": "__keras_tensor__", "config": {"shape", "dtype", "keras_history": [layer, node, tensor]}}`.
`input_layers`/`output_layers` name the model's inputs and outputs the same way.
Loading re-creates the layers and replays the calls in an order where every
input already exists.
"""

from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.saving import op_nodes
from nanokeras.tree import map_structure


def _is_functional(layer):
    from nanokeras.models.functional import Functional

    return isinstance(layer, Functional)


def functional_config(model):
    from nanokeras.saving.serialization_lib import serialize_keras_object

    in_model = {id(node) for nodes in model._nodes_by_depth.values() for node in nodes}
    reindex = {}
    for op in model._operations:
        # Keras's nested functional models own one extra node (their inputs to outputs) first.
        kept = 1 if _is_functional(op) else 0
        for index, node in enumerate(op._inbound_nodes):
            if id(node) in in_model:
                reindex[(id(op), index)] = kept
                kept += 1

    def tensor_history(tensor):
        op, index, tensor_index = tensor._keras_history
        return [op.name, reindex[(id(op), index)], tensor_index]

    def serialize_argument(value):
        if isinstance(value, KerasTensor):
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": list(value.shape), "dtype": value.dtype,
                               "keras_history": tensor_history(value)}}
        return serialize_keras_object(value)

    layers = []
    for op in model._operations:
        if getattr(op, "_is_symbolic_op", False):
            op.get_config()  # raises: recorded ops cannot be saved yet
        layer_config = serialize_keras_object(op)
        layer_config["name"] = op.name
        layer_config["inbound_nodes"] = [
            {"args": [map_structure(serialize_argument, a) for a in node.args],
             "kwargs": {k: map_structure(serialize_argument, v) for k, v in node.kwargs.items()}}
            for node in op._inbound_nodes if id(node) in in_model and not node.is_input
        ]
        layers.append(layer_config)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": map_structure(tensor_history, model._inputs_struct),
        "output_layers": map_structure(tensor_history, model._outputs_struct),
    }


def functional_from_config(cls, config, custom_objects=None):
    from nanokeras.saving.serialization_lib import deserialize_keras_object

    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise ValueError(f"A functional model config needs a 'layers' list; got {str(config)[:200]}.")
    created, pending, order = {}, {}, []
    for layer_data in config["layers"]:
        name = layer_data.get("name") or (layer_data.get("config") or {}).get("name")
        layer_config = {k: v for k, v in layer_data.items() if k not in ("name", "inbound_nodes")}
        layer_config.pop("build_config", None)  # calling the layer below builds it for its inputs
        if op_nodes.is_keras_op(layer_config):
            created[name] = op_nodes.op_from_config(layer_config)
        else:
            created[name] = deserialize_keras_object(layer_config, custom_objects=custom_objects)
        pending[name] = list(layer_data.get("inbound_nodes") or [])
        order.append(name)

    def get_tensor(layer_name, node_index, tensor_index):
        layer = created.get(layer_name)
        if layer is None:
            raise ValueError(f"The functional config refers to an unknown layer {layer_name!r}.")
        if _is_functional(layer):
            node_index -= 1
        nodes = layer._inbound_nodes
        if node_index >= len(nodes):
            raise LookupError(layer_name)
        return nodes[node_index].outputs[tensor_index]

    def revive(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            return get_tensor(*value["config"]["keras_history"])
        if isinstance(value, dict) and "class_name" in value and "config" in value:
            return deserialize_keras_object(value, custom_objects=custom_objects)
        if isinstance(value, dict):
            return {k: revive(v) for k, v in value.items()}
        if isinstance(value, list):
            return [revive(v) for v in value]
        return value

    progress = True
    while progress and any(pending.values()):
        progress = False
        for name in order:
            while pending[name]:
                node_data = pending[name][0]
                try:
                    args = [revive(a) for a in node_data.get("args", [])]
                    kwargs = {k: revive(v) for k, v in (node_data.get("kwargs") or {}).items()}
                except LookupError:
                    break  # an input is made by a node not replayed yet
                created[name](*args, **kwargs)
                pending[name].pop(0)
                progress = True
    if any(pending.values()):
        raise ValueError(f"Could not rebuild the functional model: unresolved calls of {[n for n in order if pending[n]]}.")

    def tensors(spec):
        if isinstance(spec, list) and len(spec) == 3 and isinstance(spec[0], str):
            return get_tensor(*spec)
        if isinstance(spec, dict):
            return {k: tensors(v) for k, v in spec.items()}
        return [tensors(v) for v in spec]

    inputs, outputs = tensors(config["input_layers"]), tensors(config["output_layers"])
    model = cls(inputs=inputs, outputs=outputs, name=config.get("name"), trainable=config.get("trainable", True))
    return model
