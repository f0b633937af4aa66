"""Regression metrics: running means of per-sample errors.

The functions here compute values with numpy (metrics are never differentiated)
and return one value per sample (the mean over the last axis).

Example:
    >>> import nanokeras as keras
    >>> m = keras.metrics.MeanSquaredError()
    >>> float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]]))
    0.25
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.metrics._utils import as_float, squeeze_or_expand
from nanokeras.metrics._utils import shape_error
from nanokeras.metrics.reduction_metrics import Mean, MeanMetricWrapper


def _pair(y_true, y_pred):
    y_pred = as_float(y_pred)
    y_true = as_float(y_true, y_pred.dtype)
    return squeeze_or_expand(y_true, y_pred)


def mean_squared_error(y_true, y_pred):
    """`mean((y_true - y_pred) ** 2, axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred)
    return np.mean(np.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred)
    return np.mean(np.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred)
    eps = np.asarray(config.epsilon(), y_pred.dtype)
    diff = np.abs((y_true - y_pred) / np.maximum(np.abs(y_true), eps))
    return np.asarray(100.0, y_pred.dtype) * np.mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)) ** 2, axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred)
    eps = np.asarray(config.epsilon(), y_pred.dtype)
    one = np.asarray(1.0, y_pred.dtype)
    first = np.log(np.maximum(y_pred, eps) + one)
    second = np.log(np.maximum(y_true, eps) + one)
    return np.mean(np.square(first - second), axis=-1)


def log_cosh(y_true, y_pred):
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed without overflow."""
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    # log(cosh(x)) = x + softplus(-2x) - log(2)
    two = np.asarray(-2.0, x.dtype)
    return np.mean(x + np.logaddexp(x * two, np.asarray(0, x.dtype)) - np.asarray(np.log(2.0), x.dtype), axis=-1)


def _l2_normalize(x, axis):
    eps = config.epsilon()
    inv = 1.0 / np.sqrt(np.sum(np.square(x), axis=axis, keepdims=True))
    return x * np.minimum(inv, np.asarray(1.0 / eps, x.dtype))


def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine of the angle between `y_true` and `y_pred` along `axis`."""
    y_true, y_pred = _pair(y_true, y_pred)
    with np.errstate(divide="ignore"):
        return np.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


class MeanSquaredError(MeanMetricWrapper):
    """Mean of squared errors.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.MeanSquaredError()([[0, 1]], [[1, 1]]))
        0.5
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(fn=mean_squared_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsoluteError(MeanMetricWrapper):
    """Mean of absolute errors.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.MeanAbsoluteError()([[0, 1]], [[1, 1]]))
        0.5
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(fn=mean_absolute_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Mean of absolute errors relative to the labels, in percent.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.MeanAbsolutePercentageError()([[2.0]], [[1.0]]))
        50.0
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(fn=mean_absolute_percentage_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Mean of squared differences of `log(1 + x)`.

    Example:
        >>> import nanokeras as keras
        >>> m = keras.metrics.MeanSquaredLogarithmicError()
        >>> round(float(m([[0.0]], [[1.0]])), 4)
        0.4805
    """

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(fn=mean_squared_logarithmic_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class RootMeanSquaredError(Mean):
    """Square root of the mean of squared errors over everything seen.

    Example:
        >>> import nanokeras as keras
        >>> float(keras.metrics.RootMeanSquaredError()([[0, 1], [0, 0]], [[1, 1], [0, 0]]))
        0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = as_float(y_true, self._dtype)
        y_pred = as_float(y_pred, self._dtype)
        y_true, y_pred = squeeze_or_expand(y_true, y_pred)
        try:
            error_sq = np.square(y_pred - y_true)
        except ValueError:
            raise shape_error(self.name, y_true, y_pred, "shapes do not broadcast") from None
        super().update_state(error_sq, sample_weight=sample_weight)

    def result(self):
        return np.sqrt(super().result())


class CosineSimilarity(MeanMetricWrapper):
    """Mean cosine similarity between labels and predictions.

    Example:
        >>> import nanokeras as keras
        >>> round(float(keras.metrics.CosineSimilarity()([[0, 1], [1, 1]], [[1, 0], [1, 1]])), 6)
        0.5
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(fn=cosine_similarity, name=name, dtype=dtype, axis=axis)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class LogCoshError(MeanMetricWrapper):
    """Mean of `log(cosh(y_pred - y_true))`.

    Example:
        >>> import nanokeras as keras
        >>> round(float(keras.metrics.LogCoshError()([[0.0]], [[1.0]])), 4)
        0.4338
    """

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(fn=log_cosh, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

