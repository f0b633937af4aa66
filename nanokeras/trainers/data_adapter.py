"""Turning user data into validated float32 arrays, then into batches.

Everything is checked once, when `fit`/`evaluate`/`predict` starts: a training
step then slices ready arrays (views, no copies) and checks nothing.
"""

import math
import warnings

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import InvalidDtypeError
from nanokeras.ops.tensor import value_of
from nanokeras.utils import keras2_notes


KERAS3_TEXT = "keras3"


def takes_string_inputs(model):
    """Whether the model reads arrays of strings: False; True when its first layer maps strings
    to numbers (e.g. `StringLookup`; noted as Keras 2); `KERAS3_TEXT` when Keras 3 reads them
    too (a `"string"` `Input`, or a first layer such as `TextVectorization`, TensorFlow backend)."""
    if any(getattr(t, "dtype", None) == "string" for t in getattr(model, "inputs", None) or []):
        return KERAS3_TEXT
    layers = getattr(model, "layers", None)
    if not layers:
        return False
    if getattr(layers[0], "_strings_in_keras3", False):
        return KERAS3_TEXT
    return bool(getattr(layers[0], "_takes_string_inputs", False))


def _string_array(array, argument, note=True):
    """A numpy array of strings (Keras 2 fed them to `fit`), noted as Keras 2 only if `note`; else None."""
    if array.dtype.kind == "O" and not all(isinstance(v, (str, bytes)) for v in array.flat):
        return None
    if array.dtype.kind not in "USO" or array.ndim == 0 or array.shape[0] == 0:
        return None
    if note:
        keras2_notes.note("string_arrays", used=f"`{argument}` as a numpy array of strings (dtype {array.dtype})")
    return array


# rows checked per `isfinite` call in `all_finite`: about 64k values, so the mask stays small
# enough to be reused from the allocator instead of being a fresh, page-faulting array as big as x
_FINITE_CHECK_VALUES = 1 << 16


def all_finite(array):
    """True when every value of the float array is finite: `np.isfinite(array).all()`, in slices
    of rows (same answer, without a boolean copy of the whole dataset)."""
    if array.ndim == 0 or array.size <= _FINITE_CHECK_VALUES:
        return bool(np.isfinite(array).all())
    rows = max(1, _FINITE_CHECK_VALUES // (array.size // array.shape[0] or 1))
    return all(np.isfinite(array[start:start + rows]).all() for start in range(0, array.shape[0], rows))


def _frame_as_floatx(frame):
    """A pandas DataFrame with a float column other than floatx, cast whole to floatx, as Keras casts
    it: `pd.get_dummies` adds bool columns next to float64 ones, and their `to_numpy()` alone is an
    array of Python objects (tensorflow.org "Basic regression"). Other frames are left as they are."""
    dtypes = getattr(frame, "dtypes", None)
    if dtypes is None or not hasattr(dtypes, "values") or not hasattr(frame, "astype"):
        return frame  # a Series (its dtype is one numpy dtype)
    floatx = config.floatx()
    try:
        needs_cast = any(np.dtype(d).kind == "f" and np.dtype(d) != floatx for d in dtypes.values)
    except TypeError:
        return frame  # a pandas-only dtype (category, string): the checks below report it
    if not needs_cast:
        return frame
    try:
        return frame.astype(floatx)
    except (TypeError, ValueError):
        return frame  # a column of text: the checks below report it


def to_numeric_array(value, argument, cast_float=True, allow_int=True, allow_str=False):
    """`value` as a numpy array, or a clear error naming `argument`.

    Floats become `floatx()` (no silent float64); integers stay integers when
    `allow_int`, else become floats. With `allow_str` (a bool or `KERAS3_TEXT`, or a
    function returning one, asked only when the array holds strings), arrays of strings
    pass unchanged (for models whose first layer looks strings up; noted as Keras 2
    unless `KERAS3_TEXT`).
    """
    if value is None:
        raise ValueError(f"`{argument}` is required, got None.")
    if hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):
        value = _frame_as_floatx(value).to_numpy()  # pandas DataFrame / Series
    if isinstance(value, (dict,)) or callable(getattr(value, "__next__", None)):
        raise TypeError(
            f"`{argument}` must be a numpy array (or a list of numbers); got {type(value).__name__}. "
            "Generators, datasets and dicts of inputs are not supported by this version of nanokeras."
        )
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"`{argument}` could not be converted to a numeric array ({error}). "
            "Check that every sample has the same shape."
        ) from None
    if allow_str and array.dtype.kind in "USO":
        reads = allow_str() if callable(allow_str) else allow_str
        if reads:
            strings = _string_array(array, argument, note=reads != KERAS3_TEXT)
            if strings is not None:
                return strings
    if array.dtype == object:
        raise InvalidDtypeError(
            f"`{argument}` must contain numbers of one shape, but it converts to an array of Python objects "
            f"(shape {array.shape}); check for ragged rows or mixed types."
        )
    if array.dtype.kind not in "fiub":
        example = f" (e.g. {array.flat[0].item()!r})" if array.size else ""
        raise InvalidDtypeError(
            f"`{argument}` must be numeric, got an array of dtype {array.dtype}{example}. "
            "Convert strings/labels to numbers first."
        )
    if array.ndim == 0:
        raise ValueError(f"`{argument}` must have a batch axis (one row per sample), got a scalar {array!r}.")
    if array.shape[0] == 0:
        raise ValueError(f"`{argument}` is empty (shape {array.shape}): there is nothing to train or predict on.")
    if array.dtype.kind == "f":
        if cast_float and array.dtype != config.floatx():
            array = array.astype(config.floatx())
        if not all_finite(array):
            bad = np.argwhere(~np.isfinite(array))[0]
            value_bad = array[tuple(bad)]
            raise ValueError(
                f"`{argument}` contains {int(np.size(array) - np.count_nonzero(np.isfinite(array)))} "
                f"non-finite value(s) (NaN or inf), e.g. {value_bad} at index {tuple(int(i) for i in bad)}. "
                "Clean or impute the data before training."
            )
    elif not allow_int:
        array = array.astype(config.floatx())
    return array


def check_same_length(arrays_by_name):
    lengths = {name: a.shape[0] for name, a in arrays_by_name.items() if a is not None}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name}: {n}" for name, n in lengths.items())
        raise ValueError(
            f"Data arrays must have the same number of samples (first dimension), got {described}."
        )


def _is_nested(structure):
    return isinstance(structure, (list, tuple, dict))


def _is_weight_structure(sample_weight):
    """True for one weight array per output (a dict, or a list/tuple of arrays); False for
    one array given as a (nested) list of numbers."""
    if isinstance(sample_weight, dict):
        return True
    return isinstance(sample_weight, (list, tuple)) and any(
        value is None or isinstance(value, np.ndarray) or hasattr(value, "to_numpy") for value in sample_weight)


def standardize_sample_weight(sample_weight, n, argument="sample_weight", y=None):
    """`sample_weight` as float arrays of `n` rows, checked once.

    An array holds one weight per sample (`(n,)`; `(n, 1)` becomes `(n,)`) or, as Keras
    takes, one per loss value (e.g. `(n, timesteps)` for sequence outputs: its fit with the
    losses is checked by the loss, `losses/loss.py`). For a model with several outputs
    (`y` a list or dict), either one array per output, structured like `y`, or one array
    of per-sample weights used for every output.
    """
    if sample_weight is None:
        return None
    if _is_nested(y):
        if _is_weight_structure(sample_weight):
            return _weights_per_output(sample_weight, y, n, argument)
        weights = _weight_array(sample_weight, n, argument)
        if weights.ndim > 1:
            raise ValueError(
                f"`{argument}` is one array of shape {weights.shape} for a model with {len(y)} outputs: one "
                f"array for every output must hold one weight per sample, shape ({n},). For weights of "
                "another shape (per timestep), pass one array per output, structured like `y` (a list in "
                "output order or a dict by output name)."
            )
        return weights
    if type(sample_weight) in (list, tuple) and len(sample_weight) == 1 and (
            isinstance(sample_weight[0], np.ndarray) or hasattr(sample_weight[0], "to_numpy")):
        sample_weight = sample_weight[0]  # `[weights]` for the one output, as Keras takes it
    return _weight_array(sample_weight, n, argument)


def _weights_per_output(sample_weight, y, n, argument):
    """One weight array (or None) per output, in `y`'s structure (Keras maps each to its output)."""
    def kind(structure):
        if isinstance(structure, dict):
            return f"a dict with keys {sorted(structure, key=str)}"
        return f"a {type(structure).__name__} of {len(structure)} entries"

    if isinstance(y, dict) != isinstance(sample_weight, dict) or (
            isinstance(y, dict) and set(y) != set(sample_weight)) or len(y) != len(sample_weight):
        raise ValueError(
            f"`{argument}` must hold one array per output of `y`, in the same structure: `y` is {kind(y)}, "
            f"`{argument}` is {kind(sample_weight)}."
        )
    if isinstance(sample_weight, dict):
        return {key: None if sample_weight[key] is None else _weight_array(sample_weight[key], n, f"{argument}[{key!r}]")
                for key in y}
    # (a list, whether given as a list or a tuple: the losses map a list to the outputs)
    return [None if value is None else _weight_array(value, n, f"{argument}[{i}]")
            for i, value in enumerate(sample_weight)]


def _weight_array(sample_weight, n, argument):
    weights = to_numeric_array(sample_weight, argument, allow_int=False)
    if weights.shape[0] != n:
        raise ValueError(
            f"`{argument}` has {weights.shape[0]} rows (shape {weights.shape}) but the data has {n} samples: "
            f"the weights need one row per sample, shape ({n},) or ({n}, ...) like the per-sample losses."
        )
    if weights.ndim == 2 and weights.shape[1] == 1:
        weights = weights.reshape(-1)
    if (weights < 0).any():
        raise ValueError(f"`{argument}` must be non-negative, got a minimum of {weights.min()}.")
    return weights


def class_weights_to_sample_weights(class_weight, y):
    """Per-sample weights from a `{class index: weight}` dict and the labels `y`."""
    if not isinstance(class_weight, dict):
        raise TypeError(f"`class_weight` must be a dict mapping class index to weight, got {type(class_weight).__name__}.")
    if _is_nested(y):
        raise ValueError(
            "`class_weight` is only supported for models with a single output (as in Keras), but `y` holds "
            f"{len(y)} label arrays ({type(y).__name__}). For several outputs, weight each output's samples "
            "with `sample_weight` instead: one array per output, structured like `y`."
        )
    if y.ndim == 2 and y.shape[1] > 1:
        labels = np.argmax(y, axis=1)
    else:
        labels = y.reshape(-1)
        if labels.dtype.kind == "f":
            if not np.all(labels == np.round(labels)):
                raise ValueError("`class_weight` needs integer class labels in `y`.")
        labels = labels.astype(np.int64)
    table_size = max(int(labels.max()) + 1, max(int(k) for k in class_weight) + 1)
    table = np.ones(table_size, dtype=config.floatx())
    for key, weight in class_weight.items():
        if int(key) < 0:
            raise ValueError(f"`class_weight` keys must be non-negative class indices, got {key}.")
        table[int(key)] = weight
    missing = sorted(set(np.unique(labels).tolist()) - {int(k) for k in class_weight})
    if missing:
        raise ValueError(f"`class_weight` must contain every class present in `y`; missing: {missing}.")
    return table[labels]


def train_validation_split(arrays, validation_split):
    """Splits each array in two, keeping the last `validation_split` fraction for validation (before shuffling)."""
    n = first_leaf(next(a for a in arrays if a is not None)).shape[0]
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"`validation_split={validation_split}` leaves no samples for "
            f"{'training' if split_at == 0 else 'validation'} with {n} samples."
        )
    train = tuple(None if a is None else _slice(a, slice(None, split_at)) for a in arrays)
    validation = tuple(None if a is None else _slice(a, slice(split_at, None)) for a in arrays)
    return train, validation


class ArrayBatches:
    """Iterates over aligned arrays in batches, shuffled per epoch if asked.

    Unshuffled batches are slices of the arrays (views: nothing is copied).
    Shuffled ones are gathered sample by sample in the epoch's order; with
    `reuse_buffers` (the built-in steps, which keep no reference to a batch)
    into the same arrays every step instead of new ones.
    """

    def __init__(self, arrays, batch_size, shuffle=False, steps_per_epoch=None, reuse_buffers=False):
        self.arrays = tuple(arrays)
        self.num_samples = first_leaf(next(a for a in self.arrays if a is not None)).shape[0]
        # Several inputs/outputs (lists or dicts of arrays) take the general path.
        self.structured = any(isinstance(a, (list, tuple, dict)) for a in self.arrays)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.num_batches = int(math.ceil(self.num_samples / batch_size))
        self.steps_per_epoch = steps_per_epoch or self.num_batches
        self.running_pass = RunningPass(self.num_batches, steps_per_epoch) if steps_per_epoch is not None else None
        self.reuse_buffers = reuse_buffers
        self._buffers = {}

    def restart(self):
        """The next epoch starts a new pass (what `evaluate` does with its data, as Keras)."""
        if self.running_pass is not None:
            self.running_pass.restart()

    def _epoch_order(self):
        """The sample order of one pass, or None for the stored order.

        Drawn from numpy's global generator, as Keras 3 on JAX draws it: after
        `keras.utils.set_random_seed(s)` both libraries visit the samples in the same order.
        `shuffle="batch"` shuffles the samples within each batch, the batches staying in order
        (what Keras 3 does with it), one permutation per batch.
        """
        if not self.shuffle:
            return None
        if self.shuffle == "batch":
            return BatchwiseOrder(self.num_samples, self.batch_size)
        return np.random.permutation(self.num_samples)

    def draw_discarded_peek(self):
        """Draws what Keras draws when it peeks at a first batch to build the model before
        `fit` (then discarded: the first epoch starts a new pass), so the orders that follow
        are Keras's too."""
        if self.shuffle == "batch":
            np.random.permutation(min(self.batch_size, self.num_samples))
        elif self.shuffle:
            np.random.permutation(self.num_samples)

    def _gather(self, array, indices, slot):
        if not self.reuse_buffers:
            return array[indices]
        key = (slot, len(indices))
        buffer = self._buffers.get(key)
        if buffer is None:
            buffer = self._buffers[key] = np.empty((len(indices),) + array.shape[1:], dtype=array.dtype)
        return np.take(array, indices, axis=0, out=buffer)

    def _batch(self, arrays, order, start, end):
        while arrays and arrays[-1] is None:  # (x, y, None) -> (x, y); a None y keeps its place
            arrays = arrays[:-1]
        if order is None:
            index = slice(start, end)
            return tuple(None if a is None else _slice(a, index) for a in arrays)
        indices = order[start:end]
        out = []
        for i, a in enumerate(arrays):
            if a is None:
                out.append(None)
            elif isinstance(a, dict):
                out.append({key: self._gather(v, indices, (i, key)) for key, v in a.items()})
            elif isinstance(a, (list, tuple)):
                out.append(type(a)(self._gather(v, indices, (i, j)) for j, v in enumerate(a)))
            else:
                out.append(self._gather(a, indices, i))
        return tuple(out)

    def batches(self):
        """Yields one epoch's `(x, y)` or `(x, y, sample_weight)` tuples: a whole pass, or with
        `steps_per_epoch` that many from the running pass (fewer, with a warning, when it ends)."""
        if self.running_pass is None:
            order = self._epoch_order()
            for start in range(0, self.num_samples, self.batch_size):
                yield self._batch(self.arrays, order, start, start + self.batch_size)
            return
        order, batches = self.running_pass.take(self._epoch_order)
        for index in batches:
            start = index * self.batch_size
            yield self._batch(self.arrays, order, start, start + self.batch_size)


class BatchwiseOrder:
    """The order of `shuffle="batch"`: each batch's samples permuted among themselves, the batches
    in their stored order. Each batch's permutation is drawn when a batch up to it is first read,
    as Keras draws them while it iterates (an epoch that stops early draws no more)."""

    def __init__(self, num_samples, batch_size):
        self.num_samples, self.batch_size = num_samples, batch_size
        self._order = np.empty(num_samples, dtype=np.intp)
        self._drawn_until = 0  # samples whose batch's permutation is drawn

    def __len__(self):
        return self.num_samples

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("a BatchwiseOrder is read by slices")
        start, stop, _ = index.indices(self.num_samples)
        while self._drawn_until < stop:
            first = self._drawn_until
            size = min(self.batch_size, self.num_samples - first)
            self._order[first:first + size] = np.random.permutation(size) + first
            self._drawn_until += size
        return self._order[start:stop]

    def tolist(self):
        return self[:].tolist()


class RunningPass:
    """With `steps_per_epoch` given, epochs take that many batches from one running pass over
    the data, and a new (reshuffled) pass starts once it is used up, as Keras's epoch iterator
    does; an epoch that asks for more batches than are left ends early, with a warning."""

    def __init__(self, num_batches, steps_per_epoch):
        self.num_batches = num_batches
        self.steps_per_epoch = steps_per_epoch
        self._running, self._order, self._taken = False, None, 0

    def restart(self):
        self._running = False

    def take(self, new_order):
        """`(order, batch indices)` of this epoch; `new_order()` makes a pass's order when one starts."""
        if not self._running:  # (an order of None means the stored order)
            self._running, self._order, self._taken = True, new_order(), 0
        order, first = self._order, self._taken
        count = min(self.steps_per_epoch, self.num_batches - first)
        if count < self.steps_per_epoch:
            warnings.warn(
                f"The input ran out of data after {count} of the {self.steps_per_epoch} steps asked for this "
                f"epoch (one pass holds {self.num_batches} batches): as in Keras, the epoch ends here and the "
                "next one starts a new pass. Ask for fewer steps (`steps_per_epoch`, `steps`), or leave them "
                "unset to use all the data each epoch.", UserWarning, stacklevel=4)
        self._taken += count
        if self._taken >= self.num_batches:
            self._running = False
        return order, range(first, first + count)


def map_structure(fn, structure, name=""):
    """`fn(leaf, leaf_name)` over an array or a list/tuple/dict of arrays (several inputs or outputs)."""
    if isinstance(structure, dict):
        return {key: fn(value, f"{name}[{key!r}]") for key, value in structure.items()}
    if isinstance(structure, (list, tuple)) and structure and all(
        isinstance(v, np.ndarray) or hasattr(v, "to_numpy") or (isinstance(v, (list, tuple)) and _is_nested_numbers(v))
        for v in structure
    ) and any(isinstance(v, np.ndarray) or hasattr(v, "to_numpy") for v in structure):
        return type(structure)(fn(value, f"{name}[{i}]") for i, value in enumerate(structure))
    return fn(structure, name)


def _is_nested_numbers(value):
    return not any(isinstance(v, np.ndarray) for v in value)


def named_leaves(structure, name):
    if isinstance(structure, dict):
        return {f"{name}[{key!r}]": value for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return {f"{name}[{i}]": value for i, value in enumerate(structure)}
    return {name: structure}


def first_leaf(structure):
    if isinstance(structure, dict):
        return next(iter(structure.values()))
    if isinstance(structure, (list, tuple)):
        return structure[0]
    return structure


def _slice(structure, index):
    if isinstance(structure, dict):
        return {key: value[index] for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(value[index] for value in structure)
    return structure[index]


def to_numpy_structure(outputs):
    """Model outputs (arrays or Tensors, possibly in a list/dict) as numpy arrays."""
    if isinstance(outputs, dict):
        return {key: to_numpy_structure(value) for key, value in outputs.items()}
    if isinstance(outputs, (list, tuple)):
        return type(outputs)(to_numpy_structure(value) for value in outputs)
    return np.asarray(value_of(outputs))


def concatenate_batches(outputs):
    """Joins per-batch predictions (arrays, or lists/dicts of arrays) along the batch axis."""
    first = outputs[0]
    if len(outputs) == 1:
        return first
    if isinstance(first, dict):
        return {key: concatenate_batches([o[key] for o in outputs]) for key in first}
    if isinstance(first, (list, tuple)):
        return type(first)(concatenate_batches([o[i] for o in outputs]) for i in range(len(first)))
    return np.concatenate(outputs, axis=0)


def keys_sorted(structure):
    """`structure` with every dict's keys in sorted order: Keras's `predict` hands dicts back so
    (its compiled step flattens and rebuilds them, sorting the keys)."""
    if type(structure) is dict:
        try:
            keys = sorted(structure)
        except TypeError:  # keys of mixed types: left in their order
            keys = list(structure)
        return {key: keys_sorted(structure[key]) for key in keys}
    if isinstance(structure, (list, tuple)) and any(isinstance(item, (dict, list, tuple)) for item in structure):
        items = [keys_sorted(item) for item in structure]
        return type(structure)(items) if type(structure) in (list, tuple) else structure
    return structure


def unpack_x_y_sample_weight(data):
    """`(x, y, sample_weight)` from a batch tuple of length 1, 2 or 3."""
    if isinstance(data, (list, tuple)):
        if len(data) == 1:
            return data[0], None, None
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return data[0], data[1], data[2]
    return data, None, None

