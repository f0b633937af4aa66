"""The tiny-model path: a training or test epoch as generated Python code on scalars.

For a model as small as the tutorial's perceptron (`Dense(1, sigmoid)` on 2 features), a
numpy call costs far more than the arithmetic it does: a step is ten multiply-adds. So
when every array of a step is tiny, `fit` writes the step out as Python code on floats
and runs that instead of numpy calls:

1. the step is recorded once on a `GradientTape` (as the compiled step records it, with
   the batch as `Constant`s), without changing any state;
2. every recorded op is written out element by element by its scalar emitter
   (`scalar_ops.EMITTERS`), then the gradients walking the nodes backwards, then the
   optimizer's update and the metrics' updates (`scalar_updates`);
3. the lines become one function per mode, looping over the epoch's batches: weights,
   slots and metric totals are locals, loaded from their arrays when the function is
   called and written back when it returns.

With no callback watching batches, one call runs a whole epoch (or a whole validation
pass); otherwise one call runs one step. Every value numpy rounds to float32 is rounded
to float32 here too (`scalar_code.Code.let`), so the results equal the tape path's
within 1e-6 (`tests/trainers/test_tiny_program.py` trains every covered combination
both ways). The source is `model._compiled_source` (or `tiny_source(model)`).

What is covered (anything else runs on the compiled step, with the reason in
`model.tiny_program_reason`): Sequential/functional stacks of `Dense` layers (linear,
sigmoid, tanh, relu, softmax); the losses built from the ops in `scalar_ops.EMITTERS`
(mean squared/absolute error, binary, categorical and sparse categorical cross-entropy,
from probabilities or logits, any reduction but "mean_with_sample_weight"); the metrics
in `scalar_updates.METRICS`; SGD (momentum, Nesterov), Adam (AMSGrad), RMSprop (momentum,
centered) and Adagrad with a fixed learning rate (a `Variable`, so `ReduceLROnPlateau`
works) and no clipping, decay or EMA; sample and class weights. A step qualifies when its
arrays (batch, labels, weights, every recorded value) hold at most `TINY_LIMIT` scalars
together: beyond that the Python loop costs more than numpy's calls.
"""

import numpy as np

from nanokeras.trainers import data_adapter
from nanokeras.trainers import scalar_updates
from nanokeras.trainers.scalar_code import Unsupported
from nanokeras.trainers.scalar_program import ScalarProgram

# The most scalars a step's arrays may hold together (batch, labels, sample weights,
# weights, every recorded value) for the generated code to beat numpy's calls.
TINY_LIMIT = 256
# Round every intermediate value to float32 as numpy does (True), or only the values that
# persist or decide something: weights, slots, metric totals, layer outputs, losses (False,
# the default: ~30% faster on the tutorial's step, and as close to the tape, see
# tests/trainers/test_tiny_program.py, which runs both).
ROUND_EVERY_VALUE = False
# Training data up to this many elements is converted to Python rows once per fit and an
# epoch is one call; larger data is gathered per call, `CHUNK_SAMPLES` samples at a time
# (the Python rows take ~15x the memory of the array).
CACHED_ELEMENTS = 1 << 16
CHUNK_SAMPLES = 4096
# Layer classes whose call records only ops with emitters and changes no state.
_LAYERS = ("Dense", "InputLayer")


def blocker(model, mode):
    """Why `model`'s `mode` ("train"/"test") epoch cannot be generated (a sentence), or None.
    Shapes are checked later, when a program is built."""
    if mode not in ("train", "test"):
        return "the tiny path covers training and evaluation"
    for layer in model._flat_layers():
        if type(layer).__name__ not in _LAYERS or not type(layer).__module__.startswith("nanokeras.layers"):
            return f"layer {layer.name!r} ({type(layer).__name__}) is not one the tiny path covers (Dense)"
        if getattr(layer, "activity_regularizer", None) is not None:
            return f"layer {layer.name!r} has an activity regularizer"
    for variable in model.weights:
        if getattr(variable, "regularizer", None) is not None:
            return f"the weight {variable.name!r} has a regularizer"
    compiled_loss = model._compile_loss
    if compiled_loss is None or compiled_loss.single is None or compiled_loss.single[0] is None:
        return "the tiny path covers one compiled loss on one output"
    if getattr(compiled_loss.single[0], "reduction", None) == "mean_with_sample_weight":
        return "the loss reduction 'mean_with_sample_weight' has no scalar code"
    if type(model._loss_tracker).__name__ != "Mean":
        return "the loss tracker is not a plain Mean"
    for metric in model._compile_metrics.metrics if model._compile_metrics is not None else ():
        reason = scalar_updates.metric_blocker(metric)
        if reason is not None:
            return reason
    if mode == "train":
        return scalar_updates.optimizer_blocker(model.optimizer, model.trainable_weights)
    return None


class TinyPrograms:
    """A model's generated epochs, one per mode and batch layout, built on first use.

    `run_epoch(mode, batches)` runs a whole epoch of `data_adapter.ArrayBatches`;
    `run_step(mode, batch)` one step. Both return NotImplemented when the model (or this
    batch layout) is not covered; the reason is in `reason[mode]`.
    """

    def __init__(self, model):
        self.model = model
        self.programs = {}
        self.reason = {}
        self.sources = {}  # mode -> the source of the program built last for it
        self.refresh()

    @property
    def source(self):
        """The generated source of the latest programs (training, then evaluation), or None."""
        parts = [self.sources[mode] for mode in ("train", "test") if mode in self.sources]
        return "\n\n".join(parts) if parts else None

    def refresh(self, compiled_reasons=None):
        compiled_reasons = compiled_reasons or {}
        self.reason = {}
        for mode in ("train", "test", "predict"):
            self.reason[mode] = compiled_reasons.get(mode) or blocker(self.model, mode)
        self._rows = {}

    # ----------------------------------------------------------------- running
    def run_epoch(self, mode, batches):
        if self.reason.get(mode) is not None or not _plain_batches(batches):
            return NotImplemented
        x, y, sample_weight = (tuple(batches.arrays) + (None, None))[:3]
        n = batches.num_samples
        size = min(batches.batch_size, n)  # one batch of all the data when it is smaller
        program = self._program(mode, (x, y, sample_weight), size, n % size)
        if program is None:
            return NotImplemented
        order = batches._epoch_order()  # the same draw of the generator as the batch loop's
        arrays = (x, y, sample_weight)
        if x.size <= CACHED_ELEMENTS:  # small data: its rows once per fit, one call per epoch
            refused = program.run([self._rows_of(a) for a in arrays],
                                  range(n) if order is None else order.tolist(), n - n % size)
            done = 0 if refused is not None else n
        else:  # large data: calls on chunks of whole batches, their rows gathered in order
            chunk = max(CHUNK_SAMPLES // size, 1) * size
            done, refused = 0, None
            while done < n and refused is None:
                indices = np.arange(done, min(done + chunk, n)) if order is None else order[done:done + chunk]
                rows = [None if a is None else _rows(a[indices]) for a in arrays]
                count = len(indices)
                refused = program.run(rows, range(count), count - count % size)
                done += count if refused is None else 0
        if refused is None:
            return None
        # The scalar code met a value Python refuses (a division by zero, a log of a
        # negative): nothing of that call was written back; the rest of the epoch runs on
        # the other path.
        self.reason[mode] = refused
        run = self.model._train_batch if mode == "train" else self.model._test_batch
        present = tuple(a for a in arrays if a is not None)
        for start in range(done, n, size):
            run(batches._batch(present, order, start, start + size))
        return None

    def run_step(self, mode, batch):
        if self.reason.get(mode) is not None:
            return NotImplemented
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(batch)
        if type(x) is not np.ndarray or type(y) is not np.ndarray or (
                sample_weight is not None and type(sample_weight) is not np.ndarray):
            return NotImplemented
        size = x.shape[0]
        program = self._program(mode, (x, y, sample_weight), size, 0)
        if program is None:
            return NotImplemented
        rows = [None if a is None else _rows(a) for a in (x, y, sample_weight)]
        refused = program.run(rows, range(size), size)
        if refused is None:
            return None
        self.reason[mode] = refused
        return NotImplemented

    def _rows_of(self, array):
        """`array`'s samples as Python lists, converted once per `fit` (the data does not change)."""
        if array is None:
            return None
        found = self._rows.get(id(array))
        if found is None or found[0] is not array:
            found = self._rows[id(array)] = (array, _rows(array))
        return found[1]

    def _program(self, mode, arrays, size, remainder):
        x, y, sample_weight = arrays
        if type(x) is not np.ndarray or x.dtype != np.float32 or type(y) is not np.ndarray:
            self.reason[mode] = "the tiny path takes one float32 input array and one label array"
            return None
        key = (mode, size, remainder, x.shape[1:], y.shape[1:], y.dtype.char, sample_weight is not None)
        program = self.programs.get(key)
        if program is not None and program.is_current():
            return program
        try:
            program = ScalarProgram(self.model, mode, arrays, size, remainder, TINY_LIMIT, ROUND_EVERY_VALUE)
        except Unsupported as reason:
            self.reason[mode] = str(reason)
            return None
        self.programs[key] = program
        self.sources[mode] = program.source
        return program


def tiny_source(model):
    """The generated source `model`'s last `fit`/`evaluate` ran (None when it ran none).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
        >>> model.compile(keras.optimizers.SGD(0.2), "binary_crossentropy")
        >>> _ = model.fit(np.zeros((4, 2), "float32"), np.zeros(4), batch_size=1, verbose=0)
        >>> print(tiny_source(model).splitlines()[0])
        def train(X, Y, W, order, full, lr, it):
    """
    steps = getattr(model, "_compiled_steps", None)
    return None if steps is None or steps.tiny is None else steps.tiny.source


def _plain_batches(batches):
    return (type(batches) is data_adapter.ArrayBatches and not batches.structured
            and batches.steps_per_epoch == batches.num_batches and len(batches.arrays) >= 2
            and batches.num_samples > 0)


def _rows(array):
    """Per-sample rows of Python numbers (floats of float32 values are exact)."""
    if array.ndim == 1:
        return [[v] for v in array.tolist()]
    return array.reshape(array.shape[0], -1).tolist()
