"""Probabilistic losses as functions: cross-entropies, KL divergence, Poisson.

The cross-entropies use the fused ops of `nanokeras.ops.crossentropy` (one tape
node each, the training hot path); label smoothing is applied first.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> keras.losses.sparse_categorical_crossentropy(np.array([1]), np.array([[0.2, 0.8]]))
    array([0.22314355])
"""

import warnings

import numpy as np

from nanokeras import ops
from nanokeras.backend import config
from nanokeras.ops.tensor import TensorOperators, value_of
from nanokeras.losses.regression import _cast, _float_dtype, prepare
from nanokeras.losses.symbolic import accepting_symbolic_tensors


def _check_axis(axis):
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"`axis` must be an int, got axis={axis!r} of type {type(axis).__name__}.")


def _smooth(y_true, scale, shift, dtype):
    """`y_true * scale + shift` in `dtype` (the constants rounded to it, as on JAX)."""
    return ops.add(ops.multiply(y_true, dtype.type(scale)), dtype.type(shift))


@accepting_symbolic_tensors
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy, averaged over `axis` (the last one by default).

    Args:
        y_true: labels in [0, 1], shaped like `y_pred`.
        y_pred: probabilities, or logits when `from_logits=True`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; labels become `y * (1 - s) + 0.5 * s`.
        axis: the axis to average over.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.binary_crossentropy(np.array([[1.0, 0.0]]), np.array([[0.9, 0.2]]))
        array([0.16425203])
    """
    y_true, y_pred = prepare(y_true, y_pred, match_ranks=False)
    if label_smoothing:
        y_true = _smooth(y_true, 1.0 - label_smoothing, 0.5 * label_smoothing, _float_dtype(y_pred))
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


def _warn_one_class(name, y_pred):
    shape = np.shape(value_of(y_pred))
    if shape and shape[-1] == 1:
        warnings.warn(
            f"In loss {name}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={shape}. Consider using "
            "'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=3,
        )


@accepting_symbolic_tensors
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Cross-entropy between one-hot labels and predicted class probabilities (or logits).

    Args:
        y_true: one-hot (or soft) labels, shaped like `y_pred`.
        y_pred: class probabilities, or logits when `from_logits=True`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; labels become `y * (1 - s) + s / num_classes`.
        axis: the class axis.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[0.2, 0.8]]))
        array([0.22314355])
    """
    _check_axis(axis)
    y_true, y_pred = prepare(y_true, y_pred, match_ranks=False)
    _warn_one_class("categorical_crossentropy", y_pred)
    if label_smoothing:
        dtype = _float_dtype(y_pred)
        num_classes = dtype.type(np.shape(value_of(y_true))[-1])
        y_true = _smooth(y_true, 1.0 - label_smoothing, dtype.type(label_smoothing) / num_classes, dtype)
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


@accepting_symbolic_tensors
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Cross-entropy between integer class labels and predicted class probabilities (or logits).

    Args:
        y_true: class indices, shaped like `y_pred` without the class axis
            (a trailing axis of size 1 is accepted).
        y_pred: class probabilities, or logits when `from_logits=True`.
        from_logits: whether `y_pred` holds logits.
        ignore_class: a label value whose entries get a loss of 0 (e.g. -1 or 255 for "void").
        axis: the class axis.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.sparse_categorical_crossentropy(np.array([0, 1]), np.array([[0.5, 0.5], [0.2, 0.8]]))
        array([0.69314718, 0.22314355])
    """
    losses, _ = sparse_categorical_crossentropy_with_mask(y_true, y_pred, from_logits, ignore_class, axis)
    return losses


def sparse_categorical_crossentropy_with_mask(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """The sparse cross-entropy and, with `ignore_class`, the mask of entries that count."""
    dtype = _float_dtype(y_pred)
    y_pred = _cast(y_pred, dtype)
    # Labels stay what they are (a tracked batch stays tracked): ops, not numpy, so that
    # a replayed step reads the next batch's labels.
    labels = y_true
    pred_shape = np.shape(value_of(y_pred))
    labels_shape = np.shape(value_of(labels))
    if len(labels_shape) == len(pred_shape) and labels_shape and labels_shape[axis] == 1:
        labels = ops.squeeze(labels, axis=axis)
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits, axis=axis), None
    if not isinstance(labels, (np.ndarray, TensorOperators)):
        labels = np.asarray(labels)
    kind = np.asarray(value_of(labels)).dtype.kind
    valid = ops.not_equal(labels, dtype.type(ignore_class) if kind == "f" else ignore_class)
    labels = ops.where(valid, labels, 0)
    # Ignored entries get a harmless stand-in prediction (Keras uses 0, which makes
    # NaNs for probabilities); their loss is replaced by 0 below either way.
    y_pred = ops.where(ops.expand_dims(valid, axis), y_pred, dtype.type(1))
    losses = ops.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits, axis=axis)
    losses = ops.where(valid, losses, dtype.type(0))
    return losses, valid


@accepting_symbolic_tensors
def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """Binary cross-entropy scaled by `(1 - p_t) ** gamma`, which down-weights easy examples.

    `p_t` is the predicted probability of the true class; with
    `apply_class_balancing`, class 1 is also weighted by `alpha` and class 0 by `1 - alpha`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.binary_focal_crossentropy(np.array([[1.0]]), np.array([[0.5]]), gamma=0.0)
        array([0.69314718])
    """
    y_true, y_pred = prepare(y_true, y_pred, match_ranks=False)
    if label_smoothing:
        y_true = _smooth(y_true, 1.0 - label_smoothing, 0.5 * label_smoothing, _float_dtype(y_pred))
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=False)
    one_minus_t = ops.subtract(1.0, y_true)
    p_t = ops.add(ops.multiply(y_true, y_pred), ops.multiply(one_minus_t, ops.subtract(1.0, y_pred)))
    focal = ops.multiply(ops.power(ops.subtract(1.0, p_t), gamma), bce)
    if apply_class_balancing:
        weight = ops.add(ops.multiply(y_true, alpha), ops.multiply(one_minus_t, 1.0 - alpha))
        focal = ops.multiply(weight, focal)
    return ops.mean(focal, axis=axis)


@accepting_symbolic_tensors
def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to [eps, 1].

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.kl_divergence(np.array([[0.5, 0.5]]), np.array([[0.5, 0.5]]))
        array([0.])
    """
    y_true, y_pred = prepare(y_true, y_pred, match_ranks=False)
    eps = config.epsilon()
    y_true = ops.clip(y_true, eps, 1)
    y_pred = ops.clip(y_pred, eps, 1)
    return ops.sum(ops.multiply(y_true, ops.log(ops.divide(y_true, y_pred))), axis=-1)


@accepting_symbolic_tensors
def poisson(y_true, y_pred):
    """Poisson loss `mean(y_pred - y_true * log(y_pred + eps), axis=-1)`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.poisson(np.array([[0.0]]), np.array([[2.0]]))
        array([2.])
    """
    y_true, y_pred = prepare(y_true, y_pred, match_ranks=False)
    eps = _float_dtype(y_pred).type(config.epsilon())
    return ops.mean(ops.subtract(y_pred, ops.multiply(y_true, ops.log(ops.add(y_pred, eps)))), axis=-1)


@accepting_symbolic_tensors
def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                                   axis=-1):
    """Categorical cross-entropy scaled by `alpha * (1 - p) ** gamma`, which down-weights easy examples.

    The predictions are rescaled to sum to 1 along `axis` and clipped to `[eps, 1 - eps]` first.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> loss = keras.losses.categorical_focal_crossentropy(np.array([[0.0, 1.0]]), np.array([[0.5, 0.5]]))
        >>> round(float(loss[0]), 5)
        0.04332
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis).__name__}")
    y_true, y_pred = prepare(y_true, y_pred, match_ranks=False)
    _warn_one_class("categorical_focal_crossentropy", y_pred)
    dtype = _float_dtype(y_pred)
    if label_smoothing:
        num_classes = dtype.type(np.shape(value_of(y_true))[-1])
        y_true = _smooth(y_true, 1.0 - label_smoothing, dtype.type(label_smoothing) / num_classes, dtype)
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    eps = config.epsilon()
    output = ops.clip(ops.divide(y_pred, ops.sum(y_pred, axis=axis, keepdims=True)), eps, 1.0 - eps)
    cross_entropy = ops.multiply(ops.negative(y_true), ops.log(output))
    weight = ops.multiply(ops.power(ops.subtract(1.0, output), gamma), alpha)
    return ops.sum(ops.multiply(weight, cross_entropy), axis=axis)


@accepting_symbolic_tensors
def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """`(1 - p ** q) / q` with `p` the predicted probability of the true class (robust to noisy labels).

    Args:
        y_true: integer class labels.
        y_pred: class probabilities.
        q: in (0, 1): towards 0 it becomes the cross-entropy, at 1 the mean absolute error.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.categorical_generalized_cross_entropy(np.array([1]), np.array([[0.75, 0.25]]), q=0.5)
        array([1.])
    """
    dtype = _float_dtype(y_pred)
    y_pred = _cast(y_pred, dtype)
    num_classes = np.shape(value_of(y_pred))[-1]
    one_hot = ops.cast(ops.one_hot(ops.cast(y_true, "int32"), num_classes), dtype)
    probability = ops.sum(ops.multiply(y_pred, one_hot), axis=-1)
    return ops.divide(ops.subtract(1.0, ops.power(probability, q)), q)
