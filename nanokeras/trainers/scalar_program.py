"""One generated program of the tiny-model path: a mode's epoch as Python code on scalars.

`ScalarProgram` records the step on a tape (nothing else happens: the covered layers and
losses change no state), writes each recorded op out with its scalar emitter
(`scalar_ops.EMITTERS`), then the gradients backwards through the same nodes, the
optimizer's update and the metrics' updates (`scalar_updates`), wraps the lines in a loop
over an epoch's batches, and compiles the source. Weights, slots and metric totals are the
function's locals: loaded from their arrays before a call, written back after it.
See `tiny_program.py` for when it is used.
"""

import math
from array import array

import numpy as np

from nanokeras.layers import layer as layer_module
from nanokeras.ops.tape import GradientTape, needs_gradient
from nanokeras.ops.tensor import Constant, TensorOperators, value_of
from nanokeras.ops.trace import Trace
from nanokeras.trainers import scalar_updates
from nanokeras.trainers.scalar_code import Code, Unsupported, grid, literal, suffix
from nanokeras.trainers.scalar_ops import emitter_for

_SLOT_PREFIXES = {"momentums": "m", "_momentums": "m", "_velocities": "v", "_velocity_hats": "vhat",
                  "_average_gradients": "avg", "_accumulators": "acc"}


def _recorded_step(model, mode, arrays):
    """The step recorded on a tape with `arrays` as the batch: (trace, inputs, outputs, loss).
    Nothing else happens (no update, no metric): the covered layers and losses change no state."""
    inputs = tuple(None if a is None else Constant(np.array(a, copy=True, order="C")) for a in arrays)
    x, y, sample_weight = inputs
    extra_losses = layer_module.extra_losses_in_use()
    if extra_losses:
        model._clear_losses()
    with GradientTape() as tape:
        y_pred = model(x, training=mode == "train")
        if extra_losses and model.losses:
            raise Unsupported("the model adds losses of its own (`add_loss`)")
        loss = model._step_loss(x, y, y_pred, sample_weight, training=mode == "train")
    return Trace(tape), inputs, y_pred, loss


class ScalarProgram:
    """One generated function: a mode's epoch for batches of `size` (then one of `remainder`).

    Args:
        model: the compiled model.
        mode: "train" or "test".
        arrays: `(x, y, sample_weight)` (the weights may be None); their first rows give
            the batch layout to record.
        size, remainder: the batch size, and the size of the last batch (0: none).
        limit: the most scalars a step's arrays may hold together.
        rounding: round every intermediate value to float32 (else the stored ones only).
    """

    def __init__(self, model, mode, arrays, size, remainder, limit, rounding):
        # The weights and one batch alone may already be too many: then nothing is recorded or named.
        at_least = sum(v.value.size for v in model.weights)
        at_least += sum(a[:size].size for a in arrays if a is not None)
        if at_least > limit:
            raise Unsupported(f"the step's arrays hold at least {at_least} scalars, more than the tiny path's "
                              f"limit of {limit}")
        self.model, self.mode = model, mode
        trainable = model.trainable_weights
        optimizer = model.optimizer if mode == "train" else None
        if optimizer is not None and not optimizer.built:
            optimizer.build(trainable)
        if optimizer is not None and optimizer._pack_pending:
            optimizer._pack_variables()  # as the first step would: weights move into one array
        self.version = layer_module.configuration_version()
        self.weights = list(model.weights)
        self.arrays_of_weights = [v.value for v in self.weights]
        self.state = _State()
        # A test pass reads the weights and writes only the metrics back.
        weight_names = [self.state.add(variable, f"w{index}_", written=mode == "train")
                        for index, variable in enumerate(self.weights)]
        slots = {}
        if optimizer is not None:
            for kind, variables in scalar_updates.optimizer_slots(optimizer, trainable).items():
                prefix = _SLOT_PREFIXES.get(kind, "slot")
                slots[kind] = [self.state.add(v, f"{prefix}{i}_") for i, v in enumerate(variables)]
        metrics = [model._loss_tracker] + list(model._compile_metrics.metrics if model._compile_metrics else [])
        counters = []
        for index, metric in enumerate(metrics):
            counters.append((self.state.add(metric.total, f"total{index}")[()],
                             self.state.add(metric.count, f"count{index}")[()]))
        code = Code(rounding)
        batches = [(size, "full")] + ([(remainder, "remainder")] if remainder else [])
        bodies = []
        for batch_size, _ in batches:
            sample = tuple(None if a is None else np.ascontiguousarray(a[:batch_size]) for a in arrays)
            if sample[0].shape[0] != batch_size:
                raise Unsupported("a batch larger than the data")
            trace, inputs, y_pred, loss = _recorded_step(model, mode, sample)
            _check_size(trace, inputs, self.weights, limit)
            body = Code(code.rounding)
            body.counter = code.counter
            _emit_step(body, mode, trace, inputs, y_pred, loss, dict(zip(map(id, self.weights), weight_names)),
                       trainable, optimizer, slots, model, counters, batch_size)
            code.counter = body.counter
            code.counters |= body.counters
            bodies.append(body)
        self.source = _module_source(mode, self.state, bodies, size, remainder, arrays, sorted(code.counters))
        namespace = {"_f": array("f", [0.0]), "exp": math.exp, "log": math.log, "log1p": math.log1p,
                     "tanh": math.tanh, "sqrt": math.sqrt, "inf": math.inf, "nan": math.nan}
        namespace.update(self.state.arrays())
        exec(compile(self.source, f"<tiny {mode} program>", "exec"), namespace)
        self.function = namespace[mode]
        self.optimizer = optimizer
        self.settings = scalar_updates.settings(optimizer, metrics)
        self.setting_values = [getattr(owner, name) for owner, name in self.settings]
        self.size, self.remainder = size, remainder

    def is_current(self):
        if layer_module.configuration_version() != self.version:
            return False
        return (all(v.value is a for v, a in zip(self.weights, self.arrays_of_weights)) and self.state.is_current()
                and [getattr(owner, name) for owner, name in self.settings] == self.setting_values)

    def run(self, rows, order, full):
        """Runs the function on `rows` (x, y, sample weights as per-sample lists) in `order`.
        Returns None, or why it did not run (then nothing changed)."""
        optimizer = self.optimizer
        try:
            if optimizer is None:
                done = self.function(rows[0], rows[1], rows[2], order, full)
            else:
                iterations = optimizer._iterations.value
                done = self.function(rows[0], rows[1], rows[2], order, full,
                                     float(optimizer._learning_rate.value), int(iterations))
        except (ArithmeticError, ValueError):
            return _REFUSED
        if not done:
            return "counts beyond 2**24 samples are no longer whole float32 numbers"
        if optimizer is not None:
            iterations.fill(int(iterations) + full // self.size + (1 if len(order) > full else 0))
        return None


_REFUSED = ("the scalar code met a value Python refuses where numpy gives inf or NaN (a division by "
            "zero, the log of a negative number): the rest of this fit or evaluate runs on the compiled step")


class _State:
    """The arrays a program keeps in locals (weights, slots, metric totals), each seen as a flat
    view `S0`, `S1`, ... that the function reads when called and writes (when `written`) at the end."""

    def __init__(self):
        self.entries = []  # (variable, array, flat view, element names, written)

    def add(self, variable, prefix, written=True):
        array = variable.value
        if not array.flags.c_contiguous:
            raise Unsupported(f"the state {variable.name!r} is not a contiguous array")
        names = grid(array.shape, lambda i: prefix + suffix(i) if i else prefix.rstrip("_"))
        self.entries.append((variable, array, array.reshape(-1), names.reshape(-1).tolist(), written))
        return names

    def arrays(self):
        return {f"S{k}": flat for k, (_, _, flat, _, _) in enumerate(self.entries)}

    def is_current(self):
        return all(variable.value is array for variable, array, _, _, _ in self.entries)

    def load_lines(self):
        return [f"{', '.join(names)}, = S{k}.tolist()  # {_label(variable)}"
                for k, (variable, _, _, names, _) in enumerate(self.entries)]

    def store_lines(self):
        return [f"S{k}[{i}] = {name}" for k, (_, _, _, names, written) in enumerate(self.entries) if written
                for i, name in enumerate(names)]


def _label(variable):
    return getattr(variable, "path", None) or variable.name


def _check_size(trace, inputs, weights, limit):
    total = sum(value_of(node).size for node in trace.nodes)
    total += sum(value_of(i).size for i in inputs if i is not None)
    total += sum(v.value.size for v in weights)
    if total > limit:
        raise Unsupported(f"the step's arrays hold {total} scalars, more than the tiny path's limit of {limit}")


def _input_names(inputs):
    x, y, sample_weight = inputs
    names = {}
    for constant, prefix in ((x, "x"), (y, "y"), (sample_weight, "sw")):
        if constant is not None:
            names[id(constant)] = grid(constant.value.shape, lambda i, p=prefix: f"{p}{i[0]}_{suffix(i[1:])}".rstrip("_"))
    return names


def _argument(value, names):
    """The object array standing for a node input: a traced value's names, or literals."""
    if value is None:
        return None
    found = names.get(id(value))
    if found is not None:
        return found
    if isinstance(value, TensorOperators):
        raise Unsupported(f"a {type(value).__name__} the step reads but the tiny path does not know")
    array = np.asarray(value)
    if array.dtype.kind not in "fiub":
        raise Unsupported(f"a constant of dtype {array.dtype}")
    return grid(array.shape, lambda i: literal(array[i]))


def _emit_step(code, mode, trace, inputs, y_pred, loss, weight_names, trainable, optimizer, slots, model,
               counters, batch_size):
    """The lines of one step: forward, gradients and update (training), loss and metrics."""
    names = _input_names(inputs)
    names.update(weight_names)
    for known in names.values():  # the batch and the weights hold float32 values already
        code.rounded.update(known.reshape(-1).tolist())
    code.comment("forward pass")
    for node in trace.nodes:
        forward, _ = emitter_for(node)
        args = [_argument(value, names) for value in node.inputs]
        names[id(node)] = forward(code, node, args)
    if id(loss) not in names or id(y_pred) not in names:
        raise Unsupported("the loss or the output is not computed by recorded ops")
    if mode == "train":
        code.comment("gradients, walking the recorded ops backwards")
        grads = {id(loss): np.array("1.0", dtype=object)}
        for node in reversed(trace.nodes):
            g = grads.pop(id(node), None)
            if g is None:
                continue
            _, backward = emitter_for(node)
            args = [_argument(value, names) for value in node.inputs]
            wanted = [isinstance(v, TensorOperators) and needs_gradient(v) for v in node.inputs]
            for value, gradient in zip(node.inputs, backward(code, node, args, names[id(node)], g, wanted)):
                if gradient is None or not isinstance(value, TensorOperators) or not needs_gradient(value):
                    continue
                previous = grads.get(id(value))
                if previous is not None:
                    gradient = grid(gradient.shape, lambda i: code.let(f"{previous[i]} + {gradient[i]}", "g"))
                grads[id(value)] = gradient
        gradients = []
        for variable in trainable:
            if id(variable) not in grads:
                raise Unsupported(f"the weight {variable.name!r} gets no gradient")
            gradients.append(grads[id(variable)])
        code.comment(f"{type(optimizer).__name__} update")
        scalar_updates.emit_optimizer_step(
            code, optimizer, [names[id(v)] for v in trainable], gradients,
            lambda kind, index: slots[kind][index])
        if any("it + 1" in line for line in code.lines):
            code.line("it += 1")
    code.comment("loss and metrics")
    scalar_updates.emit_loss_tracker(code, names[id(loss)][()], batch_size, *counters[0])
    x, y, sample_weight = inputs
    y_names = names[id(y)]
    weight_names = names[id(sample_weight)] if sample_weight is not None else None
    entries = model._compile_metrics.entries or [] if model._compile_metrics is not None else []
    for (metric, weighted, _), (total, count) in zip(entries, counters[1:]):
        used = weight_names if weighted else None
        if not scalar_updates.emit_metric_update(code, metric, y_names, names[id(y_pred)], used, total, count):
            raise Unsupported(f"the metric {metric.name!r} on labels of shape {y_names.shape}")


def _module_source(mode, state, bodies, size, remainder, arrays, counters):
    x, y, sample_weight = arrays
    train = mode == "train"
    header = f"def {mode}(X, Y, W, order, full{', lr, it' if train else ''}):"
    doc = (f'    """One {"training" if train else "evaluation"} pass: batches of {size} samples of `X`, '
           f'`Y`{", `W`" if sample_weight is not None else ""}, taken in `order`."""')
    lines = [header, doc] + ["    " + line for line in state.load_lines()]
    if counters:  # whole-number totals are added without rounding: exact below 2**24
        largest = counters[0] if len(counters) == 1 else f"max({', '.join(counters)})"
        lines.append(f"    if {largest} + len(order) > 16777216.0:")
        lines.append("        return False")
    for (batch_size, body), label in zip(((size, bodies[0]),) + (((remainder, bodies[1]),) if remainder else ()),
                                         ("full", "remainder")):
        if label == "full" and batch_size == 1:
            lines.append("    for r in order:")  # (batches of one: no remainder)
        elif label == "full":
            lines.append(f"    for start in range(0, full, {batch_size}):")
        else:
            lines.append("    if len(order) > full:")
            lines.append("        start = full")
        for b in range(batch_size):
            if batch_size > 1 or label != "full":
                lines.append(f"        r = order[start + {b}]")
            lines.append(f"        {_unpack('x', b, x)} = X[r]")
            lines.append(f"        {_unpack('y', b, y)} = Y[r]")
            if sample_weight is not None:
                lines.append(f"        {_unpack('sw', b, sample_weight)} = W[r]")
        lines.append(body.text(2))
    lines.append("    # back into the arrays")
    lines += ["    " + line for line in state.store_lines()]
    lines.append("    return True")
    return "\n".join(lines) + "\n"


def _unpack(prefix, b, array):
    tail = array.shape[1:]
    names = [f"{prefix}{b}_{suffix(i)}".rstrip("_") for i in np.ndindex(*tail)] if tail else [f"{prefix}{b}"]
    return ", ".join(names) + ","
