"""`AUC`: area under the ROC or precision-recall curve, by a Riemann sum over thresholds.

Example:
    >>> import nanokeras as keras
    >>> m = keras.metrics.AUC(num_thresholds=3)
    >>> float(m([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]))
    0.75
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.metrics._confusion import evenly_distributed, update_confusion_counts
from nanokeras.metrics._utils import as_float, div_no_nan
from nanokeras.metrics.metric import Metric

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")


def _curve_name(curve):
    value = getattr(curve, "value", curve)
    if not isinstance(value, str) or value.lower() not in _CURVES or value not in (
        value.lower(), value.upper()
    ):
        raise ValueError(f"AUC `curve` must be one of 'ROC', 'PR', 'PRGAIN', got {curve!r}.")
    return _CURVES[value.lower()]


def _summation_name(method):
    value = getattr(method, "value", method)
    if not isinstance(value, str) or value.lower() not in _SUMMATIONS or value not in (
        value.lower(), value.capitalize()
    ):
        raise ValueError(
            "AUC `summation_method` must be one of 'interpolation', 'majoring', 'minoring', "
            f"got {method!r}."
        )
    return value.lower()


class AUC(Metric):
    """Approximate area under the ROC (or PR) curve.

    Args:
        num_thresholds: thresholds evenly spaced in [0, 1] (default 200).
        curve: `"ROC"`, `"PR"` or `"PRGAIN"`.
        summation_method: `"interpolation"` (trapezoids; for PR, Davis & Goadrich
            interpolation), `"minoring"` or `"majoring"`.
        thresholds: explicit thresholds in (0, 1), instead of `num_thresholds`.
        multi_label: one curve per label (averaged) instead of flattening labels.
        num_labels: with `multi_label`, the number of labels (else taken from data).
        label_weights: per-label weights.
        from_logits: apply a sigmoid to predictions first.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.AUC(num_thresholds=3)([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]))
        0.75
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        self._direction = "up"
        self.curve = _curve_name(curve)
        self.summation_method = _summation_name(summation_method)
        self._init_from_thresholds = thresholds is not None
        eps = config.epsilon()
        if thresholds is not None:
            thresholds = sorted(float(t) for t in thresholds)
            self.num_thresholds = len(thresholds) + 2
            self._evenly = evenly_distributed(np.array([0.0] + thresholds + [1.0]))
        else:
            if not isinstance(num_thresholds, int) or num_thresholds <= 1:
                raise ValueError(
                    f"AUC `num_thresholds` must be an integer > 1, got {num_thresholds!r}."
                )
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        # The end points lie just outside [0, 1] so that 0 and 1 predictions are counted.
        self._thresholds = np.array([0.0 - eps] + thresholds + [1.0 + eps])
        if not multi_label and num_labels:
            raise ValueError("AUC `num_labels` is needed only when `multi_label=True`.")
        super().__init__(name=name, dtype=dtype)
        self.multi_label = bool(multi_label)
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else np.asarray(label_weights, self.dtype)
        self._from_logits = from_logits
        self._built = False
        if not self.multi_label:
            self._build(None)
        elif num_labels:
            self._build((None, num_labels))

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    "With `multi_label=True`, AUC needs y_pred of rank 2 (samples, labels), "
                    f"got shape {tuple(shape)}."
                )
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self.true_positives = self.add_variable(variable_shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(variable_shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(variable_shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(variable_shape, "zeros", name="false_negatives")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = as_float(y_pred)
        if not self._built:
            self._build(y_pred.shape)
        if self._from_logits:
            y_pred = 1.0 / (1.0 + np.exp(-y_pred))
        update_confusion_counts(
            {"tp": self.true_positives, "tn": self.true_negatives,
             "fp": self.false_positives, "fn": self.false_negatives},
            y_true, y_pred, self._thresholds, evenly=self._evenly,
            sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
        )

    def _average(self, terms):
        if not self.multi_label:
            return terms.sum()
        by_label = terms.sum(axis=0)
        if self.label_weights is None:
            return by_label.mean()
        return div_no_nan((by_label * self.label_weights).sum(), self.label_weights.sum())

    def _interpolate_pr_auc(self, tp, fp, fn):
        """PR-AUC with Davis & Goadrich's interpolation between thresholds."""
        n = self.num_thresholds
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        dp = p[: n - 1] - p[1:]
        slope = div_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both_positive = (p[: n - 1] > 0) & (p[1:] > 0)
        ratio = np.where(both_positive, div_no_nan(p[: n - 1], np.maximum(p[1:], 0)),
                         np.ones_like(p[1:]))
        with np.errstate(divide="ignore", invalid="ignore"):
            increments = div_no_nan(slope * (dtp + intercept * np.log(ratio)),
                                    np.maximum(tp[1:] + fn[1:], 0))
        return self._average(increments)

    def result(self):
        # As Keras: `dtype` is only the metric's nominal dtype; counts and result stay in floatx().
        if not self._built:
            return np.zeros((), config.floatx())[()]
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        if self.curve == "PR" and self.summation_method == "interpolation":
            return np.asarray(self._interpolate_pr_auc(tp, fp, fn), config.floatx())[()]
        recall = div_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = div_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, div_no_nan(tp, tp + fp)
        else:
            scale = div_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scale * div_no_nan(fn, tp)
            precision_gain = 1.0 - scale * div_no_nan(fp, tp)
            x = np.maximum(np.where(tp == 0, 0.0, recall_gain), 0.0).astype(tp.dtype)
            y = np.where(tp == 0, 1.0, precision_gain).astype(tp.dtype)
        n = self.num_thresholds
        if self.summation_method == "interpolation":
            heights = (y[: n - 1] + y[1:]) / np.asarray(2.0, y.dtype)
        elif self.summation_method == "minoring":
            heights = np.minimum(y[: n - 1], y[1:])
        else:
            heights = np.maximum(y[: n - 1], y[1:])
        return np.asarray(self._average((x[: n - 1] - x[1:]) * heights), config.floatx())[()]

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        config_ = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if self.label_weights is None else self.label_weights.tolist(),
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config_["thresholds"] = self.thresholds[1:-1]
        return config_
