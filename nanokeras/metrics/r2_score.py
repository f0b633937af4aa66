"""`R2Score`: the coefficient of determination of a regression, over everything seen.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> m = keras.metrics.R2Score()
    >>> float(m(np.array([[1.0], [2.0], [3.0]]), np.array([[1.0], [2.0], [4.0]])))
    0.5
"""

import warnings

import numpy as np

from nanokeras.metrics._utils import as_float, squeeze_or_expand
from nanokeras.metrics.metric import Metric

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """`1 - sum((y_true - y_pred)**2) / sum((y_true - mean(y_true))**2)`, per output column.

    Args:
        class_aggregation: how the columns' scores combine: `"uniform_average"` (their
            mean), `"variance_weighted_average"` (weighted by each column's variance) or
            None (one score per column).
        num_regressors: the number of independent variables, for the adjusted R2 score (0: plain R2).

    Inputs are `(batch, outputs)` arrays.
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(f"Invalid value for argument `class_aggregation`. Expected one of {_AGGREGATIONS}. "
                             f"Received: class_aggregation={class_aggregation!r}")
        if num_regressors < 0:
            raise ValueError(f"Invalid value for argument `num_regressors`. Expected a value >= 0. Received: "
                             f"num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), "zeros", name="num_samples")
        self._built = False

    def _build(self, true_shape, pred_shape):
        if len(pred_shape) != 2 or len(true_shape) != 2:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                             f"shapes: y_pred.shape={pred_shape} and y_true.shape={true_shape}.")
        columns = pred_shape[-1]
        self.squared_sum = self.add_variable((columns,), "zeros", name="squared_sum")
        self.sum = self.add_variable((columns,), "zeros", name="sum")
        self.total_mse = self.add_variable((columns,), "zeros", name="residual")
        self.count = self.add_variable((columns,), "zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = squeeze_or_expand(as_float(y_true, self.dtype), as_float(y_pred, self.dtype))
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        weights = np.asarray(1 if sample_weight is None else as_float(sample_weight, self.dtype), self.dtype)
        if weights.ndim == 1:
            weights = weights[:, None]
        weights = np.broadcast_to(weights, y_true.shape)
        weighted = y_true * weights
        self.sum.assign(self.sum.value + np.sum(weighted, axis=0))
        self.squared_sum.assign(self.squared_sum.value + np.sum(y_true * weighted, axis=0))
        self.total_mse.assign(self.total_mse.value + np.sum(np.square(y_true - y_pred) * weights, axis=0))
        self.count.assign(self.count.value + np.sum(weights, axis=0))
        self.num_samples.assign(self.num_samples.value + y_true.size)

    def result(self):
        if not self._built:
            return np.asarray(0.0, self._state_dtype())[()]
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = self.sum.value / self.count.value
            total = self.squared_sum.value - self.sum.value * mean
            raw = 1 - self.total_mse.value / total
        raw = np.where(np.isinf(raw), np.asarray(0.0, raw.dtype), raw)
        if self.class_aggregation == "uniform_average":
            score = np.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = np.sum(total * raw) / np.sum(total)
        else:
            score = raw
        samples = float(self.num_samples.value)
        if self.num_regressors:
            if self.num_regressors > samples - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 score. Falling back to "
                              "standard R2 score.", stacklevel=2)
            elif self.num_regressors == samples - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to standard R2 score.",
                              stacklevel=2)
            else:
                n, p = np.float32(samples), np.float32(self.num_regressors)
                score = 1 - (1 - score) * (n - 1) / (n - p - 1)
        dtype = self._state_dtype()
        return np.asarray(score, dtype)[()] if np.ndim(score) == 0 else np.asarray(score, dtype)

    def _state_dtype(self):
        # As Keras: `dtype` only converts the inputs; the state and the result stay in floatx().
        return self.num_samples.dtype

    def reset_state(self):
        for variable in self.variables:
            variable.value[...] = 0

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
