"""Probabilistic metrics: running means of crossentropies, KL divergence and Poisson loss.

Values are computed with numpy, clipping probabilities to
`[epsilon, 1 - epsilon]` exactly as Keras does.

Example:
    >>> import nanokeras as keras
    >>> m = keras.metrics.BinaryCrossentropy()
    >>> round(float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.8149
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.metrics._utils import as_float, shape_error, squeeze_or_expand
from nanokeras.metrics.reduction_metrics import Mean, MeanMetricWrapper


def _same_shape(y_true, y_pred, what):
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{what} needs y_true and y_pred of the same shape, got {y_true.shape} "
            f"and {y_pred.shape}"
        )


def _clip_probabilities(p):
    eps = config.epsilon()
    return np.clip(p, np.asarray(eps, p.dtype), np.asarray(1.0 - eps, p.dtype))


def _log_softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _log_probabilities(y_pred, from_logits, axis):
    if from_logits:
        return _log_softmax(y_pred, axis)
    y_pred = y_pred / np.sum(y_pred, axis=axis, keepdims=True)
    return np.log(_clip_probabilities(y_pred))


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Mean over `axis` of `-(t log p + (1 - t) log(1 - p))`."""
    y_pred = as_float(y_pred)
    y_true = as_float(y_true, y_pred.dtype)
    _same_shape(y_true, y_pred, "binary_crossentropy")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
        y_true = y_true.astype(y_pred.dtype, copy=False)
    one = np.asarray(1.0, y_pred.dtype)
    if from_logits:
        zero = np.asarray(0.0, y_pred.dtype)
        # log_sigmoid(x) = -softplus(-x)
        log_p = -np.logaddexp(-y_pred, zero)
        log_not_p = -np.logaddexp(y_pred, zero)
        bce = -y_true * log_p - (one - y_true) * log_not_p
    else:
        p = _clip_probabilities(y_pred)
        bce = -(y_true * np.log(p) + (one - y_true) * np.log(one - p))
    return np.mean(bce, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """`-sum(y_true * log(y_pred), axis)` for one-hot (or soft) labels."""
    if isinstance(axis, bool):
        raise TypeError(f"`axis` must be an int, got {axis!r}.")
    y_pred = as_float(y_pred)
    y_true = as_float(y_true, y_pred.dtype)
    _same_shape(y_true, y_pred, "categorical_crossentropy")
    if label_smoothing:
        num_classes = y_true.shape[-1]
        y_true = (y_true * (1.0 - label_smoothing) + label_smoothing / num_classes).astype(
            y_pred.dtype, copy=False
        )
    return -np.sum(y_true * _log_probabilities(y_pred, from_logits, axis), axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """`-log(y_pred[label])` for integer labels (shape `(n,)` or `(n, 1)`).

    Labels equal to `ignore_class` give 0.
    """
    y_pred = as_float(y_pred)
    y_true = np.asarray(as_float(y_true)).astype(np.int32)
    if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
        y_true = np.squeeze(y_true, axis=axis)
    if y_true.shape != y_pred.shape[:axis % y_pred.ndim] + y_pred.shape[axis % y_pred.ndim + 1:]:
        raise ValueError(
            "sparse_categorical_crossentropy needs one integer label per prediction row, got "
            f"labels of shape {y_true.shape} for predictions of shape {y_pred.shape}"
        )
    valid = None
    if ignore_class is not None:
        valid = y_true != ignore_class
        y_true = np.where(valid, y_true, 0)
        y_pred = np.where(np.expand_dims(valid, axis), y_pred, np.zeros((), y_pred.dtype))
    with np.errstate(invalid="ignore", divide="ignore"):  # ignored rows are all zeros
        log_prob = _log_probabilities(y_pred, from_logits, axis)
    num_classes = y_pred.shape[axis]
    # Out-of-range labels select nothing (a zero one-hot row), as in Keras.
    in_range = (y_true >= 0) & (y_true < num_classes)
    picked = np.take_along_axis(
        log_prob, np.expand_dims(np.where(in_range, y_true, 0), axis).astype(np.intp), axis=axis
    )
    loss = -np.where(in_range, np.squeeze(picked, axis=axis), np.zeros((), log_prob.dtype))
    if valid is not None:
        loss = np.where(valid, loss, np.zeros((), loss.dtype))
    return loss


def kl_divergence(y_true, y_pred):
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to `[epsilon, 1]`."""
    y_pred = as_float(y_pred)
    y_true = as_float(y_true, y_pred.dtype)
    eps, one = np.asarray(config.epsilon(), y_pred.dtype), np.asarray(1.0, y_pred.dtype)
    y_true = np.clip(y_true, eps, one)
    y_pred = np.clip(y_pred, eps, one)
    return np.sum(y_true * np.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`."""
    y_pred = as_float(y_pred)
    y_true = as_float(y_true, y_pred.dtype)
    eps = np.asarray(config.epsilon(), y_pred.dtype)
    return np.mean(y_pred - y_true * np.log(y_pred + eps), axis=-1)


class KLDivergence(MeanMetricWrapper):
    """Mean Kullback-Leibler divergence between labels and predictions.

    Example:
        >>> import nanokeras as keras
        >>> round(float(keras.metrics.KLDivergence()([[0, 1]], [[0.5, 0.5]])), 4)
        0.6931
    """

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(fn=kl_divergence, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class Poisson(MeanMetricWrapper):
    """Mean Poisson loss `y_pred - y_true * log(y_pred)`.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.Poisson()([[0.0]], [[1.0]]))
        1.0
    """

    def __init__(self, name="poisson", dtype=None):
        super().__init__(fn=poisson, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class BinaryCrossentropy(MeanMetricWrapper):
    """Mean binary crossentropy.

    Example:
        >>> import nanokeras as keras
        >>> round(float(keras.metrics.BinaryCrossentropy()([[1.0]], [[0.5]])), 4)
        0.6931
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(binary_crossentropy, name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing}


class CategoricalCrossentropy(MeanMetricWrapper):
    """Mean crossentropy between one-hot labels and predicted distributions.

    Example:
        >>> import nanokeras as keras
        >>> round(float(keras.metrics.CategoricalCrossentropy()([[0, 1]], [[0.5, 0.5]])), 4)
        0.6931
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(categorical_crossentropy, name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Mean crossentropy between integer labels and predicted distributions.

    With `ignore_class`, samples of that label score 0; when `sample_weight` is
    given they also get weight 0 (Keras's behaviour).

    Example:
        >>> import nanokeras as keras
        >>> round(float(keras.metrics.SparseCategoricalCrossentropy()([1], [[0.5, 0.5]])), 4)
        0.6931
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self.ignore_class is None or sample_weight is None:
            # Keras masks ignored labels out of the weights only when weights are
            # given; otherwise they count as samples with value 0.
            return super().update_state(y_true, y_pred, sample_weight)
        try:
            values = sparse_categorical_crossentropy(
                y_true, y_pred, from_logits=self.from_logits, ignore_class=self.ignore_class,
                axis=self.axis,
            )
        except (ValueError, IndexError) as e:
            raise shape_error(self.name, y_true, y_pred, str(e)) from None
        labels = np.asarray(as_float(y_true)).astype(np.int32)
        if labels.ndim == values.ndim + 1 and labels.shape[-1] == 1:
            labels = labels[..., 0]
        mask = (labels != self.ignore_class).astype(self._dtype)
        mask, sample_weight = squeeze_or_expand(mask, as_float(sample_weight, self._dtype))
        return Mean.update_state(self, values, mask * sample_weight)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "ignore_class": self.ignore_class, "axis": self.axis}
