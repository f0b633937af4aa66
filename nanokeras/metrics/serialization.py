"""`get`, `serialize`, `deserialize`: metrics from and to names and config dicts.

Example:
    >>> import nanokeras as keras
    >>> keras.metrics.get("mse")
    <MeanSquaredError name=mean_squared_error>
    >>> keras.metrics.serialize(keras.metrics.Mean(name="loss"))["config"]
    {'name': 'loss', 'dtype': 'float32'}
"""

import inspect

from nanokeras.backend.naming import to_snake_case
from nanokeras.metrics import accuracy_metrics as _acc
from nanokeras.metrics import probabilistic_metrics as _prob
from nanokeras.metrics import regression_metrics as _reg
from nanokeras.metrics.auc import AUC
from nanokeras.losses import hinge_losses as _hinge_losses
from nanokeras.losses import probabilistic as _prob_losses
from nanokeras.losses import regression as _regression_losses
from nanokeras.metrics import correlation_metrics as _corr
from nanokeras.metrics import hinge_metrics as _hinge
from nanokeras.metrics import iou_metrics as _iou
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
from nanokeras.metrics.f_score_metrics import F1Score, FBetaScore
from nanokeras.metrics.identifier_error import MetricIdentifierError
from nanokeras.metrics.r2_score import R2Score
from nanokeras.metrics.metric import Metric
from nanokeras.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from nanokeras.utils.lookup import lookup

ALL_OBJECTS = (
    Metric, Mean, Sum, MeanMetricWrapper,
    _reg.MeanSquaredError, _reg.RootMeanSquaredError, _reg.MeanAbsoluteError,
    _reg.MeanAbsolutePercentageError, _reg.MeanSquaredLogarithmicError,
    _reg.CosineSimilarity, _reg.LogCoshError,
    AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives,
    _prob.KLDivergence, _prob.Poisson, _prob.BinaryCrossentropy,
    _prob.CategoricalCrossentropy, _prob.SparseCategoricalCrossentropy,
    _acc.Accuracy, _acc.BinaryAccuracy, _acc.CategoricalAccuracy,
    _acc.SparseCategoricalAccuracy, _acc.TopKCategoricalAccuracy,
    _acc.SparseTopKCategoricalAccuracy,
    F1Score, FBetaScore, R2Score, PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity,
    SpecificityAtSensitivity, _corr.PearsonCorrelation, _corr.ConcordanceCorrelation, _hinge.Hinge,
    _hinge.SquaredHinge, _hinge.CategoricalHinge, _iou.IoU, _iou.BinaryIoU, _iou.MeanIoU, _iou.OneHotIoU,
    _iou.OneHotMeanIoU,
)

# What a string names, as in Keras 3: class names, their snake_case, and short aliases.
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update({
    "bce": _prob.BinaryCrossentropy, "BCE": _prob.BinaryCrossentropy,
    "mse": _reg.MeanSquaredError, "MSE": _reg.MeanSquaredError,
    "mae": _reg.MeanAbsoluteError, "MAE": _reg.MeanAbsoluteError,
    "mape": _reg.MeanAbsolutePercentageError, "MAPE": _reg.MeanAbsolutePercentageError,
    "msle": _reg.MeanSquaredLogarithmicError, "MSLE": _reg.MeanSquaredLogarithmicError,
})

# Functions that `keras.metrics` exposes, for (de)serializing wrapped functions.
FUNCTIONS = {
    f.__name__: f
    for f in (
        _acc.accuracy, _acc.binary_accuracy, _acc.categorical_accuracy,
        _acc.sparse_categorical_accuracy, _acc.top_k_categorical_accuracy,
        _acc.sparse_top_k_categorical_accuracy,
        _reg.mean_squared_error, _reg.mean_absolute_error, _reg.mean_absolute_percentage_error,
        _reg.mean_squared_logarithmic_error, _reg.log_cosh, _reg.cosine_similarity,
        _prob.binary_crossentropy, _prob.categorical_crossentropy,
        _prob.sparse_categorical_crossentropy, _prob.kl_divergence, _prob.poisson,
        _corr.pearson_correlation, _corr.concordance_correlation, _hinge_losses.hinge,
        _hinge_losses.squared_hinge, _hinge_losses.categorical_hinge, _prob_losses.binary_focal_crossentropy,
        _prob_losses.categorical_focal_crossentropy, _regression_losses.huber,
    )
}


def serialize(metric):
    """A JSON-friendly dict describing a `Metric` instance or a metric function.

    Example:
        >>> import nanokeras as keras
        >>> keras.metrics.serialize(keras.metrics.BinaryAccuracy())["class_name"]
        'BinaryAccuracy'
    """
    if metric is None:
        return None
    if not (type(metric) in ALL_OBJECTS or metric in FUNCTIONS.values()):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        # A metric of the user's: written as Keras writes it (its module, its registered name).
        return serialize_keras_object(metric)
    if isinstance(metric, Metric):
        return {"module": "keras.metrics", "class_name": metric.__class__.__name__,
                "config": metric.get_config(), "registered_name": None}
    if inspect.isfunction(metric) or inspect.isbuiltin(metric):
        return {"module": "builtins", "class_name": "function", "config": metric.__name__,
                "registered_name": "function"}
    raise TypeError(
        f"Cannot serialize {metric!r}: expected a keras.metrics.Metric instance or a function."
    )


def deserialize(config, custom_objects=None):
    """The metric a `serialize` dict (or a name) describes.

    Example:
        >>> import nanokeras as keras
        >>> keras.metrics.deserialize({"class_name": "Mean", "config": {"name": "m"}})
        <Mean name=m>
    """
    custom_objects = custom_objects or {}
    if isinstance(config, str):
        if config in custom_objects:
            obj = custom_objects[config]
        elif config in FUNCTIONS and config not in ALL_OBJECTS_DICT:
            return FUNCTIONS[config]
        else:
            obj = lookup(config, {**ALL_OBJECTS_DICT, **FUNCTIONS}, kind="metric")
        return obj() if inspect.isclass(obj) else obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise TypeError(
            "`deserialize` expects a metric name or a dict with 'class_name' and 'config' "
            f"(as `keras.metrics.serialize` returns), got {config!r}."
        )
    class_name, inner = config["class_name"], config.get("config") or {}
    if class_name == "function":
        registry = {**FUNCTIONS, **custom_objects}
        return lookup(inner, registry, kind="metric function")
    registry = {**ALL_OBJECTS_DICT, **custom_objects}
    cls = lookup(class_name, registry, kind="metric")
    if not inspect.isclass(cls):
        return cls
    return cls.from_config(dict(inner))


def get(identifier):
    """A metric from a name, config dict, class, function or instance (as `keras.metrics.get`).

    Strings name metric classes (`"AUC"`, `"auc"`, `"binary_accuracy"`) or aliases
    (`"mse"`, `"mae"`, `"mape"`, `"msle"`, `"bce"`); a new instance is returned.

    Example:
        >>> import nanokeras as keras
        >>> keras.metrics.get("binary_accuracy")
        <BinaryAccuracy name=binary_accuracy>
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = lookup(identifier, ALL_OBJECTS_DICT, kind="metric", argument="metrics")
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise MetricIdentifierError(
        f"Could not interpret metric identifier {identifier!r} ({type(identifier).__name__}). "
        "Expected a metric name such as 'accuracy', a keras.metrics.Metric instance or class, "
        "a function `fn(y_true, y_pred)`, or a config dict."
    )
