"""Training data that comes in batches: a `PyDataset`/`Sequence`, a generator, or any iterable.

`fit`, `evaluate` and `predict` take, besides arrays, objects that make their own batches:

- a `keras.utils.PyDataset` (Keras 2: `Sequence`, e.g. `ImageDataGenerator().flow(x, y)`):
  `len()` batches, `ds[i]` is batch i, `on_epoch_end()` after each epoch; with `workers`
  or `use_multiprocessing` its batches are read ahead (see `prefetch.py`);
- a Python generator or iterator: read on across epochs (an endless one needs `steps_per_epoch`);
- a dataset of `keras.utils.text_dataset_from_directory`, `timeseries_dataset_from_array`...
  (a `BatchedDataset`): iterated afresh each epoch, in its own order;
- any other iterable, read anew each epoch: a `tf.data.Dataset`, a PyTorch `DataLoader`, a
  list-like object with `__iter__` (nanokeras never imports TensorFlow or PyTorch itself:
  their batches are read through `__iter__` and `__array__`).

When a source that is not a Sequence runs out, the epoch ends there with a warning, as in
Keras (`SourceBatches._iterated_batches` says exactly when a new pass starts). Keras looks at a
generator's first two batches before training and replays them at the start of every new pass:
so a generator that ends gives later epochs those two batches again, and each validation (which
starts a new pass) reads them first.

Each batch is `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` and is checked and converted
as arrays are (`to_numeric_array`), one batch at a time. A batch that cannot be used stops
training with an error that names it; the weights are then those after the last complete step.
"""

import inspect
import itertools
import random
import warnings

import numpy as np

from nanokeras.trainers import data_adapter
from nanokeras.trainers.prefetch import BatchReadError, prefetched


def is_dataset(x):
    """True for the datasets of `keras.utils.*_dataset_from_*` (they carry a class mark)."""
    return bool(getattr(type(x), "_is_nanokeras_dataset", False))


def is_batch_source(x):
    """True for a `Sequence`-like object, an iterator/generator, a dataset, or another iterable of batches."""
    if is_dataset(x):
        return True
    if x is None or isinstance(x, (np.ndarray, list, tuple, dict, str, bytes)) or hasattr(x, "to_numpy"):
        return False
    if hasattr(x, "shape") or hasattr(x, "__array__"):
        return False  # a Tensor/Variable or another array-like
    if inspect.isgenerator(x) or callable(getattr(x, "__next__", None)):
        return True
    return is_sequence(x) or callable(getattr(x, "__iter__", None))


def is_sequence(source):
    """True for a `Sequence`/`PyDataset`-like source: batches read by index."""
    return callable(getattr(source, "__getitem__", None)) and (
        callable(getattr(source, "__len__", None)) or hasattr(type(source), "num_batches"))


def _count_batches(source):
    """`source.num_batches` for a PyDataset, else `len(source)`; None means endless."""
    if hasattr(type(source), "num_batches"):
        return source.num_batches
    return len(source)


def _known_length(source):
    """The number of batches a re-iterable source gives per pass, or None (unknown or endless)."""
    cardinality = getattr(source, "cardinality", None)
    if callable(cardinality):  # tf.data.Dataset: -1 infinite, -2 unknown
        count = int(np.asarray(cardinality()))
        return count if count >= 0 else None
    try:
        return len(source)
    except TypeError:
        return None


def _is_endless(source):
    cardinality = getattr(source, "cardinality", None)
    return callable(cardinality) and int(np.asarray(cardinality())) == -1


def _describe_error(argument, index, epoch, error):
    return f"Could not use batch {index} of `{argument}` (epoch {epoch + 1}): {error}"


def _reraise(error, message):
    """`error`'s type with `message` when it can be made, else a ValueError; chained to `error`."""
    try:
        new = type(error)(message)
    except Exception:
        new = ValueError(message)
    raise new from error


class SourceBatches:
    """Batches from a `Sequence`-like object, an iterator or an iterable, with `ArrayBatches`' interface.

    Args:
        source: the `Sequence`-like object, generator/iterator or iterable.
        model: the model the batches are for (decides whether inputs may be ints or strings).
        steps_per_epoch: batches per epoch; by default one pass over the source.
        shuffle: visit a `Sequence`'s batches in a new random order each epoch (as Keras does).
        class_weight: `{class: weight}`, turned into per-batch sample weights.
        argument: the argument's name, for error messages (`x`, `validation_data`).
        steps_argument: the name of the argument that sets `steps_per_epoch` in the user's
            call (`steps_per_epoch` for `fit`, `validation_steps`, `steps` for `evaluate`/`predict`).
    """

    def __init__(self, source, model, steps_per_epoch=None, shuffle=False, class_weight=None, argument="x",
                 steps_argument="steps_per_epoch"):
        self.source = source
        self.model = model
        self.argument = argument
        self.steps_argument = steps_argument
        self.class_weight = class_weight
        self.is_dataset = is_dataset(source)
        self.is_sequence = is_sequence(source) and not self.is_dataset
        self.is_iterator = not self.is_sequence and (inspect.isgenerator(source)
                                                     or callable(getattr(source, "__next__", None)))
        self.shuffle = bool(shuffle) and self.is_sequence
        self._allow_int = model._accepts_integer_inputs()
        self._allow_str = data_adapter.takes_string_inputs(model)
        if self.is_sequence:
            self.num_batches = _count_batches(source)
            if self.num_batches == 0:
                raise ValueError(f"`{argument}` has no batches (its len() is 0).")
            if self.num_batches is None and not steps_per_epoch:
                raise ValueError(f"`{argument}` is endless (num_batches is None): pass `{steps_argument}`.")
        elif self.is_dataset:
            cardinality = source.cardinality()
            if cardinality == -1 and not steps_per_epoch:
                raise ValueError(f"`{argument}` repeats forever: pass `{steps_argument}` to say how many "
                                 "batches make an epoch.")
            self.num_batches = cardinality if cardinality >= 0 else None
        elif self.is_iterator:
            self.num_batches = None
        else:
            self.num_batches = _known_length(source)
            if self.num_batches is None and _is_endless(source) and not steps_per_epoch:
                raise ValueError(f"`{argument}` repeats forever: pass `{steps_argument}` to say how many "
                                 "batches make an epoch.")
        self.steps_per_epoch = steps_per_epoch or self.num_batches
        self._steps_asked = steps_per_epoch
        self._running_pass = (data_adapter.RunningPass(self.num_batches, steps_per_epoch)
                              if steps_per_epoch is not None and self.is_sequence and self.num_batches else None)
        self._epoch = 0
        self._peeked = None
        # A Sequence's hooks run as Keras runs them: a run that must build the model first looks
        # at the data in a pass of its own (`first_batch`); evaluation passes (`ends_before_each_pass`)
        # begin with an `on_epoch_end`; `check_first` checks the first batch read, when no look did.
        self.ends_before_each_pass = False
        self.check_first = None
        self._looked = None
        self._ends_owed = True
        # Not a Sequence: a pass is one iterator over the source. `_head` holds a generator's
        # first batches (read before training, replayed at the start of every pass); `_pass` is
        # the running pass, `_pass_first` a batch of it already read (to build the model) and
        # still to be yielded; `_length` the batches per pass, once known; `_taken` the batches
        # taken from the running pass.
        self._head = None
        self._pass = None
        self._pass_first = None
        self._length = self.num_batches
        self._taken = 0

    def restart(self):
        """The next epoch starts a new pass (what `evaluate` does with its data, as Keras); a
        Sequence's evaluation pass starts with an `on_epoch_end` there, as Keras's."""
        if self.is_sequence and self.ends_before_each_pass:
            if self._ends_owed:
                self._hook("on_epoch_end")
            self._ends_owed = True  # (a look ended with one already: the first pass owes none)
        if self._running_pass is not None:
            self._running_pass.restart()
        if self._pass_first is None:
            self._pass = None
        self._taken = 0
        self._length = self.num_batches

    # ------------------------------------------------------------ one batch
    def standardize(self, batch, index=0):
        """`(x,)`, `(x, y)` or `(x, y, sample_weight)` as checked arrays; errors name batch `index`."""
        try:
            return self._standardize(batch)
        except (ValueError, TypeError) as error:
            _reraise(error, _describe_error(self.argument, index, self._epoch, error))

    def _standardize(self, batch):
        if isinstance(batch, list):
            batch = tuple(batch)
        if not isinstance(batch, tuple):
            batch = (batch,)
        if len(batch) not in (1, 2, 3):
            raise ValueError(
                f"each batch must be `x`, `(x, y)` or `(x, y, sample_weight)`; got a tuple of {len(batch)} items."
            )
        x = data_adapter.map_structure(
            lambda value, name: data_adapter.to_numeric_array(
                value, name, allow_int=self._allow_int, allow_str=self._allow_str),
            batch[0], f"{self.argument} (batch x)")
        if isinstance(x, np.ndarray) and self.model.built and x.dtype.kind not in "USO":
            from nanokeras.trainers.validation import check_features

            x = check_features(self.model, x, f"{self.argument} (batch x)")
        result = [x]
        count = data_adapter.first_leaf(x).shape[0]
        if len(batch) > 1 and batch[1] is not None:
            y = data_adapter.map_structure(data_adapter.to_numeric_array, batch[1], f"{self.argument} (batch y)")
            named = data_adapter.named_leaves(x, "x")
            named.update(data_adapter.named_leaves(y, "y"))
            data_adapter.check_same_length(named)
            result.append(y)
            weights = batch[2] if len(batch) == 3 else None
            if weights is not None:
                if self.class_weight is not None:
                    raise ValueError("`class_weight` and per-batch sample weights cannot be used together.")
                result.append(data_adapter.standardize_sample_weight(
                    weights, count, f"{self.argument} (batch sample_weight)", y))
            elif self.class_weight is not None:
                result.append(data_adapter.class_weights_to_sample_weights(self.class_weight, y))
        return tuple(result)

    def _read(self, index):
        """Batch `index` of a Sequence, with errors of the user's `__getitem__` naming it."""
        try:
            return self.source[index]
        except Exception as error:
            _reraise(error, _describe_error(self.argument, index, self._epoch, error))

    def _next(self, iterator, index):
        """The next raw batch of an iterator (StopIteration passes through), errors naming it."""
        try:
            return next(iterator)
        except StopIteration:
            raise
        except Exception as error:
            _reraise(error, _describe_error(self.argument, index, self._epoch, error))

    def _hook(self, name):
        hook = getattr(self.source, name, None)
        if callable(hook):
            hook()

    def needs_no_look(self):
        """What Keras does before a run on a Sequence when the model needs no building: one
        `on_epoch_end` (and no read); the run's first batch is checked as it is read."""
        if self.is_sequence and not self.ends_before_each_pass:
            self._hook("on_epoch_end")

    def first_batch(self):
        """The first batch, to build the model before training. A Sequence's is read in a look of
        its own, as Keras's (`on_epoch_begin`, batch 0, `on_epoch_end`), and read again in the
        run; a generator's or dataset's is not read again."""
        if self.is_sequence:
            if self._looked is None:
                self._hook("on_epoch_begin")
                raw = self._read(0)
                self._hook("on_epoch_end")
                self._looked = self.standardize(raw, 0)
                self._ends_owed = False
            return self._looked
        if self._peeked is None:
            if self.is_iterator:
                # Keras reads a generator's first two batches before training and replays them.
                self._head = []
                for index in range(2):
                    try:
                        self._head.append(self._next(self.source, index))
                    except StopIteration:
                        break
                if not self._head:
                    raise ValueError(f"`{self.argument}` produced no batches.")
                raw = self._head[0]
            else:
                self._pass = iter(self.source)
                try:
                    raw = self._next(self._pass, 0)
                except StopIteration:
                    raise ValueError(f"`{self.argument}` produced no batches.") from None
            self._peeked = self.standardize(raw, 0)
            if not self.is_iterator:
                self._pass_first = self._peeked  # the pass goes on after it
        return self._peeked

    # ------------------------------------------------------------ one epoch
    def batches(self):
        """Yields the epoch's batches (`steps_per_epoch` of them); then ends the epoch."""
        self._hook("on_epoch_begin")
        if self.is_sequence:
            yield from self._sequence_batches()
            self._hook("on_epoch_end")
        else:
            yield from self._iterated_batches()
        self._epoch += 1

    def _epoch_indices(self):
        if self.num_batches is None:  # endless: consecutive indices across epochs
            start = self._epoch * self.steps_per_epoch
            return list(range(start, start + self.steps_per_epoch))
        if self._running_pass is None:
            return [int(i) for i in self._pass_order()]
        order, batches = self._running_pass.take(self._pass_order)
        return [int(order[i]) for i in batches]

    def _pass_order(self):
        order = list(range(self.num_batches))
        if self.shuffle:
            random.shuffle(order)  # Python's generator, as Keras shuffles a PyDataset's batches
        return order

    def draw_discarded_peek(self):
        """Draws what Keras draws when it peeks at a first batch before `fit` (see ArrayBatches)."""
        if self.shuffle and self.num_batches is not None:
            self._pass_order()

    def _sequence_batches(self):
        indices = self._epoch_indices()
        peeked, self._peeked = self._peeked, None
        # Batch 0 was read already (to build the model): its first use this epoch is not read again.
        reuse_at = indices.index(0) if peeked is not None and 0 in indices else None
        to_read = [index for position, index in enumerate(indices) if position != reuse_at]
        workers = getattr(self.source, "workers", 1) or 1
        multiprocess = bool(getattr(self.source, "use_multiprocessing", False))
        if workers > 1 or multiprocess:
            reads = prefetched(self.source, to_read, workers, multiprocess,
                               getattr(self.source, "max_queue_size", 10))
        else:
            reads = (self._read(index) for index in to_read)
        try:
            for position, index in enumerate(indices):
                if position == reuse_at:
                    yield peeked
                    continue
                try:
                    raw = next(reads)
                except BatchReadError as error:
                    _reraise(error.error, _describe_error(self.argument, error.index, self._epoch, error.error))
                batch = self.standardize(raw, index)
                if self.check_first is not None:
                    check, self.check_first = self.check_first, None
                    check(batch)
                yield batch
        finally:
            close = getattr(reads, "close", None)
            if close is not None:
                close()

    def _new_pass(self):
        """A new iterator over the source: a generator's replays the batches read first."""
        self._taken = 0
        if self._pass_first is not None:
            return self._pass  # the pass that built the model, its first batch still to come
        if self.is_iterator:
            return itertools.chain(self._head or (), self.source)
        return iter(self.source)

    def _take(self, iterator, index):
        """The pass's next batch, standardized, or None when it has run out."""
        if self._pass_first is not None:
            batch, self._pass_first = self._pass_first, None
            return batch
        try:
            raw = self._next(iterator, index)
        except StopIteration:
            return None
        if self.is_iterator and self._head and raw is self._head[0] and self._peeked is not None:
            return self._peeked
        return self.standardize(raw, index)

    def _iterated_batches(self):
        # Keras's rule (trainers/epoch_iterator.py). With `steps_per_epoch`, epochs take that many
        # batches from one running pass; without, each epoch is a new pass. A pass of a known
        # length (a dataset's cardinality, len()) ends the epoch early when it is used up (with
        # a warning if steps were asked for), and the next epoch starts a new pass. A source that
        # stops before its known end (a generator, a dataset of unknown length) ends the epoch
        # with a warning; its length is then taken as known (the batches read + 1, as Keras
        # counts), and the next epoch starts a new pass.
        steps = self._steps_asked or self._length
        if steps:
            if self._pass is None or self._steps_asked is None:
                self._pass = self._new_pass()
            for step in range(steps):
                if self._length and self._taken >= self._length:
                    if self._steps_asked:
                        self._warn_ran_out(step)
                    break
                self._taken += 1
                batch = self._take(self._pass, step)
                if batch is None:
                    self._ran_out(step)
                    return
                yield batch
            if self._length and self._taken >= self._length:
                self._pass = None
                self._taken = 0
            return
        self._pass = self._new_pass()
        step = 0
        while True:
            self._taken = step + 1
            batch = self._take(self._pass, step)
            if batch is None:
                self._ran_out(step)
                return
            yield batch
            step += 1

    def _ran_out(self, step):
        if self._taken == 1:  # a new pass gave nothing: the source cannot be read again
            raise ValueError(
                f"`{self.argument}` gave no batches when read anew (epoch {self._epoch + 1}): it can be iterated only "
                f"once. Repeat the dataset, or pass a `{self.steps_argument}` that one pass can provide.")
        if self._length is None:
            self._length = self._taken
        self._pass = None
        self._pass_first = None
        # Keras warns for its own kinds (a generator, a tf.data dataset); an iterable it does not
        # take (a plain object with `__iter__`) just ends its pass, unless steps were asked for.
        if self._steps_asked or self.is_iterator or callable(getattr(self.source, "cardinality", None)):
            self._warn_ran_out(step)

    def _warn_ran_out(self, step):
        where = f" of epoch {self._epoch + 1}" if self.steps_argument == "steps_per_epoch" else ""
        ended = (f"`{self.argument}` ran out of data after {step} batch(es){where}: as in Keras, the epoch (or "
                 "evaluation) ends there, and the next one reads a new pass.")
        if self.is_iterator:
            warnings.warn(
                f"{ended} A generator is not restarted: a new pass replays only the first batches read before "
                f"training. Make it loop forever (`while True:` around its loop) and pass `{self.steps_argument}` "
                "(its batches per epoch).", UserWarning, stacklevel=5)
        else:
            warnings.warn(
                f"{ended} To use each batch once per epoch, leave `{self.steps_argument}` unset; to take that many "
                "steps every epoch, repeat the dataset (`.repeat()`).", UserWarning, stacklevel=5)


def _check_no_arrays_beside(source_argument, **others):
    for name, value in others.items():
        if value is not None:
            raise ValueError(
                f"`{name}` cannot be passed when `{source_argument}` is a Sequence, generator or dataset: "
                "its batches already hold the labels (and weights)."
            )


def _reads_batches_without_labels(model):
    """As with arrays (`fit(x)`): batches of x alone suit a model trained by its own `train_step`
    with no `call` (keras.io's DCGAN on `image_dataset_from_directory(label_mode=None)`), or on its
    `add_loss` losses alone (nothing compiled to compare with labels)."""
    if not model._defines_call():
        return True
    compile_loss = getattr(model, "_compile_loss", None)
    return (compile_loss is not None and compile_loss.is_empty
            and not (model._metrics_spec or model._weighted_metrics_spec))


def _needs_a_look(model):
    """True when a run must build the model or its compiled metrics on a batch first."""
    metrics = getattr(model, "_compile_metrics", None)
    return not model.built or metrics is None or metrics.entries is None


def prepare_validation(model, source, steps, argument="validation_data"):
    """Validation (or evaluation) batches from a source; the model is built on its first batch."""
    steps_argument = "validation_steps" if argument == "validation_data" else "steps"
    batches = SourceBatches(source, model, steps_per_epoch=steps, argument=argument, steps_argument=steps_argument)
    batches.ends_before_each_pass = True

    def check(first):
        if len(first) < 2 and _reads_batches_without_labels(model):
            model._prepare_for_training(first[0], None, prefix=f"{argument} ")
            return
        if len(first) < 2:
            raise ValueError(f"The batches of `{argument}` must hold labels: `(x, y)` or `(x, y, sample_weight)`.")
        model._prepare_for_training(first[0], first[1], prefix=f"{argument} ")

    if batches.is_sequence and not _needs_a_look(model):
        batches.check_first = check
    else:
        check(batches.first_batch())
    return batches


def _kind_that_ignores_shuffle(source, batches):
    """What `source` is, when `fit(shuffle=True)` cannot reorder its batches and Keras 3 warns so:
    a generator, a dataset (nanokeras's or tf.data's), a torch DataLoader or an endless PyDataset."""
    if inspect.isgenerator(source):
        return "a generator"
    kind = type(source)
    if batches.is_dataset or (kind.__module__.startswith("tensorflow") and hasattr(source, "cardinality")):
        return "a dataset"
    if kind.__name__ == "DataLoader" and kind.__module__.startswith("torch"):
        return "a torch DataLoader"
    if batches.is_sequence and batches.num_batches is None:
        return "an endless PyDataset (its num_batches is None)"
    return None


def prepare_fit(model, x, y, sample_weight, class_weight, validation_data, validation_split, shuffle,
                steps_per_epoch, validation_steps):
    """The training batches and the validation data (batches, arrays or None) for `fit(source)`."""
    _check_no_arrays_beside("x", y=y, sample_weight=sample_weight)
    if validation_split:
        raise ValueError(
            "`validation_split` needs arrays: it cannot split a Sequence, generator or dataset. "
            "Pass `validation_data` instead."
        )
    batches = SourceBatches(x, model, steps_per_epoch=steps_per_epoch, shuffle=shuffle, class_weight=class_weight)
    unshuffled = _kind_that_ignores_shuffle(x, batches)
    if shuffle and unshuffled:
        warnings.warn(
            f"`shuffle={shuffle!r}` has no effect: `x` is {unshuffled}, whose batches come in the order "
            "it makes them, so shuffle them there (`shuffle=False` silences this warning).",
            UserWarning, stacklevel=4)  # at the user's `fit` call

    def check(first):
        if len(first) < 2 and _reads_batches_without_labels(model):
            model._prepare_for_training(first[0], None)
            return
        if len(first) < 2:
            raise ValueError("The batches of `x` must hold labels for training: `(x, y)` or `(x, y, sample_weight)`.")
        model._prepare_for_training(first[0], first[1])

    if batches.is_sequence and not _needs_a_look(model):
        batches.needs_no_look()
        batches.check_first = check
    else:
        check(batches.first_batch())
    validation = None
    if validation_data is not None:
        if is_batch_source(validation_data):
            validation = prepare_validation(model, validation_data, validation_steps)
        else:
            val_x, val_y, val_w = data_adapter.unpack_x_y_sample_weight(tuple(validation_data))
            val_x, val_y, val_w = model._prepare(val_x, val_y, val_w, prefix="validation_data ")
            val_y = model._prepare_for_training(val_x, val_y, prefix="validation_data ")
            validation = (val_x, val_y, val_w)
    return batches, validation
