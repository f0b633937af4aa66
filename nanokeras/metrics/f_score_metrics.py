"""`FBetaScore` and `F1Score`: the weighted harmonic mean of precision and recall, per class.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> m = keras.metrics.F1Score(average="micro")
    >>> round(float(m(np.array([[1, 0], [0, 1]]), np.array([[0.9, 0.1], [0.8, 0.2]]))), 6)
    0.5
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.metrics._utils import as_float
from nanokeras.metrics.metric import Metric

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """`(1 + beta**2) * precision * recall / (beta**2 * precision + recall)` for multi-label outputs.

    Args:
        average: None (one score per class), `"micro"` (counts pooled over classes),
            `"macro"` (the mean of the class scores) or `"weighted"` (weighted by each
            class's number of true labels).
        beta: how much more recall counts than precision (a float > 0).
        threshold: predictions above it count as positive; None: the largest prediction
            of each sample (one positive class per sample).

    Inputs are `(batch, classes)` arrays of 0/1 labels and scores.
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in _AVERAGES:
            raise ValueError("Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', "
                             f"'weighted'}}. Received: average={average!r}")
        if not isinstance(beta, float):
            raise ValueError(f"Invalid `beta` argument value. It should be a Python float. Received: beta={beta!r} "
                             f"of type '{type(beta).__name__}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError("Invalid `threshold` argument value. It should be a Python float. Received: "
                                 f"threshold={threshold!r} of type '{type(threshold).__name__}'")
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(f"Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                                 f"Received: threshold={threshold}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, true_shape, pred_shape):
        if len(pred_shape) != 2 or len(true_shape) != 2:
            raise ValueError("FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input "
                             f"shapes: y_pred.shape={pred_shape} and y_true.shape={true_shape}.")
        shape = (pred_shape[-1],) if self.average != "micro" else ()
        for name in ("true_positives", "false_positives", "false_negatives", "intermediate_weights"):
            setattr(self, name, self.add_variable(shape, "zeros", dtype=self.dtype, name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = as_float(y_true, self.dtype)
        y_pred = as_float(y_pred, self.dtype)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:
            predicted = (y_pred >= y_pred.max(axis=-1, keepdims=True)) & (np.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = predicted.astype(self.dtype)
        weights = None if sample_weight is None else as_float(sample_weight, self.dtype)

        def weighted_sum(values):
            if weights is not None:
                values = values * np.expand_dims(weights, 1)
            return np.sum(values, axis=self.axis)

        one = np.asarray(1, self.dtype)
        self.true_positives.assign(self.true_positives.value + weighted_sum(predicted * y_true))
        self.false_positives.assign(self.false_positives.value + weighted_sum(predicted * (one - y_true)))
        self.false_negatives.assign(self.false_negatives.value + weighted_sum((one - predicted) * y_true))
        self.intermediate_weights.assign(self.intermediate_weights.value + weighted_sum(y_true))

    def result(self):
        if not self._built:
            return np.asarray(0.0, self.dtype)[()]
        eps = np.asarray(config.epsilon(), self.dtype)
        tp, fp, fn = self.true_positives.value, self.false_positives.value, self.false_negatives.value
        precision = tp / (tp + fp + eps)
        recall = tp / (tp + fn + eps)
        beta_squared = np.asarray(self.beta ** 2, self.dtype)
        score = precision * recall / (beta_squared * precision + recall + eps) * (1 + beta_squared)
        if self.average == "weighted":
            weights = self.intermediate_weights.value / (np.sum(self.intermediate_weights.value) + eps)
            return np.sum(score * weights)[()]
        if self.average is not None:
            return np.mean(score)[()]
        return score

    def reset_state(self):
        for variable in self.variables:
            variable.value[...] = 0

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


class F1Score(FBetaScore):
    """The harmonic mean of precision and recall (`FBetaScore` with `beta=1`).

    Args:
        average, threshold: as for `FBetaScore`.
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config_ = super().get_config()
        del config_["beta"]
        return config_
