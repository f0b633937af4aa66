"""Data helpers of `keras.utils`: batch tuples and `split_dataset`.

`fit` reads each batch as `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`;
`pack_x_y_sample_weight`/`unpack_x_y_sample_weight` build and read those tuples
(e.g. in a custom `train_step`).

Example:
    >>> import numpy as np, nanokeras as keras
    >>> x, y, w = keras.utils.unpack_x_y_sample_weight((np.ones(2), np.zeros(2)))
    >>> w is None
    True
    >>> keras.utils.pack_x_y_sample_weight(np.ones(2), np.zeros(2))[1]
    array([0., 0.])
"""

import random

import numpy as np

from nanokeras.tree import flatten, pack_sequence_as


def unpack_x_y_sample_weight(data):
    """`(x, y, sample_weight)` from a batch `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`;
    the missing parts are None. A list is read as a tuple."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) in (1, 2, 3):
        return tuple(data) + (None,) * (3 - len(data))
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found a tuple of {len(data)} elements."
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The batch tuple `fit` reads: `x` alone (as `(x,)` when `x` is a list or tuple),
    `(x, y)` or `(x, y, sample_weight)`."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def _is_tf_dataset(dataset):
    return any(cls.__module__.startswith("tensorflow") and cls.__name__.endswith("Dataset")
               for cls in type(dataset).__mro__)


def _samples(dataset):
    """The dataset as a list of samples (each a tuple for a tuple/list of arrays)."""
    if isinstance(dataset, np.ndarray):
        if dataset.ndim == 0:
            raise ValueError("`dataset` must have a first axis of samples, got a 0-d array.")
        return list(dataset)
    if isinstance(dataset, (list, tuple)):
        if not dataset:
            raise ValueError(f"Received an empty {type(dataset).__name__} dataset. "
                             "Please provide a non-empty list/tuple of arrays.")
        arrays = []
        for index, element in enumerate(dataset):
            if not isinstance(element, np.ndarray):
                raise ValueError(f"Expected a {type(dataset).__name__} of numpy arrays, received "
                                 f"{type(element).__name__} at index {index}.")
            if arrays and len(element) != len(arrays[0]):
                raise ValueError(
                    f"Received a {type(dataset).__name__} of numpy arrays with different lengths: "
                    f"{len(arrays[0])} at index 0, {len(element)} at index {index}. Give every array "
                    "one entry per sample."
                )
            arrays.append(element)
        return list(zip(*arrays))
    if getattr(type(dataset), "_is_nanokeras_dataset", False):
        # As Keras with a tf.data dataset: a batched one (as `batch()` returns) is split by samples;
        # any other (those of `image_dataset_from_directory` end with a prefetch) by its elements.
        if dataset._batch_size is not None:
            dataset = dataset.unbatch()
        return list(dataset.as_numpy_iterator())
    if _is_tf_dataset(dataset):
        if hasattr(dataset, "_batch_size"):
            dataset = dataset.unbatch()
        return list(dataset.as_numpy_iterator())
    raise TypeError(
        "The `dataset` argument must be a numpy array, a list/tuple of numpy arrays of one length, or a "
        f"`tf.data.Dataset`. Received: dataset={dataset!r:.80} of type {type(dataset).__name__}"
    )


def _split_sizes(left_size, right_size, total):
    """`(left, right)` counts of samples, as Keras computes them (fractions rounded)."""
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(f"Invalid `{name}` Type. Expected: int or float or None, "
                            f"Received: type({name})={type(size).__name__}.")
    if left_size is None and right_size is None:
        raise ValueError("At least one of the `left_size` or `right_size` must be specified. "
                         "Received: left_size=None and right_size=None")
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if (type(size) is int and not 0 < size < total) or (type(size) is float and not 0 < size < 1):
            raise ValueError(f"`{name}` should be either a positive integer smaller than {total}, or a float "
                             f"within the range `[0, 1]`. Received: {name}={size}")
    if type(left_size) is float and type(right_size) is float and left_size + right_size > 1:
        raise ValueError("The sum of `left_size` and `right_size` is greater than 1. "
                         "It must be less than or equal to 1.")
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(f"The sum of `left_size` and `right_size` should be smaller than the {total}. "
                         f"Received: left_size + right_size = {left + right} and total_length = {total}")
    for size, side in ((left, "left"), (right, "right")):
        if size == 0:
            raise ValueError(f"With `dataset` of length={total}, `left_size`={left_size} and "
                             f"`right_size`={right_size}, the {side} split would be empty. Adjust the sizes.")
    return int(left), int(right)


def _stack(samples, like):
    """Samples stacked back into arrays, structured as one sample of the input."""
    columns = [np.array(column) for column in zip(*[flatten(sample) for sample in samples])]
    return pack_sequence_as(like, columns)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None, preferred_backend=None):
    """Splits a dataset into a left part and a right part (e.g. training and validation).

    Args:
        dataset: a numpy array, a list/tuple of numpy arrays of one length (e.g. `(x, y)`),
            a `tf.data.Dataset`, or a dataset of `keras.utils.*_dataset_from_*` (split into
            two such datasets, batched as it is).
        left_size: the left part: a fraction in (0, 1) of the samples, or a number of samples;
            None means what `right_size` leaves.
        right_size: the same for the right part (taken from the end).
        shuffle: shuffle the samples before splitting (with `seed`).
        seed: the shuffling seed.
        preferred_backend: `"tensorflow"` for `tf.data.Dataset` splits.

    Returns:
        Two `tf.data.Dataset`s, as Keras returns them, when the input is one or TensorFlow
        is asked for (or TensorFlow is installed); else two splits of the input's own kind
        (arrays, or tuples/lists of arrays) that `fit` takes directly.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> x, y = np.arange(10).reshape(5, 2), np.arange(5)
        >>> left, right = keras.utils.split_dataset((x, y), left_size=0.6, preferred_backend="numpy")
        >>> left[1].tolist(), right[1].tolist()
        ([0, 1, 2], [3, 4])
    """
    if preferred_backend not in (None, "tensorflow", "numpy", "jax"):
        raise ValueError(f"`preferred_backend` must be None, 'tensorflow' or 'numpy', got {preferred_backend!r} "
                         "(torch splits need torch.utils.data.random_split).")
    samples = _samples(dataset)
    if shuffle:
        random.Random(seed if seed is not None else random.randint(0, int(1e6))).shuffle(samples)
    left, right = _split_sizes(left_size, right_size, len(samples))
    left_samples, right_samples = samples[:left], samples[-right:]
    like = samples[0]
    if getattr(type(dataset), "_is_nanokeras_dataset", False):
        from nanokeras.utils.batched_dataset import BatchedDataset

        return (BatchedDataset.from_samples(left_samples, dataset._batch_size),
                BatchedDataset.from_samples(right_samples, dataset._batch_size))
    use_tensorflow = preferred_backend == "tensorflow" or _is_tf_dataset(dataset)
    if preferred_backend is None and not use_tensorflow:
        try:
            import tensorflow  # noqa: F401  (as Keras: tf.data splits when TensorFlow is there)

            use_tensorflow = True
        except ImportError:
            pass
    if not use_tensorflow:
        if isinstance(dataset, np.ndarray):
            return np.array(left_samples), np.array(right_samples)
        kind = list if isinstance(dataset, list) else tuple
        return kind(_stack(left_samples, list(like))), kind(_stack(right_samples, list(like)))
    import tensorflow as tf

    splits = []
    for part in (left_samples, right_samples):
        arrays = np.array(part) if isinstance(dataset, np.ndarray) else _stack(part, _as_tuples(like))
        split = tf.data.Dataset.from_tensor_slices(arrays)
        batch_size = getattr(dataset, "_batch_size", None)
        if batch_size is not None:
            split = split.batch(int(batch_size))
        splits.append(split.prefetch(tf.data.AUTOTUNE))
    return tuple(splits)


def _as_tuples(structure):
    if isinstance(structure, (list, tuple)):
        return tuple(_as_tuples(x) for x in structure)
    if isinstance(structure, dict):
        return {k: _as_tuples(v) for k, v in structure.items()}
    return structure
