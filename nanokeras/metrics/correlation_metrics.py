"""Correlation metrics: Pearson's and the concordance correlation coefficient, averaged over batches.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> float(keras.metrics.PearsonCorrelation()(np.array([[1.0, 2.0, 3.0]]), np.array([[2.0, 4.0, 6.0]])))
    1.0
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.metrics._utils import as_float, squeeze_or_expand
from nanokeras.metrics.reduction_metrics import MeanMetricWrapper


def _pair(y_true, y_pred):
    y_pred = as_float(y_pred)
    return squeeze_or_expand(as_float(y_true, y_pred.dtype), y_pred)


def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson's correlation of `y_true` and `y_pred` along `axis` (one value per sample)."""
    y_true, y_pred = _pair(y_true, y_pred)
    with np.errstate(invalid="ignore", divide="ignore"):  # a constant sample has no correlation: NaN, as Keras
        true_centered = y_true - np.mean(y_true, axis=axis, keepdims=True)
        pred_centered = y_pred - np.mean(y_pred, axis=axis, keepdims=True)
        true_centered = true_centered / np.std(true_centered, axis=axis, keepdims=True)
        pred_centered = pred_centered / np.std(pred_centered, axis=axis, keepdims=True)
        return np.mean(true_centered * pred_centered, axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation along `axis`, computed as Keras 3 does.

    Keras centres both factors of the covariance term on the mean of `y_pred`:
    `mean(2 (y_true - mean(y_pred)) (y_pred - mean(y_pred)) / (var(y_true) + var(y_pred)
    + (mean(y_true) - mean(y_pred))**2 + epsilon))`; nanokeras follows it.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    true_mean = np.mean(y_true, axis=axis, keepdims=True)
    pred_mean = np.mean(y_pred, axis=axis, keepdims=True)
    true_var = np.var(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = np.var(y_pred - pred_mean, axis=axis, keepdims=True)
    covariance = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + np.square(true_mean - pred_mean)
    return np.mean(2 * covariance / (norm + np.asarray(config.epsilon(), y_pred.dtype)), axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """The mean over samples of Pearson's correlation between labels and predictions (along `axis`)."""

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(fn=pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """The mean over samples of the concordance correlation between labels and predictions."""

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(fn=concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
