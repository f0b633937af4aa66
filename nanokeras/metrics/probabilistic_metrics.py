"""Probabilistic metrics: running means of crossentropies, KL divergence and Poisson loss.

Values come from the loss functions (numpy outside a tape), clipping probabilities
to `[epsilon, 1 - epsilon]` exactly as Keras does.

Example:
    >>> import nanokeras as keras
    >>> m = keras.metrics.BinaryCrossentropy()
    >>> round(float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.8149
"""

import numpy as np

from nanokeras.metrics._utils import as_float, shape_error, squeeze_or_expand
from nanokeras.metrics.reduction_metrics import Mean, MeanMetricWrapper


# The per-sample values are the loss functions themselves (as in Keras, where
# `keras.metrics.binary_crossentropy is keras.losses.binary_crossentropy`); metrics
# only average them over batches.
from nanokeras.losses.probabilistic import (  # noqa: E402
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)


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
