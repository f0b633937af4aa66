"""Intersection-over-union metrics for segmentation and classification, from a confusion matrix.

`IoU` of a class is `TP / (TP + FP + FN)`; the metrics accumulate a
`(num_classes, num_classes)` confusion matrix (rows: true class, columns: predicted
class) weighted by `sample_weight`, and average the IoUs of the chosen classes that
appear at all.

Example:
    >>> import nanokeras as keras
    >>> m = keras.metrics.MeanIoU(num_classes=2)
    >>> float(m([0, 0, 1, 1], [0, 1, 0, 1]))
    0.3333333432674408
"""

import warnings

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import standardize_dtype
from nanokeras.metrics.metric import Metric
from nanokeras.ops.tensor import value_of


def _metric_dtype(dtype):
    # Keras's default "int" is a 32-bit integer on its JAX backend.
    return "int32" if dtype in (None, "int") else standardize_dtype(dtype).name


class _IoUBase(Metric):
    """Accumulates the confusion matrix; subclasses read IoUs from it."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=_metric_dtype(dtype))
        self._direction = "up"
        if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
            raise ValueError(f"`num_classes` must be a positive integer, got num_classes={num_classes!r}.")
        self.num_classes = int(num_classes)
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable((self.num_classes, self.num_classes), "zeros", dtype=self.dtype,
                                          name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = np.asarray(value_of(y_true)), np.asarray(value_of(y_pred))
        if not self.sparse_y_true:
            y_true = np.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = np.argmax(y_pred, axis=self.axis)
        y_true = y_true.astype(self.dtype).reshape(-1)
        y_pred = y_pred.astype(self.dtype).reshape(-1)
        if y_true.shape != y_pred.shape:
            raise ValueError(f"Metric '{self.name}': y_true has {y_true.size} labels but y_pred has {y_pred.size} "
                             "predictions; give one prediction per label.")
        if sample_weight is None:
            weights = np.ones(y_true.shape, self.dtype)
        else:
            weights = np.asarray(value_of(sample_weight))
            if weights.dtype.kind == "f" and np.dtype(self.dtype).kind in "iu":
                warnings.warn("You are passing weight as `float`, but dtype is `int`. This may result in an "
                              "incorrect weight due to type casting Consider using integer weights.", stacklevel=2)
            weights = np.broadcast_to(weights.astype(self.dtype).reshape(-1) if weights.ndim > 1
                                      else weights.astype(self.dtype), y_true.shape)
        valid = (y_true >= 0) & (y_true < self.num_classes) & (y_pred >= 0) & (y_pred < self.num_classes)
        if self.ignore_class is not None:
            valid &= y_true != self.ignore_class
        matrix = np.zeros((self.num_classes, self.num_classes), self.dtype)
        np.add.at(matrix, (y_true[valid].astype(np.int64), y_pred[valid].astype(np.int64)), weights[valid])
        self.total_cm.assign(self.total_cm.value + matrix)

    def reset_state(self):
        self.total_cm.value[...] = 0


class IoU(_IoUBase):
    """The mean IoU of the classes `target_class_ids` (classes absent from labels and predictions left out).

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes whose IoUs are averaged.
        ignore_class: a label (e.g. 255, "void") whose pixels are left out.
        sparse_y_true / sparse_y_pred: False when labels / predictions are one-hot or scores
            (then the argmax along `axis` is taken).
        axis: the class axis for `argmax`.
        dtype: of the confusion matrix (int32 by default: weights are cast to it).
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(num_classes=num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which is [0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)

    def result(self):
        matrix = self.total_cm.value.astype(np.float32)
        true_positives = np.diag(matrix)
        denominator = matrix.sum(axis=0) + matrix.sum(axis=1) - true_positives
        chosen = np.asarray(self.target_class_ids, dtype=np.int64)
        true_positives, denominator = true_positives[chosen], denominator[chosen]
        eps = np.float32(config.epsilon())
        valid = denominator > 1e-9
        iou = np.where(valid, true_positives / (denominator + eps), np.float32(0.0))
        return np.float32(np.sum(iou) / (np.float32(np.sum(valid)) + eps))

    def get_config(self):
        config_ = {"name": self.name, "dtype": self.dtype}
        config_.update({"num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                        "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                        "sparse_y_pred": self.sparse_y_pred, "axis": self.axis})
        return config_


class BinaryIoU(IoU):
    """IoU for a binary task: predictions `>= threshold` are class 1, the others class 0.

    Args:
        target_class_ids: `[0]`, `[1]` or `[0, 1]` (their mean).
        threshold: the score from which a prediction is class 1.
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        predicted = (np.asarray(value_of(y_pred), np.float32) >= self.threshold).astype(self.dtype)
        return super().update_state(np.asarray(value_of(y_true)).astype(self.dtype), predicted, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold, "name": self.name,
                "dtype": self.dtype}


class MeanIoU(IoU):
    """The mean IoU over all `num_classes` classes (absent classes left out)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True, sparse_y_pred=True,
                 axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=list(range(num_classes)), name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred,
                         axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotIoU(IoU):
    """`IoU` for one-hot labels and class scores (both read through argmax)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_pred=False,
                 axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids, "name": self.name,
                "dtype": self.dtype, "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """`MeanIoU` for one-hot labels and class scores (both read through argmax)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}
