"""Confusion-matrix metrics: true/false positive/negative counts, precision, recall.

A prediction is positive when it is strictly above a threshold (0.5 by default).
With a list of thresholds, results are arrays (one value per threshold).

Example:
    >>> import nanokeras as keras
    >>> m = keras.metrics.Precision()
    >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
    0.6666666865348816
"""

import numpy as np

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



class SensitivitySpecificityBase(Metric):
    """Counts TP/FP/TN/FN at `num_thresholds` evenly spaced thresholds, then finds the best
    value of one rate among the thresholds where another rate reaches `value`."""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) or num_thresholds <= 0:
            raise ValueError(f"Argument `num_thresholds` must be an integer > 0. Received: "
                             f"num_thresholds={num_thresholds!r}")
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:
            self.thresholds = [0.0] + [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)] + [1.0]
        self._evenly = num_thresholds > 1
        for variable in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, variable, self.add_variable((len(self.thresholds),), "zeros", name=variable))

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_counts(
            {"tp": self.true_positives, "tn": self.true_negatives, "fp": self.false_positives,
             "fn": self.false_negatives},
            y_true, y_pred, self.thresholds, evenly=self._evenly, class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def _best_where(self, constrained, dependent):
        """The largest `dependent` rate among the thresholds where `constrained >= value` (0 if none)."""
        feasible = constrained >= self.value
        return np.max(np.where(feasible, dependent, np.zeros((), dependent.dtype)), initial=0)[()]

    def _rates(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {"sensitivity": div_no_nan(tp, tp + fn), "specificity": div_no_nan(tn, tn + fp),
                "precision": div_no_nan(tp, tp + fp)}

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) among the thresholds whose specificity is at least `specificity`.

    Example:
        >>> import nanokeras as keras
        >>> m = keras.metrics.SensitivityAtSpecificity(0.5)
        >>> float(m([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]))
        0.5
    """

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        if specificity < 0 or specificity > 1:
            raise ValueError(f"Argument `specificity` must be in the range [0, 1]. Received: specificity={specificity}")
        self.specificity = specificity
        self.num_thresholds = num_thresholds
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best_where(rates["specificity"], rates["sensitivity"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds, "specificity": self.specificity}


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity among the thresholds whose sensitivity is at least `sensitivity`."""

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        if sensitivity < 0 or sensitivity > 1:
            raise ValueError(f"Argument `sensitivity` must be in the range [0, 1]. Received: sensitivity={sensitivity}")
        self.sensitivity = sensitivity
        self.num_thresholds = num_thresholds
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best_where(rates["sensitivity"], rates["specificity"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds, "sensitivity": self.sensitivity}


class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision among the thresholds whose recall is at least `recall`."""

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        if recall < 0 or recall > 1:
            raise ValueError(f"Argument `recall` must be in the range [0, 1]. Received: recall={recall}")
        self.recall = recall
        self.num_thresholds = num_thresholds
        super().__init__(value=recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best_where(rates["sensitivity"], rates["precision"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds, "recall": self.recall}


class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall among the thresholds whose precision is at least `precision`."""

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        if precision < 0 or precision > 1:
            raise ValueError(f"Argument `precision` must be in the range [0, 1]. Received: precision={precision}")
        self.precision = precision
        self.num_thresholds = num_thresholds
        super().__init__(value=precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best_where(rates["precision"], rates["sensitivity"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds, "precision": self.precision}
