"""Label and array helpers: `to_categorical` (one-hot) and `normalize` (unit norm).

Example:
    >>> import nanokeras as keras
    >>> keras.utils.to_categorical([0, 2], num_classes=3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
"""

import numbers

import numpy as np

from nanokeras.backend import config
from nanokeras.ops.tensor import value_of


class LabelOutOfRangeError(ValueError, IndexError):
    """A label past `num_classes`: a ValueError as nanokeras raises bad input, and an IndexError
    as Keras raises it there (its one-hot indexing goes out of bounds)."""


def _integer_labels(x):
    """`x` as an int64 array, rejecting labels that are not whole numbers."""
    try:
        array = np.asarray(value_of(x))
    except (ValueError, TypeError):
        raise ValueError(
            "to_categorical expects integer class labels (array-like of ints), "
            f"got a ragged or non-numeric value of type {type(x).__name__}."
        ) from None
    if array.dtype.kind == "b" or array.dtype.kind not in "iuf":
        raise ValueError(
            "to_categorical expects integer class labels, got an array of dtype "
            f"{array.dtype.name!r}. Convert string labels to integers first "
            "(e.g. with `np.unique(labels, return_inverse=True)`)."
        )
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)) or not np.all(array == np.floor(array)):
            bad = array[~(np.isfinite(array) & (array == np.floor(array)))].ravel()[0]
            raise ValueError(
                f"to_categorical expects integer class labels, got the non-integer value {bad}. "
                "Pass class indices (0, 1, 2, ...), not probabilities or scores."
            )
    return array.astype("int64")


def to_categorical(x, num_classes=None):
    """Converts integer class labels to one-hot rows (float64 numpy array, as Keras returns).

    A trailing axis of size 1 is dropped first, so labels shaped `(n, 1)` give
    `(n, num_classes)`. `num_classes` defaults to `max(x) + 1`.

    Args:
        x: integer labels in `[0, num_classes)`, any shape.
        num_classes: the number of classes; inferred when None.

    Example:
        >>> import nanokeras as keras
        >>> keras.utils.to_categorical([[1], [0]]).tolist()
        [[0.0, 1.0], [1.0, 0.0]]
    """
    labels = _integer_labels(x)
    if labels.size == 0 and num_classes is None:
        raise ValueError(
            "to_categorical received no labels (an empty array), so `num_classes` cannot be "
            "inferred. Pass at least one label, or pass `num_classes`."
        )
    if num_classes is not None:
        if isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Integral):
            raise ValueError(
                f"`num_classes` must be a positive integer or None, got {num_classes!r}."
            )
        if num_classes < 1:
            raise ValueError(f"`num_classes` must be a positive integer, got {num_classes}.")
    if labels.size and labels.min() < 0:
        raise ValueError(
            f"to_categorical expects labels >= 0, got {int(labels.min())}. "
            "Shift labels so classes are numbered 0, 1, 2, ..."
        )
    if num_classes:
        if labels.size and labels.max() >= num_classes:
            raise LabelOutOfRangeError(
                f"to_categorical got label {int(labels.max())}, which does not fit in "
                f"num_classes={num_classes} (labels must be < num_classes). "
                f"Use num_classes={int(labels.max()) + 1} or check the labels."
            )
    else:
        num_classes = int(labels.max()) + 1
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = labels.reshape(-1)
    one_hot = np.zeros((flat.shape[0], int(num_classes)))
    one_hot[np.arange(flat.shape[0]), flat] = 1
    return one_hot.reshape(tuple(shape) + (int(num_classes),))


def normalize(x, axis=-1, order=2):
    """`x` divided by its `order`-norm along `axis`; all-zero slices are left at zero.

    A float numpy array keeps its dtype; lists and integer arrays become
    `keras.backend.floatx()`.

    Example:
        >>> import nanokeras as keras
        >>> keras.utils.normalize([[3.0, 4.0]]).tolist()
        [[0.6000000238418579, 0.800000011920929]]
    """
    array = np.asarray(value_of(x))
    if array.dtype.kind not in "biuf":
        raise ValueError(f"normalize expects a numeric array, got dtype {array.dtype.name!r}.")
    if array.dtype.kind != "f" or not isinstance(value_of(x), np.ndarray):
        array = array.astype(config.floatx())
    if array.ndim == 0:
        raise ValueError("normalize expects an array with at least one dimension, got a scalar.")
    if axis is None:
        axis = -1
    if not isinstance(axis, numbers.Integral) or not -array.ndim <= axis < array.ndim:
        raise ValueError(
            f"normalize `axis` must be an integer in [{-array.ndim}, {array.ndim}) for an "
            f"array of shape {array.shape}, got axis={axis!r}."
        )
    try:
        norm = np.linalg.norm(array, ord=order, axis=int(axis), keepdims=True)
    except ValueError:
        raise ValueError(
            f"normalize `order` must be a vector norm order such as 1, 2 or np.inf, got {order!r}."
        ) from None
    norm = np.where(norm == 0, 1, norm).astype(array.dtype)
    return array / norm
