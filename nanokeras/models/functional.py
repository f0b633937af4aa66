"""`Functional`: the model `keras.Model(inputs, outputs)` builds from a graph of layer calls.

Calling layers on `keras.Input` tensors records nodes; this class walks them
back from `outputs` to `inputs` once, orders the layers as Keras does (by depth,
then by traversal order) and keeps a flat execution plan, so calling the model
on data is a plain loop over precomputed steps.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> a = keras.Input((3,), name="a")
    >>> b = keras.Input((2,), name="b")
    >>> x = keras.layers.concatenate([keras.layers.Dense(4)(a), b])
    >>> model = keras.Model([a, b], keras.layers.Dense(1)(x))
    >>> model([np.ones((5, 3)), np.ones((5, 2))]).shape
    (5, 1)
"""

import collections

import numpy as np

from nanokeras.graph.input_rank import input_rank, match_input_rank
from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.tree import flatten, map_structure, pack_sequence_as
from nanokeras.graph.node import inbound_node
from nanokeras.layers.core.input_layer import InputLayer
from nanokeras.layers import layer as layer_module
from nanokeras.layers.layer import Layer, keras_records_mask
from nanokeras.models.model import Model
from nanokeras.trainers.trainer import Trainer
from nanokeras.utils.keyword_arguments import unknown_keywords_error


class Functional(Model):
    """A model defined by its input and output KerasTensors.

    Args:
        inputs: a KerasTensor from `keras.Input`, or a list or dict of them.
        outputs: KerasTensors computed from `inputs` (single, list or dict).
        name: the model's name (`functional`, `functional_1`, ... by default).
    """

    # Its call runs its layers and nothing else: compiled when they all are.
    _replayable = True

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        dtype = kwargs.pop("dtype", None)
        if kwargs:
            raise unknown_keywords_error("keras.Model(inputs, outputs)", kwargs, ["inputs", "outputs", "name", "trainable", "dtype"])
        _check_tensors(inputs, "inputs")
        _check_tensors(outputs, "outputs")
        if isinstance(inputs, (list, tuple)) and len(inputs) == 1 and isinstance(inputs[0], KerasTensor):
            inputs = inputs[0] if not isinstance(outputs, (list, tuple)) else list(inputs)
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype)
        Trainer.__init__(self)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = flatten(inputs)
        self.outputs = flatten(outputs)
        nodes_by_depth, operations = _map_graph(self.inputs, self.outputs)
        self._nodes_by_depth = nodes_by_depth
        self._operations = operations
        for layer in self.layers:
            if not isinstance(layer, InputLayer):
                self._tracked_layers.append(layer)
        self._plan = _execution_plan(nodes_by_depth)
        self._input_ids = [id(t) for t in self.inputs]
        self._output_ids = [id(t) for t in self.outputs]
        self._input_dtypes = [t.dtype for t in self.inputs]
        self._input_shapes = [tuple(t.shape) for t in self.inputs]
        self._build_input_shape = _shape_struct(inputs)
        self._symbolic_losses = []
        self._symbolic_loss_ids = []
        self._symbolic_loss_values = []
        self.built = True

    # ------------------------------------------------------------- structure
    @property
    def layers(self):
        """The layers in Keras's order (input layers first); recorded `keras.ops` are not listed."""
        return [op for op in self._operations if not getattr(op, "_is_symbolic_op", False)]

    @property
    def operations(self):
        """Every operation of the graph in Keras's order: the layers and the recorded `keras.ops`
        calls (`ops.sum`, `x + 1`, ...)."""
        return list(self._operations)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def output_names(self):
        """The producing layers' names, in `outputs` order (for dict outputs too, as Keras: losses
        and metrics given as dicts are then keyed by the dict's own keys)."""
        return [t._keras_history[0].name for t in self.outputs]

    @property
    def input_shape(self):
        """The inputs' shapes: one tuple, or a list of them (dict inputs too, in `inputs` order, as Keras)."""
        return _flat_shapes(self.inputs)

    @property
    def output_shape(self):
        """The outputs' shapes: one tuple, or a list of them (in `outputs` order, as Keras)."""
        return _flat_shapes(self.outputs)

    @property
    def input_dtype(self):
        return self._input_dtypes[0] if len(self._input_dtypes) == 1 else self.dtype

    def build(self, input_shape=None):
        """A functional model is built when it is created."""
        self.built = True

    def compute_output_shape(self, input_shape):
        return self.output_shape

    def compute_output_spec(self, inputs, *args, **kwargs):
        return pack_sequence_as(self._outputs_struct, [KerasTensor(t.shape, t.dtype) for t in self.outputs])

    # -------------------------------------------------------------- running
    def _convert_inputs(self, inputs):
        # Each input is cast to its own Input's dtype (integer ids stay integers).
        flat = self._flat_inputs(inputs)
        converted = []
        for value, dtype, tensor in zip(flat, self._input_dtypes, self.inputs):
            if not isinstance(value, np.ndarray) and not hasattr(value, "value"):
                value = np.asarray(value)
            if dtype == "string" and np.ndim(value) == len(tensor.shape) - 1 and tensor.shape[-1] == 1:
                value = np.expand_dims(value, -1)  # texts (batch,) for an input (batch, 1), as Keras adjusts
            if hasattr(value, "dtype") and value.dtype != dtype and np.dtype(value.dtype).kind in "fiub":
                if not hasattr(value, "value"):
                    value = value.astype(dtype, copy=False)
                else:
                    from nanokeras.ops.core import cast

                    value = cast(value, dtype)
            converted.append(value)
        return converted

    def _flat_inputs(self, inputs):
        n = len(self.inputs)
        if isinstance(self._inputs_struct, dict):
            if not isinstance(inputs, dict):
                raise ValueError(
                    f"Model {self.name!r} takes a dict of inputs with keys {sorted(self._inputs_struct)}, "
                    f"got {type(inputs).__name__}."
                )
            missing = [k for k in self._inputs_struct if k not in inputs]
            if missing:
                raise ValueError(f"Model {self.name!r}: missing input(s) {missing}; given keys {sorted(inputs)}.")
            return flatten({k: inputs[k] for k in self._inputs_struct})
        if isinstance(inputs, dict):
            names = [t.name for t in self.inputs]
            if all(name in inputs for name in names):
                return [inputs[name] for name in names]
            raise ValueError(
                f"Model {self.name!r} was given a dict of inputs with keys {sorted(inputs)}; "
                f"its inputs are named {names}."
            )
        if isinstance(inputs, (list, tuple)) and not (n == 1 and _is_single_array(inputs)):
            if len(inputs) != n:
                raise ValueError(
                    f"Model {self.name!r} expects {n} input(s) (shapes {[t.shape for t in self.inputs]}), "
                    f"but it was called on a list of {len(inputs)}."
                )
            return list(inputs)
        if n != 1:
            raise ValueError(
                f"Model {self.name!r} expects {n} inputs (shapes {[t.shape for t in self.inputs]}); "
                "pass them as a list in that order."
            )
        return [inputs]

    def __call__(self, inputs, *args, **kwargs):
        from nanokeras.graph.keras_tensor import any_symbolic

        if isinstance(inputs, KerasTensor) or (isinstance(inputs, (list, tuple, dict)) and any_symbolic(inputs)):
            return self._symbolic_call(inputs, *args, **kwargs)
        # The graph is built: no Layer.__call__ bookkeeping, just convert each input and run
        # (inside the call context, so layers that do not take `training` inherit it).
        context = layer_module._call_context
        outermost = not context[0]
        context[0], context[1] = True, self._resolve_training(kwargs)
        try:
            return self.call(self._convert_inputs(inputs), *args, **kwargs)
        finally:
            if outermost:
                context[0], context[1] = False, None

    def call(self, inputs, training=None, mask=None):
        values = {}
        flat = inputs if type(inputs) is list and len(inputs) == len(self._input_ids) else self._flat_inputs(inputs)
        for key, value, shape in zip(self._input_ids, flat, self._input_shapes):
            if input_rank(value) != len(shape):
                value = match_input_rank(value, shape)
                if input_rank(value) != len(shape):
                    self._refuse_input_rank(value, shape)
            values[key] = value
        for step in self._plan:
            step(values, training)
        if self._symbolic_loss_ids:
            self._symbolic_loss_values = [values[key] for key in self._symbolic_loss_ids]
        outputs = [values[key] for key in self._output_ids]
        if len(outputs) == 1 and isinstance(self._outputs_struct, KerasTensor):
            return outputs[0]
        packed = pack_sequence_as(self._outputs_struct, outputs)
        # As Keras: a model built with `outputs=[x]` (or `(x,)`) gives the array itself when run
        # (call, predict), so `encoder.predict(x)` of `Model(i, [state])` is one array there too.
        if isinstance(packed, (list, tuple)) and len(packed) == 1:
            return packed[0]
        return packed

    def _refuse_input_rank(self, value, shape):
        # As Keras: data of another rank than the Input's is refused (one sample without its batch
        # axis would otherwise run through layers that take any rank, and give a wrong shape).
        got = tuple(getattr(value, "shape", np.shape(value)))
        hint = " Is it one sample? Add the batch axis: `x[None]`." if len(got) == len(shape) - 1 else ""
        raise ValueError(
            f"Model {self.name!r} expects input of shape {tuple(shape)} (None is the batch axis), but it was "
            f"called on data of shape {got}.{hint}"
        )

    # ---------------------------------------------------------------- losses
    def add_loss(self, loss):
        """Adds a loss; a loss computed from the model's symbolic tensors (Keras 2's
        `model.add_loss(keras.ops.mean(...))`) is recomputed in every forward pass."""
        if not any(isinstance(t, KerasTensor) for t in flatten(loss)):
            return Layer.add_loss(self, loss)
        from nanokeras.layers import layer as layer_module
        from nanokeras.utils import keras2_notes

        _check_tensors(loss, "add_loss")
        keras2_notes.note("symbolic_add_loss")
        losses = self._symbolic_losses + flatten(loss)
        # The plan now also computes the loss tensors, in the same pass as the outputs.
        nodes_by_depth, _ = _map_graph(self.inputs, self.outputs + losses)
        self._plan = _execution_plan(nodes_by_depth)
        self._symbolic_losses = losses
        self._symbolic_loss_ids = [id(t) for t in losses]
        layer_module._note_extra_losses()
        return None

    @property
    def losses(self):
        """Losses of the layers, `add_loss` losses, and those of the last forward pass's symbolic losses."""
        return Layer.losses.fget(self) + list(self._symbolic_loss_values)

    # --------------------------------------------------------------- summary
    def _summary_rows(self):
        from nanokeras.utils.summary_utils import functional_rows

        return functional_rows(self)

    def _summary_layers(self):
        return self.operations

    def get_config(self):
        from nanokeras.saving.functional_config import functional_config

        return functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from nanokeras.saving.functional_config import functional_from_config

        return functional_from_config(cls, config, custom_objects=custom_objects)

    def get_build_config(self):
        # As Keras: a functional model is built by its graph, and records no input shape.
        return {"input_shape": None}


# ------------------------------------------------------------------ helpers
def _is_single_array(inputs):
    return not any(isinstance(x, (list, tuple, dict, np.ndarray)) or hasattr(x, "value") for x in inputs)


class NotAKerasTensorError(TypeError, ValueError):
    """An array where a `keras.Model` needs KerasTensors: a TypeError, and a ValueError as Keras raises it."""


def _check_tensors(structure, argument):
    leaves = flatten(structure)
    if not leaves:
        raise ValueError(f"keras.Model: `{argument}` is empty; pass KerasTensors, e.g. `keras.Input((3,))`.")
    for leaf in leaves:
        if not isinstance(leaf, KerasTensor):
            raise NotAKerasTensorError(
                f"keras.Model: every element of `{argument}` must be a KerasTensor (from `keras.Input` or a "
                f"layer called on one), got {type(leaf).__name__}: {leaf!r:.100}."
            )
        if leaf._keras_history is None:
            raise ValueError(f"keras.Model: {leaf!r} in `{argument}` was not created by `keras.Input` or a layer.")


def _flat_shapes(tensors):
    shapes = [t.shape for t in tensors]
    return shapes[0] if len(shapes) == 1 else shapes


def _shape_struct(structure):
    if isinstance(structure, KerasTensor):
        return structure.shape
    if isinstance(structure, dict):
        return {k: _shape_struct(v) for k, v in structure.items()}
    return [_shape_struct(x) for x in structure]


def _map_graph(inputs, outputs):
    """`(nodes_by_depth, operations)` of the graph from `inputs` to `outputs`, ordered as Keras orders them."""
    input_ids = {id(t) for t in inputs}
    finished, in_progress = set(), set()
    ordered_nodes, operation_index = [], {}

    def visit(tensor):
        operation, node_index, _ = tensor._keras_history
        node = inbound_node(operation, node_index)
        if id(node) in finished:
            return
        if not node.is_input and id(tensor) in input_ids:
            finished.add(id(node))  # an intermediate tensor used as a model input: stop here
            return
        if id(node) in in_progress:
            raise ValueError(f"Tensor {tensor!r} from layer {operation.name!r} is part of a cycle.")
        operation_index.setdefault(operation, len(operation_index))
        in_progress.add(id(node))
        if not node.is_input:
            for parent in node.input_tensors:
                visit(parent)
        finished.add(id(node))
        in_progress.discard(id(node))
        ordered_nodes.append(node)

    for tensor in outputs:
        visit(tensor)

    node_depth, operation_depth = {}, {}
    in_graph = {id(n) for n in ordered_nodes}
    for node in reversed(ordered_nodes):
        depth = max(node_depth.setdefault(id(node), 0), operation_depth.get(node.operation, 0))
        operation_depth[node.operation] = depth
        node_depth[id(node)] = depth
        if node.is_input:
            continue
        for tensor in node.input_tensors:
            op, index, _ = tensor._keras_history
            parent = inbound_node(op, index)
            if id(parent) in in_graph and not (id(tensor) in input_ids and not parent.is_input):
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    nodes_by_id = {id(n): n for n in ordered_nodes}
    for tensor in inputs:  # inputs not connected to any output still belong to the model
        op, index, _ = tensor._keras_history
        node = inbound_node(op, index)
        if node.is_input and op not in operation_depth:
            operation_depth[op] = 0
            operation_index[op] = -1
            node_depth[id(node)] = 0
            nodes_by_id[id(node)] = node

    nodes_by_depth = collections.defaultdict(list)
    for key, depth in node_depth.items():
        nodes_by_depth[depth].append(nodes_by_id[key])
    operations_by_depth = collections.defaultdict(list)
    for op, depth in operation_depth.items():
        operations_by_depth[depth].append(op)
    operations = []
    for depth in sorted(operations_by_depth, reverse=True):
        operations.extend(sorted(operations_by_depth[depth], key=lambda op: operation_index[op]))

    computable = set(input_ids)
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            if node.is_input and id(node.outputs[0]) not in computable:
                raise ValueError(
                    f"Graph disconnected: the model needs input {node.outputs[0].name!r} (of layer "
                    f"{node.operation.name!r}), which is not among `inputs`. Add it to `inputs`."
                )
            for tensor in node.input_tensors:
                if id(tensor) not in computable:
                    raise ValueError(
                        f"Graph disconnected: cannot compute {tensor!r}, an input of layer "
                        f"{node.operation.name!r}, from the model's `inputs`."
                    )
            computable.update(id(t) for t in node.outputs)
    names = [op.name for op in operations]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(
            f"The name(s) {duplicated} are used by more than one layer in the model. All layer names should be unique."
        )
    return dict(nodes_by_depth), operations


def _execution_plan(nodes_by_depth):
    """One closure per node, deepest first, each reading and writing `values[id(tensor)]`."""
    nodes = [node for depth in sorted(nodes_by_depth, reverse=True) for node in nodes_by_depth[depth]]
    masked = any(_symbolic_mask(t) is not None for node in nodes for t in node.outputs)
    return [_masked_step(node) if masked else _step(node) for node in nodes if not node.is_input]


# ------------------------------------------------------------- graph masks
# Keras keeps the masks of a functional graph twice: on the tensors of a run (each layer
# reads and sets them as it runs) and as symbolic tensors computed when the graph was
# built. The two agree unless a layer takes masks off tensors during a run, as
# `MultiHeadAttention` does with its query, value and key: a later layer given one of
# those tensors then sees no mask at run time. A layer whose `call` takes `mask` and
# that was called on a single tensor (with nothing else, in its compute dtype) got the
# symbolic mask recorded as its `mask` argument, so it still receives the graph's mask.
# `values[_GRAPH_MASKS]` holds, for the run, the value of each symbolic mask.
_GRAPH_MASKS = "graph masks"


def _symbolic_mask(tensor):
    return getattr(tensor, "_keras_mask", None) if isinstance(tensor, KerasTensor) else None


def _records_mask(node):
    """Whether Keras recorded the input's symbolic mask as this node's `mask` argument."""
    return (bool(node.args) and keras_records_mask(node.operation, node.args[0], node.args[1:], node.kwargs)
            and _symbolic_mask(node.args[0]) is not None)


def _masked_step(node):
    """`_step(node)`, also following the graph's masks (see `_GRAPH_MASKS`)."""
    from nanokeras.backend import masking

    run = _step(node)
    layer = node.operation
    masked_inputs = [id(t) for t in node.input_tensors if _symbolic_mask(t) is not None]
    masked_outputs = [(i, id(t)) for i, t in enumerate(node.outputs) if _symbolic_mask(t) is not None]
    recorded = _records_mask(node)
    in_id = id(node.args[0]) if recorded else None
    out_ids = [id(t) for t in node.outputs]
    explicit = node.kwargs.get("mask")
    first = node.args[0] if node.args else None

    def graph_mask(graph, values, tensor):
        if isinstance(tensor, KerasTensor):
            key = id(tensor)
            return graph[key] if key in graph else masking.get_keras_mask(values[key])
        return tensor

    def step(values, training):
        graph = values.get(_GRAPH_MASKS)
        if graph is None:
            graph = values[_GRAPH_MASKS] = {}
        agrees = all(masking.get_keras_mask(values[i]) is graph.get(i) for i in masked_inputs)
        if recorded and not agrees:
            mask = graph.get(in_id)
            a = values[in_id]
            out = layer(a, mask=mask, training=training) if (
                training is not None and getattr(layer, "_call_takes_training", False)) else layer(a, mask=mask)
            outs = [out] if type(out) not in (list, tuple, dict) else flatten(out)
            for key, value in zip(out_ids, outs):
                values[key] = value
            agrees = True
        else:
            run(values, training)
        if not masked_outputs:
            return
        if agrees:
            for i, key in masked_outputs:
                graph[key] = masking.get_keras_mask(values[key])
            return
        # The run's masks left the graph's: compute the graph's output masks from its input masks.
        inputs, _ = node.fill_in(values)
        inputs = inputs[0] if inputs else None
        if explicit is not None:
            previous = graph_mask(graph, values, explicit)
        else:
            previous = map_structure(lambda t: graph_mask(graph, values, t), first)
        masks = layer.compute_mask(inputs, previous) if getattr(layer, "supports_masking", False) else None
        flat = flatten(masks) if isinstance(masks, (list, tuple)) else [masks]
        for i, key in masked_outputs:
            graph[key] = flat[i] if i < len(flat) else None

    return step


def _step(node):
    layer = node.operation
    # As in Keras, the training flag of the call overrides one recorded in the graph.
    takes_training = getattr(layer, "_call_takes_training", False)
    kwargs = node.kwargs
    out_ids = [id(t) for t in node.outputs]
    out_id = out_ids[0]
    args = node.args
    symbolic_op = getattr(layer, "_is_symbolic_op", False)

    if len(args) == 1 and isinstance(args[0], KerasTensor) and not kwargs and not symbolic_op:
        in_id = id(args[0])

        def fetch(values):
            return (values[in_id],), {}
    elif (len(args) == 1 and isinstance(args[0], list) and all(isinstance(t, KerasTensor) for t in args[0])
          and not kwargs and not symbolic_op):
        in_ids = [id(t) for t in args[0]]

        def fetch(values):
            return ([values[i] for i in in_ids],), {}
    else:
        def fetch(values):
            a, k = node.fill_in(values)
            return a, dict(k)

    def step(values, training):
        a, k = fetch(values)
        if takes_training and training is not None:
            k["training"] = training
        out = layer(*a, **k)
        if type(out) not in (list, tuple, dict):
            values[out_id] = out
        else:
            for key, value in zip(out_ids, flatten(out)):
                values[key] = value

    return step


def functional_subclass(cls):
    """`cls` with Functional mixed in, for `class Net(keras.Model)` calling `super().__init__(inputs, outputs)`."""
    if issubclass(cls, Functional):
        return cls
    cached = _SUBCLASSES.get(cls)
    if cached is None:
        cached = type(cls.__name__, (cls, Functional), {"__module__": cls.__module__})
        _SUBCLASSES[cls] = cached
    from nanokeras.saving import object_registration

    registered = object_registration.GLOBAL_CUSTOM_NAMES.get(cls)
    if registered is not None:
        # Saved under the user's registered name, so loading finds (and rebuilds) the user's class.
        object_registration.GLOBAL_CUSTOM_NAMES[cached] = registered
    return cached


_SUBCLASSES = {}
