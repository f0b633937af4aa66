"""Training data that comes in batches: a Keras `Sequence`-like object or a Python generator.

Keras 2 code feeds `fit`, `evaluate` and `predict` with objects that make their own
batches: `ImageDataGenerator().flow(x, y)` (a `Sequence`: `len()` batches, `seq[i]`
is batch i, `on_epoch_end()` after each epoch) or a generator yielding `(x, y)`
tuples. Keras 3 takes both too (a `PyDataset`, a generator), and datasets (here the
`BatchedDataset`s of `keras.utils.text_dataset_from_directory` and
`timeseries_dataset_from_array`: iterated afresh each epoch, in their own order). Each
batch is checked and converted as arrays are (`to_numeric_array`), one batch at a time.
"""

import inspect

import numpy as np

from nanokeras.backend import random as backend_random
from nanokeras.trainers import data_adapter


def is_dataset(x):
    """True for the datasets of `keras.utils.*_dataset_from_*` (they carry a class mark)."""
    return bool(getattr(type(x), "_is_nanokeras_dataset", False))


def is_batch_source(x):
    """True for a `Sequence`-like object (`__len__` and `__getitem__`), an iterator/generator or a dataset."""
    if is_dataset(x):
        return True
    if x is None or isinstance(x, (np.ndarray, list, tuple, dict, str, bytes)) or hasattr(x, "to_numpy"):
        return False
    if hasattr(x, "shape") or hasattr(x, "__array__"):
        return False  # a Tensor/Variable or another array-like
    if inspect.isgenerator(x) or callable(getattr(x, "__next__", None)):
        return True
    return _is_sequence(x)


def _is_sequence(source):
    return callable(getattr(source, "__getitem__", None)) and (
        callable(getattr(source, "__len__", None)) or hasattr(type(source), "num_batches"))


def _count_batches(source):
    """`source.num_batches` for a PyDataset, else `len(source)`; None means endless."""
    if hasattr(type(source), "num_batches"):
        return source.num_batches
    return len(source)


class SourceBatches:
    """Batches from a `Sequence`-like object or a generator, with the interface of `ArrayBatches`.

    Args:
        source: the `Sequence`-like object or generator.
        model: the model the batches are for (decides whether inputs may be ints or strings).
        steps_per_epoch: batches per epoch; by default `len(source)`, or until a generator stops.
        shuffle: visit a `Sequence`'s batches in a new random order each epoch (as Keras does).
        class_weight: `{class: weight}`, turned into per-batch sample weights.
        argument: the argument's name, for error messages (`x`, `validation_data`).
        steps_argument: the name of the argument that sets `steps_per_epoch` in the user's
            call (`steps_per_epoch` for `fit`, `validation_steps`, `steps` for `evaluate`/`predict`).
    """

    def __init__(self, source, model, steps_per_epoch=None, shuffle=False, class_weight=None, argument="x",
                 steps_argument="steps_per_epoch"):
        self.source = source
        self.is_dataset = is_dataset(source)
        self.is_sequence = _is_sequence(source) and not self.is_dataset
        self.argument = argument
        self.steps_argument = steps_argument
        self.class_weight = class_weight
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
            # One pass per epoch; with `steps_per_epoch`, epochs take that many batches from one
            # running pass, restarted when it ends (as Keras does with a tf.data dataset).
            cardinality = source.cardinality()
            if cardinality == -1 and not steps_per_epoch:
                raise ValueError(f"`{argument}` repeats forever: pass `{steps_argument}` to say how many "
                                 "batches make an epoch.")
            self.num_batches = cardinality if cardinality >= 0 else None
            self._iterator = None
        else:
            self.num_batches = None
            self._iterator = iter(source)
        self.steps_per_epoch = steps_per_epoch or self.num_batches
        self._epoch = 0
        self._peeked = None

    # ------------------------------------------------------------ one batch
    def _raw(self, index):
        if self.is_sequence:
            return self.source[index]
        if self.is_dataset:
            # The pass the first epoch goes on with: a dataset is read once per epoch, the look
            # that builds the model included (a shuffled dataset's order is its first epoch's).
            if self._iterator is None:
                self._iterator = iter(self.source)
            return next(self._iterator)
        return next(self._iterator)

    def standardize(self, batch):
        """`(x,)`, `(x, y)` or `(x, y, sample_weight)` as checked arrays."""
        if isinstance(batch, list):
            batch = tuple(batch)
        if isinstance(batch, np.ndarray) or not isinstance(batch, tuple):
            batch = (batch,)
        if len(batch) not in (1, 2, 3):
            raise ValueError(
                f"Each batch of `{self.argument}` must be `x`, `(x, y)` or `(x, y, sample_weight)`; "
                f"got a tuple of {len(batch)} items."
            )
        x = data_adapter.map_structure(
            lambda value, name: data_adapter.to_numeric_array(
                value, name, allow_int=self._allow_int, allow_str=self._allow_str),
            batch[0], f"{self.argument} (batch x)")
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
                    weights, count, f"{self.argument} (batch sample_weight)"))
            elif self.class_weight is not None:
                result.append(data_adapter.class_weights_to_sample_weights(self.class_weight, y))
        return tuple(result)

    def first_batch(self):
        """The first batch (kept, and yielded first), to build the model before training."""
        if self._peeked is None:
            try:
                self._peeked = self.standardize(self._raw(0))
            except StopIteration:
                raise ValueError(f"`{self.argument}` produced no batches.") from None
        return self._peeked

    # ------------------------------------------------------------ one epoch
    def batches(self):
        """Yields the epoch's batches (`steps_per_epoch` of them); then ends the epoch."""
        if callable(getattr(self.source, "on_epoch_begin", None)):
            self.source.on_epoch_begin()
        if self.is_sequence:
            endless = self.num_batches is None
            order = None if endless else np.arange(self.num_batches)
            if self.shuffle and not endless:
                backend_random.global_generator().shuffle(order)
            for step in range(self.steps_per_epoch):
                index = self._epoch * self.steps_per_epoch + step if endless else int(order[step % self.num_batches])
                if self._peeked is not None and index == 0:
                    batch, self._peeked = self._peeked, None
                else:
                    batch = self.standardize(self.source[index])
                yield batch
            if callable(getattr(self.source, "on_epoch_end", None)):
                self.source.on_epoch_end()
        elif self.is_dataset:
            fixed = self.steps_per_epoch if self.steps_per_epoch != self.num_batches else None
            if self._peeked is not None:
                batch, self._peeked = self._peeked, None
                yield batch
                produced = 1
            else:
                produced = 0
            if fixed is None:
                passing = self._iterator if self._iterator is not None else iter(self.source)
                self._iterator = None
                for batch in passing:
                    yield self.standardize(batch)
            else:
                for _ in range(fixed - produced):
                    if self._iterator is None:
                        self._iterator = iter(self.source)
                    try:
                        batch = next(self._iterator)
                    except StopIteration:
                        self._iterator = None
                        break
                    yield self.standardize(batch)
        else:
            produced = 0
            while self.steps_per_epoch is None or produced < self.steps_per_epoch:
                if self._peeked is not None:
                    batch, self._peeked = self._peeked, None
                else:
                    try:
                        batch = self.standardize(next(self._iterator))
                    except StopIteration:
                        if produced == 0:
                            raise ValueError(
                                f"`{self.argument}` ran out of batches at epoch {self._epoch + 1}: a generator "
                                "is read once, not restarted for each epoch. Make it loop forever (`while True:` "
                                f"around its loop) and pass `{self.steps_argument}` (its batches per epoch)."
                            ) from None
                        break
                produced += 1
                yield batch
        self._epoch += 1


def _check_no_arrays_beside(source_argument, **others):
    for name, value in others.items():
        if value is not None:
            raise ValueError(
                f"`{name}` cannot be passed when `{source_argument}` is a Sequence, generator or dataset: "
                "its batches already hold the labels (and weights)."
            )


def prepare_validation(model, source, steps, argument="validation_data"):
    """Validation (or evaluation) batches from a source; the model is built on its first batch."""
    steps_argument = "validation_steps" if argument == "validation_data" else "steps"
    batches = SourceBatches(source, model, steps_per_epoch=steps, argument=argument, steps_argument=steps_argument)
    first = batches.first_batch()
    if len(first) < 2:
        raise ValueError(f"The batches of `{argument}` must hold labels: `(x, y)` or `(x, y, sample_weight)`.")
    model._prepare_for_training(first[0], first[1], prefix=f"{argument} ")
    return batches


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
    first = batches.first_batch()
    if len(first) < 2:
        raise ValueError("The batches of `x` must hold labels for training: `(x, y)` or `(x, y, sample_weight)`.")
    model._prepare_for_training(first[0], first[1])
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
