"""Accuracy metrics: how often predictions match labels.

Each function returns one float per sample (1.0 for a match); each class is the
running mean of its function.

Example:
    >>> import nanokeras as keras
    >>> m = keras.metrics.SparseCategoricalAccuracy()
    >>> float(m([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]]))
    0.5
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.metrics._utils import add_to, as_array, squeeze_or_expand
from nanokeras.metrics.reduction_metrics import MeanMetricWrapper


def accuracy(y_true, y_pred):
    """1.0 where `y_true == y_pred` exactly."""
    y_pred = as_array(y_pred)
    y_true = np.asarray(as_array(y_true), dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand(y_true, y_pred)
    return np.equal(y_true, y_pred).astype(config.floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where `(y_pred > threshold)` equals the 0/1 label."""
    y_pred = as_array(y_pred)
    y_true = as_array(y_true)
    y_true, y_pred = squeeze_or_expand(y_true, y_pred)
    return np.equal(y_true, (y_pred > threshold).astype(y_true.dtype)).astype(config.floatx())


def categorical_accuracy(y_true, y_pred):
    """1.0 where the argmax of the one-hot label equals the argmax of the prediction."""
    y_pred = as_array(y_pred)
    y_true = np.argmax(as_array(y_true), axis=-1).astype(y_pred.dtype)
    original_shape = y_true.shape
    reshape = y_true.ndim == y_pred.ndim
    if reshape:
        y_true = np.squeeze(y_true, -1)
    matches = np.equal(y_true, np.argmax(y_pred, axis=-1).astype(y_true.dtype))
    matches = matches.astype(config.floatx())
    return matches.reshape(original_shape) if reshape else matches


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the integer label equals the argmax of the prediction.

    Labels may have shape `(n,)` or `(n, 1)`; both give one value per sample.
    """
    y_pred = as_array(y_pred)
    y_true = as_array(y_true)
    if y_true.dtype != y_pred.dtype:
        y_true = y_true.astype(y_pred.dtype)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        # (n, 1) labels: compare per sample; the trailing axis never comes back.
        y_true = y_true[..., 0]
    matches = np.equal(y_true, np.argmax(y_pred, axis=-1)).astype(config.floatx())
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = matches[..., 0]
    return matches


def _in_top_k(targets, predictions, k):
    """True where the target's score ranks within the `k` largest (ties count in favour)."""
    if predictions.ndim == 1 or targets.shape[0] != predictions.shape[0]:
        raise ValueError(
            f"expected one label per row of predictions, got {targets.shape[0]} labels "
            f"for predictions of shape {predictions.shape}"
        )
    num_classes = predictions.shape[-1]
    if targets.size and (targets.min() < 0 or targets.max() >= num_classes):
        raise ValueError(f"labels must be class indices in [0, {num_classes})")
    at_label = np.take_along_axis(predictions, targets[:, None].astype(np.intp), axis=-1)
    # A NaN score is never considered large.
    at_label = np.where(np.isnan(at_label), -np.inf, at_label)
    rank = 1 + np.sum(predictions > at_label, axis=-1)
    return rank <= k


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot label's class is among the `k` highest predictions."""
    y_pred = as_array(y_pred)
    y_true = np.argmax(np.asarray(as_array(y_true), dtype=y_pred.dtype), axis=-1)
    original_shape = y_true.shape
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    reshape = y_true.ndim > 1
    if reshape:
        y_true = y_true.reshape(-1)
    matches = _in_top_k(y_true.astype(np.int32), y_pred, k).astype(config.floatx())
    return matches.reshape(original_shape) if reshape else matches


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the `k` highest predictions.

    With `from_sorted_ids=True`, `y_pred` holds class ids sorted by score.
    """
    y_pred = as_array(y_pred)
    y_true = np.asarray(as_array(y_true), dtype=y_pred.dtype if from_sorted_ids else np.int32)
    original_shape = y_true.shape
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    reshape = y_true.ndim > 1
    if reshape:
        y_true = y_true.reshape(-1)
    if from_sorted_ids:
        matches = np.any(y_true[:, None] == y_pred[:, :k], axis=1)
    else:
        matches = _in_top_k(y_true, y_pred, k)
    matches = matches.astype(config.floatx())
    return matches.reshape(original_shape) if reshape else matches


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.Accuracy()([[1], [2], [3], [4]], [[0], [2], [3], [4]]))
        0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """How often `y_pred > threshold` matches binary labels.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.BinaryAccuracy()([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]))
        0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._threshold32 = (threshold, float(np.float32(threshold)))
        self._direction = "up"

    def update_state(self, y_true, y_pred, sample_weight=None):
        if sample_weight is None:
            p = as_array(y_pred)
            t = as_array(y_true)
            if p.size == 1 and t.size == 1 and p.ndim <= 2 and t.ndim <= 2 and p.dtype == np.float32:
                # One sample (batch_size=1 training): plain Python comparisons. The
                # threshold is rounded to float32 first, as `p > threshold` does in numpy.
                threshold, threshold32 = self._threshold32
                if threshold != self.threshold:
                    threshold32 = float(np.float32(self.threshold))
                    self._threshold32 = (self.threshold, threshold32)
                hit = t.item() == (1 if p.item() > threshold32 else 0)
                add_to(self.total, 1.0 if hit else 0.0)
                add_to(self.count, 1)
                return
            if p.shape == t.shape and p.ndim <= 2 and (p.ndim < 2 or p.shape[-1] == 1):
                values = np.equal(t, (p > self.threshold).astype(t.dtype))
                add_to(self.total, np.count_nonzero(values))
                add_to(self.count, values.shape[0] if values.ndim else 1)
                return
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of the prediction matches the one-hot label's.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.CategoricalAccuracy()([[0, 0, 1], [0, 1, 0]],
        ...                                           [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
        0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of the prediction equals the integer label.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.SparseCategoricalAccuracy()([[2], [1]],
        ...                                                 [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]))
        0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def update_state(self, y_true, y_pred, sample_weight=None):
        if sample_weight is None:
            p = as_array(y_pred)
            t = as_array(y_true)
            if p.ndim == 2 and t.size == p.shape[0] and (t.ndim < 2 or t.shape[1] == 1):
                n = p.shape[0]
                if n == 1:
                    # One sample (batch_size=1 training): compare Python scalars.
                    label = t.item()
                    if t.dtype.kind == "f" and t.dtype != p.dtype:
                        label = p.dtype.type(label).item()  # Keras casts labels to y_pred's dtype
                    add_to(self.total, 1.0 if label == int(p.argmax()) else 0.0)
                    add_to(self.count, 1)
                    return
                if n:
                    if t.dtype != p.dtype:
                        t = t.astype(p.dtype)
                    add_to(self.total, np.count_nonzero(t.reshape(-1) == p.argmax(axis=-1)))
                    add_to(self.count, n)
                    return
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the `k` highest predictions.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.TopKCategoricalAccuracy(k=1)([[0, 0, 1], [0, 1, 0]],
        ...                                                 [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
        0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the `k` highest predictions.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.SparseTopKCategoricalAccuracy(k=1)([2, 1],
        ...                                                       [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
        0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(fn=sparse_top_k_categorical_accuracy, name=name, dtype=dtype,
                         k=k, from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
