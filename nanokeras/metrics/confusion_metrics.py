"""Confusion-matrix metrics: true/false positive/negative counts, precision, recall.

A prediction is positive when it is strictly above a threshold (0.5 by default).
With a list of thresholds, results are arrays (one value per threshold).

Example:
    >>> import nanokeras as keras
    >>> m = keras.metrics.Precision()
    >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
    0.6666666865348816
"""

from nanokeras.metrics._confusion import (
    NEG_INF,
    check_thresholds,
    evenly_distributed,
    update_confusion_counts,
)
from nanokeras.metrics._utils import div_no_nan
from nanokeras.metrics.metric import Metric


def _scalar_or_array(values, thresholds):
    return values[0] if len(thresholds) == 1 else values


class _ConditionCount(Metric):
    """Weighted count of one confusion-matrix cell at each threshold."""

    _kind = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = check_thresholds(thresholds, 0.5)
        self._evenly = evenly_distributed(self.thresholds)
        self.accumulator = self.add_variable((len(self.thresholds),), "zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_counts({self._kind: self.accumulator}, y_true, y_pred, self.thresholds,
                                evenly=self._evenly, sample_weight=sample_weight)

    def result(self):
        return _scalar_or_array(self.accumulator.value.copy(), self.thresholds)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConditionCount):
    """Weighted number of positive labels predicted positive.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.TruePositives()([0, 1, 1, 1], [1, 0, 1, 1]))
        2.0
    """

    _kind = "tp"


class FalsePositives(_ConditionCount):
    """Weighted number of negative labels predicted positive.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.FalsePositives()([0, 1, 0, 0], [0, 0, 1, 1]))
        2.0
    """

    _kind = "fp"


class TrueNegatives(_ConditionCount):
    """Weighted number of negative labels predicted negative.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.TrueNegatives()([0, 1, 0, 0], [1, 1, 0, 0]))
        2.0
    """

    _kind = "tn"


class FalseNegatives(_ConditionCount):
    """Weighted number of positive labels predicted negative.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.FalseNegatives()([0, 1, 1, 1], [0, 1, 0, 0]))
        2.0
    """

    _kind = "fn"


class _PrecisionRecallBase(Metric):
    _second = None  # "fp" for precision, "fn" for recall

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        # With top_k, every kept prediction counts as positive.
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = check_thresholds(thresholds, default)
        self._evenly = evenly_distributed(self.thresholds)
        n = len(self.thresholds)
        self.true_positives = self.add_variable((n,), "zeros", name="true_positives")
        second_name = "false_positives" if self._second == "fp" else "false_negatives"
        setattr(self, second_name, self.add_variable((n,), "zeros", name=second_name))
        self._second_variable = getattr(self, second_name)

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_counts(
            {"tp": self.true_positives, self._second: self._second_variable},
            y_true, y_pred, self.thresholds, evenly=self._evenly, top_k=self.top_k,
            class_id=self.class_id, sample_weight=sample_weight,
        )

    def result(self):
        tp = self.true_positives.value
        values = div_no_nan(tp, tp + self._second_variable.value)
        return _scalar_or_array(values, self.thresholds)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


class Precision(_PrecisionRecallBase):
    """`true_positives / (true_positives + false_positives)`.

    Args:
        thresholds: a float or list of floats in [0, 1]; results are per threshold.
        top_k: only the `k` highest predictions of each sample count as positive.
        class_id: compute the metric for this class only.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.Precision()([0, 1, 1, 1], [1, 0, 1, 1]))
        0.6666666865348816
    """

    _second = "fp"


class Recall(_PrecisionRecallBase):
    """`true_positives / (true_positives + false_negatives)`.

    Args:
        thresholds: a float or list of floats in [0, 1]; results are per threshold.
        top_k: only the `k` highest predictions of each sample count as positive.
        class_id: compute the metric for this class only.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.Recall()([0, 1, 1, 1], [1, 0, 1, 1]))
        0.6666666865348816
    """

    _second = "fn"

