"""Checks that labels suit the loss, run once per `fit`/`evaluate` on the whole label array.

Real Keras on JAX silently computes a loss of 0 for out-of-range sparse labels and
broadcasts mismatched one-hot targets into nonsense; these checks turn the common
mistakes into clear errors before training starts.

Example:
    >>> import numpy as np
    >>> from nanokeras.losses import check_targets
    >>> check_targets("sparse_categorical_crossentropy", np.array([0, 2]), (None, 3)) is None
    True
"""

import numpy as np

from nanokeras.ops.tensor import value_of
from nanokeras.losses import classes as _classes
from nanokeras.losses import probabilistic as _prob

_KINDS = {
    _prob.sparse_categorical_crossentropy: "sparse",
    _prob.categorical_crossentropy: "categorical",
    _prob.binary_crossentropy: "binary",
    _prob.binary_focal_crossentropy: "binary",
}


def _loss_kind(loss):
    """('sparse' | 'categorical' | 'binary' | None, ignore_class) for a loss identifier."""
    if isinstance(loss, str):
        from nanokeras.losses.registry import ALL_OBJECTS

        loss = ALL_OBJECTS.get(loss)
        if isinstance(loss, type):
            loss = loss()
    if isinstance(loss, _classes.LossFunctionWrapper):
        kind = _KINDS.get(loss.fn)
        return kind, loss._options().get("ignore_class") if kind == "sparse" else None
    try:
        return _KINDS.get(loss), None
    except TypeError:  # an unhashable custom callable
        return None, None


def _labels(y_true):
    labels = np.asarray(value_of(y_true))
    if labels.dtype.kind not in "biuf":
        raise ValueError(
            f"Labels `y` must be numeric, got an array of dtype {labels.dtype}. Convert class "
            "names to integers first, e.g. `classes, y = np.unique(y, return_inverse=True)`."
        )
    return labels


def _first(values):
    return values.ravel()[0].item()


def _check_sparse(labels, output_shape, ignore_class):
    num_classes = output_shape[-1] if output_shape else None
    if (
        labels.ndim >= 2
        and labels.shape[-1] > 1
        and num_classes is not None
        and labels.shape[-1] == num_classes
        and len(output_shape) == labels.ndim
    ):
        raise ValueError(
            f"Labels `y` have shape {labels.shape}, like one-hot rows, but the loss is "
            "'sparse_categorical_crossentropy', which expects one integer class index per sample. "
            "Use `loss='categorical_crossentropy'`, or pass `y.argmax(axis=-1)`."
        )
    counted = labels if ignore_class is None else labels[labels != ignore_class]
    if counted.size == 0:
        return
    if labels.dtype.kind == "f":
        bad = counted[~np.isfinite(counted) | (counted != np.floor(counted))]
        if bad.size:
            raise ValueError(
                "Labels `y` for 'sparse_categorical_crossentropy' must be integer class indices, "
                f"but `y` contains {_first(bad)!r}. Pass integer labels (e.g. `y.astype('int64')` "
                "if they are whole numbers), or use 'categorical_crossentropy' for one-hot or soft labels."
            )
    if num_classes is None:
        return
    low, high = counted.min(), counted.max()
    if low < 0 or high >= num_classes:
        value = low if low < 0 else high
        value = int(value) if float(value).is_integer() else float(value)
        hint = (
            " If your labels start at 1, subtract 1 from them."
            if low >= 1 and high == num_classes
            else f" If there are more classes, give the last layer {int(high) + 1} units."
            if low >= 0
            else ""
        )
        raise ValueError(
            f"Invalid label in `y`: found {value}, but the model outputs {num_classes} classes, "
            f"so labels must be integers in the valid range [0, {num_classes}).{hint}"
        )


def _check_categorical(labels, output_shape):
    num_classes = output_shape[-1] if output_shape else None
    if num_classes is None:
        return
    integer_like = labels.ndim == 1 or (labels.ndim == 2 and labels.shape[-1] == 1)
    if integer_like and num_classes > 1:
        raise ValueError(
            f"Labels `y` have shape {labels.shape} (one class index per sample), but the loss is "
            f"'categorical_crossentropy', which expects one-hot labels of shape (n, {num_classes}). "
            "Use `loss='sparse_categorical_crossentropy'`, or convert the labels with "
            "`y = keras.utils.to_categorical(y)`."
        )
    if labels.ndim and labels.shape[-1] != num_classes:
        raise ValueError(
            f"Labels `y` have shape {labels.shape} but the model output has shape "
            f"{tuple(output_shape)}: for 'categorical_crossentropy' their last dimensions "
            f"(classes) must match ({labels.shape[-1]} != {num_classes}). Check the number of "
            "units of the last layer, or `to_categorical(y, num_classes=...)`."
        )


def _check_binary(labels):
    if labels.size == 0:
        return
    low, high = labels.min(), labels.max()
    if low < 0 or high > 1 or not np.isfinite(low) or not np.isfinite(high):
        bad = labels[~((labels >= 0) & (labels <= 1))]
        raise ValueError(
            f"Labels `y` for 'binary_crossentropy' must be in the valid range [0, 1], but `y` "
            f"contains {_first(bad)!r}. For more than two classes use "
            "'sparse_categorical_crossentropy' (integer labels) or 'categorical_crossentropy' "
            "(one-hot labels); for labels in {-1, 1} use `(y + 1) / 2`."
        )


def check_targets(loss, y_true, y_pred_shape):
    """Raises a `ValueError` when the labels `y_true` cannot suit `loss`; returns None otherwise.

    Args:
        loss: a loss name, function or `Loss` object (others are not checked).
        y_true: the whole label array given to `fit`/`evaluate`.
        y_pred_shape: the model output shape, e.g. `(None, 10)`.

    Example:
        >>> import numpy as np
        >>> from nanokeras.losses import check_targets
        >>> check_targets("sparse_categorical_crossentropy", np.array([0, 3]), (None, 3))
        Traceback (most recent call last):
        ...
        ValueError: Invalid label in `y`: found 3, but the model outputs 3 classes, so labels must be integers in the valid range [0, 3). If there are more classes, give the last layer 4 units.
    """
    kind, ignore_class = _loss_kind(loss)
    if kind is None or y_true is None:
        return None
    labels = _labels(y_true)
    output_shape = tuple(y_pred_shape) if y_pred_shape is not None else ()
    if kind == "sparse":
        _check_sparse(labels, output_shape, ignore_class)
    elif kind == "categorical":
        _check_categorical(labels, output_shape)
    else:
        _check_binary(labels)
    return None
