"""The compiled step: one training (or test, or predict) step recorded, then replayed.

`fit` runs the same computation on every batch; only the numbers change. So the
first step of each batch shape runs on the tape as usual, with the batch held in
arrays the program owns (wrapped as `Constant`s, so every op that touches the
data is recorded too). From then on a step is: copy the batch into those arrays,
replay the recorded ops (`Trace.forward`), walk the same nodes back for the
gradients, and hand them to the same `optimizer.apply` and metric updates the
tape path uses. No layer, no `GradientTape`, no closure is created per step.

The tape path is the reference: a replay calls the same numpy functions in the
same order on the same arrays, so both paths give bit-identical weights, slots
and metrics (`tests/trainers/test_compiled_step.py` checks every supported
layer, loss, metric and optimizer).

A model runs on the tape instead, with the reason in `model.compiled_step_reason`,
when the step contains Python the program cannot see into: a custom
`train_step`/`test_step`/`compute_loss`/`call`, a layer not marked replayable
(`Layer._replayable`), a loss or regularizer of the user's, an op without a
replay, or `compile(jit_compile=False)` / `run_eagerly=True`.
"""

import numpy as np

from nanokeras.layers import layer as layer_module
from nanokeras.ops.tape import GradientTape
from nanokeras.ops.tensor import Constant, value_of
from nanokeras.ops.trace import Trace
from nanokeras.trainers.data_adapter import unpack_x_y_sample_weight
from nanokeras.tree import flatten, map_structure

MODES = ("train", "test", "predict")
# `keras.ops` functions whose results are not recorded on a tape (shapes and sizes, fixed
# for a batch shape, or indices of a data-dependent count): a graph that feeds one into
# the computation could not be replayed.
UNRECORDED_OPS = frozenset({"nonzero", "size", "ndim", "shape"})


def blocker(model, mode):
    """Why `model`'s `mode` step cannot be compiled (a sentence), or None when it can."""
    from nanokeras.trainers.trainer import Trainer

    if getattr(model, "run_eagerly", False):
        return "run_eagerly=True asks for the tape path"
    if getattr(model, "jit_compile", "auto") is False and not getattr(model, "_jit_off_for_layers", False):
        return "jit_compile=False asks for the tape path"
    overridden = {"train": ("train_step", "compute_loss", "compute_metrics"),
                  "test": ("test_step", "compute_loss", "compute_metrics"),
                  "predict": ("predict_step",)}[mode]
    for method in overridden:
        if getattr(type(model), method) is not getattr(Trainer, method):
            return f"the model overrides `{method}`"
    if not is_replayable(model):
        return f"{type(model).__name__}.call is Python code of the model's own (a subclassed model)"
    for layer in model._flat_layers():
        if not is_replayable(layer):
            return f"layer {layer.name!r} ({type(layer).__name__}) is not marked replayable"
        reason = layer._replay_blocker()
        if reason is not None:
            return f"layer {layer.name!r}: {reason}"
    for operation in getattr(model, "_operations", ()):
        function = getattr(operation, "function", None)
        if function is not None and getattr(function, "__name__", "") in UNRECORDED_OPS:
            return (f"the graph applies `{function.__name__}`, whose result is not recorded "
                    "(it would be replayed as a constant)")
    if mode != "predict":
        for loss in (model._compile_loss.loss_objects() if model._compile_loss is not None else ()):
            if not _is_builtin(loss, "nanokeras.losses") or not _is_builtin(getattr(loss, "fn", None), "nanokeras.losses"):
                return f"the loss {getattr(loss, 'name', loss)!r} is code of the user's"
        regularizers = [v.regularizer for v in model.weights] + [
            layer.activity_regularizer for layer in model._flat_layers()]
        for regularizer in regularizers:
            if regularizer is not None and not (_is_builtin(regularizer, "nanokeras.regularizers")
                                                or _is_builtin(regularizer, "nanokeras.layers")):
                return f"the regularizer {regularizer!r} is code of the user's"
    return None


def _is_builtin(obj, package):
    """True for None or an object whose class (or, for a function, itself) comes from `package`."""
    if obj is None:
        return True
    module = obj.__module__ if callable(obj) and not isinstance(obj, type) and hasattr(obj, "__code__") \
        else type(obj).__module__
    return (module or "").startswith(package)


def _owner(cls, attribute):
    return next(klass for klass in cls.__mro__ if attribute in klass.__dict__)


def is_replayable(layer):
    """True when `layer`'s class vouches for its `call` (`_replayable = True`), and no subclass
    below that class has written a `call` (or another method it computes with, listed in
    `_replay_covers`) of its own since."""
    cls = type(layer)
    if not getattr(cls, "_replayable", False):
        return False
    vouching = _owner(cls, "_replayable")
    return all(issubclass(vouching, _owner(cls, method)) for method in getattr(cls, "_replay_covers", ("call",)))


def _batch_key(mode, batch):
    """What a program is specific to: the mode, which of x/y/sample_weight are given, the shapes."""
    if all(part is None or type(part) is np.ndarray for part in batch):  # the common case, cheaply
        return (mode,) + tuple(None if part is None else (part.shape, part.dtype.char) for part in batch)
    present = tuple(part is not None for part in batch)
    leaves = [leaf for leaf in flatten(batch) if leaf is not None]
    return (mode, present, repr(map_structure(lambda _: 0, batch))) + tuple(
        (leaf.shape, leaf.dtype.char) for leaf in leaves)


def _own_copy(batch):
    """Arrays the program owns, filled with the first batch (None stays None)."""
    return map_structure(lambda a: None if a is None else np.array(a, copy=True, order="C"), batch)


def _copy_into(buffers, batch):
    if all(type(part) is not dict and type(part) is not list and type(part) is not tuple for part in batch):
        for buffer, value in zip(buffers, batch):  # the common case: arrays (or None)
            if buffer is not None:
                np.copyto(buffer, value)
        return
    for buffer, value in zip(flatten(buffers), flatten(batch)):
        if buffer is not None:
            np.copyto(buffer, value)


def _as_constants(buffers):
    return map_structure(lambda a: None if a is None else Constant(a), buffers)


class CompiledSteps:
    """A model's compiled steps: one program per mode and batch shape, built on first use.

    `run(mode, batch)` does one step and returns what the tape path would have
    returned (nothing for train/test, the outputs for predict), or `NotImplemented`
    when this step must run on the tape (the reason is in `reason`).
    """

    def __init__(self, model):
        self.model = model
        self.programs = {}
        self.lanes = {}  # batch key -> predict programs replaying side by side (parallel_predict.py)
        self.tiny = None
        self.refresh()

    def refresh(self):
        """Re-reads why each mode would run on the tape (settings may have changed)."""
        from nanokeras.trainers.tiny_program import TinyPrograms

        self.reason = {mode: blocker(self.model, mode) for mode in MODES}
        if self.tiny is None:
            self.tiny = TinyPrograms(self.model)
        self.tiny.refresh(self.reason)

    def run_epoch(self, mode, batches):
        """A whole epoch of `batches` in one call of generated code (the tiny-model path, see
        trainers/tiny_program.py), or NotImplemented: then the caller runs the steps."""
        return self.tiny.run_epoch(mode, batches)

    def run(self, mode, batch):
        if self.reason[mode] is not None:
            return NotImplemented
        if self.tiny.reason[mode] is None and self.tiny.run_step(mode, batch) is not NotImplemented:
            return None
        batch = unpack_x_y_sample_weight(batch)
        key = _batch_key(mode, batch)
        program = self.programs.get(key)
        if program is not None and program.is_current():
            return program.run(batch)
        program = _PROGRAMS[mode](self.model, batch)
        outputs = program.first_step()
        if program.trace.replayable:
            self.programs[key] = program
        else:
            self.reason[mode] = "ops without a replay: " + ", ".join(sorted(set(program.trace.unreplayable_ops())))
        return outputs


class _Program:
    """What every mode shares: own input arrays, a trace, and a check that it still applies."""

    def __init__(self, model, batch):
        self.model = model
        self.buffers = _own_copy(batch)
        self.inputs = _as_constants(self.buffers)
        self.trace = None

    def _start_trace(self):
        # Layers read the variables' arrays when recorded: those arrays must stay the same
        # objects (updated in place) for the trace to stay valid; `is_current` checks it.
        self.version = layer_module.configuration_version()
        self.variables = [(v, v.value) for v in self.model.weights]

    def is_current(self):
        if layer_module.configuration_version() != self.version:
            return False
        for variable, array in self.variables:
            if variable.value is not array:
                return False
        return True


class _TrainProgram(_Program):
    def first_step(self):
        model = self.model
        x, y, sample_weight = self.inputs
        variables = model._step_variables or model.trainable_weights
        optimizer = model.optimizer
        if not optimizer.built:
            optimizer.build(variables)
        if optimizer._pack_pending:
            optimizer._pack_variables()  # moves the weights into one array: before recording them
        self._start_trace()
        if layer_module.extra_losses_in_use():
            model._clear_losses()
        with GradientTape() as tape:
            y_pred = model(x, training=True)
            loss = model._step_loss(x, y, y_pred, sample_weight, training=True)
            self.scaled_loss = optimizer.scale_loss(loss)  # (the loss itself without loss scaling)
        self.trace = Trace(tape)
        gradients = tape.gradient(self.scaled_loss, variables)
        self.loss, self.y_pred, self.variables_to_train = loss, y_pred, variables
        self.output_losses = model._compile_loss.last_output_losses
        self.batch_size = model._batch_size_of(self.buffers[0])
        model._apply_and_track(gradients, variables, loss, self.buffers[1], y_pred, self.buffers[2],
                               self.batch_size)

    def run(self, batch):
        _copy_into(self.buffers, batch)
        self.trace.forward()
        _track_output_losses(self.output_losses)
        gradients = self.trace.gradients(self.scaled_loss, self.variables_to_train)
        self.model._apply_and_track(gradients, self.variables_to_train, self.loss, self.buffers[1], self.y_pred,
                                    self.buffers[2], self.batch_size)


class _TestProgram(_Program):
    def first_step(self):
        model = self.model
        x, y, sample_weight = self.inputs
        self._start_trace()
        if layer_module.extra_losses_in_use():
            model._clear_losses()
        with GradientTape() as tape:
            y_pred = model(x, training=False)
            loss = model._step_loss(x, y, y_pred, sample_weight, training=False)
        self.trace = Trace(tape)
        self.loss, self.y_pred = loss, y_pred
        self.output_losses = model._compile_loss.last_output_losses
        self.batch_size = model._batch_size_of(self.buffers[0])
        model._track(loss, self.buffers[1], y_pred, self.buffers[2], self.batch_size)

    def run(self, batch):
        _copy_into(self.buffers, batch)
        self.trace.forward()
        _track_output_losses(self.output_losses)
        self.model._track(self.loss, self.buffers[1], self.y_pred, self.buffers[2], self.batch_size)


def _track_output_losses(output_losses):
    """What a multi-output loss does as it is computed: each output's loss tracker learns its value."""
    for tracker, value, size in output_losses:
        tracker.update_state(value_of(value), sample_weight=size)


class _PredictProgram(_Program):
    def first_step(self):
        self._start_trace()
        with GradientTape() as tape:
            self.outputs = self.model(self.inputs[0], training=False)
        self.trace = Trace(tape)
        return self._copied_outputs()

    def _copied_outputs(self):
        # The output arrays are rewritten by the next replay: the caller gets copies.
        return map_structure(lambda t: np.array(value_of(t)), self.outputs)

    def run(self, batch):
        _copy_into(self.buffers, batch)
        self.trace.forward()
        return self._copied_outputs()


_PROGRAMS = {"train": _TrainProgram, "test": _TestProgram, "predict": _PredictProgram}
