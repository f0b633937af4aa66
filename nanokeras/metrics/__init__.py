"""`keras.metrics`: stateful metrics computed with numpy, with Keras 3's numerics.

Example:
    >>> import nanokeras as keras
    >>> m = keras.metrics.BinaryAccuracy()
    >>> m.update_state([[1], [0]], [[0.9], [0.8]])
    >>> float(m.result())
    0.5
"""

from nanokeras.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from nanokeras.metrics.auc import AUC
from nanokeras.metrics.confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from nanokeras.metrics.correlation_metrics import (
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from nanokeras.metrics.f_score_metrics import F1Score, FBetaScore
from nanokeras.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from nanokeras.metrics.iou_metrics import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from nanokeras.metrics.r2_score import R2Score
# Functions Keras also publishes in `keras.metrics` (the loss functions themselves).
from nanokeras.losses.hinge_losses import categorical_hinge, hinge, squared_hinge
from nanokeras.losses.probabilistic import binary_focal_crossentropy, categorical_focal_crossentropy
from nanokeras.losses.regression import huber
from nanokeras.metrics.metric import Metric
from nanokeras.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from nanokeras.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from nanokeras.metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    cosine_similarity,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from nanokeras.metrics.serialization import ALL_OBJECTS, ALL_OBJECTS_DICT, deserialize, get, serialize
from nanokeras.utils import keras2_notes as _keras2_notes

# Keras 2 names that Keras 3 removed: they work, with a note on the Keras 3 name.
__getattr__ = _keras2_notes.module_getattr(globals(), "keras.metrics", {
    "mse": "mean_squared_error", "MSE": "mean_squared_error",
    "mae": "mean_absolute_error", "MAE": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "MSLE": "mean_squared_logarithmic_error",
    "kld": "kl_divergence", "KLD": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh",
}, "metric_alias")

# What `from keras.metrics import *` gives: the metrics, not the modules (`metric`, `auc`, ...) nor the
# registry tables (nor Keras 2's aliases, which come with a note on use).
__all__ = sorted(
    {_n for _n, _v in globals().items() if not _n.startswith("_") and type(_v).__name__ != "module"}
    - {"ALL_OBJECTS", "ALL_OBJECTS_DICT"}
)
