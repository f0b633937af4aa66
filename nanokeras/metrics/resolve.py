"""Compile-time metric resolution, as Keras 3's `model.compile(metrics=[...])` does it.

`resolve_metric` turns one user identifier into a `Metric` whose `name` is the
key the metric gets in `History` and in the progress bar:

- `"accuracy"` / `"acc"` (any case) become `BinaryAccuracy` when `y_pred` has
  one column, `SparseCategoricalAccuracy` when labels are integers (`y_true`
  of lower rank than `y_pred`, or one label column for several classes), else
  `CategoricalAccuracy`; `"crossentropy"` / `"ce"` choose the matching
  crossentropy the same way. The name is the string as written (`"acc"`).
- Any other string is looked up as `keras.metrics.get` does (`"mae"`,
  `"AUC"`, `"binary_accuracy"`); the name is the string as written.
- A `Metric` instance keeps its own name; a `Metric` class is instantiated
  and named by its default name; a plain function is wrapped in
  `MeanMetricWrapper` and named by its snake_cased `__name__`.

Example:
    >>> import numpy as np
    >>> from nanokeras.metrics.resolve import resolve_metric
    >>> m = resolve_metric("acc", np.zeros((4, 1)), np.zeros((4, 3)))
    >>> type(m).__name__, m.name
    ('SparseCategoricalAccuracy', 'acc')
"""

import inspect

import numpy as np

from nanokeras.backend.naming import to_snake_case
from nanokeras.ops.tensor import value_of
from nanokeras.metrics.accuracy_metrics import (
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
)
from nanokeras.metrics.metric import Metric
from nanokeras.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
)
from nanokeras.metrics.reduction_metrics import MeanMetricWrapper
from nanokeras.metrics.serialization import ALL_OBJECTS_DICT, get
from nanokeras.utils.lookup import lookup

_ACCURACY = ("accuracy", "acc")
_CROSSENTROPY = ("crossentropy", "ce")
# (binary, sparse categorical, categorical)
_BY_TARGET = {
    _ACCURACY: (BinaryAccuracy, SparseCategoricalAccuracy, CategoricalAccuracy),
    _CROSSENTROPY: (BinaryCrossentropy, SparseCategoricalCrossentropy, CategoricalCrossentropy),
}


def _shape(x):
    shape = np.shape(value_of(x))
    return shape if shape else (1,)


def target_kind(y_true, y_pred):
    """`(is_binary, is_sparse_categorical)` from the shapes of one batch (Keras's rule)."""
    t, p = _shape(y_true), _shape(y_pred)
    is_binary = p[-1] == 1
    is_sparse = len(t) < len(p) or (t[-1] == 1 and p[-1] > 1)
    return is_binary, is_sparse


def _object_name(obj):
    if hasattr(obj, "name") and isinstance(obj.name, str):
        return obj.name
    if hasattr(obj, "__name__"):
        return to_snake_case(obj.__name__)
    return to_snake_case(obj.__class__.__name__)


def _shortcut(identifier):
    """The alias group (`_ACCURACY` / `_CROSSENTROPY`) a string identifier belongs to, if any."""
    if not isinstance(identifier, str):
        return None
    key = identifier.lower()
    for group in _BY_TARGET:
        if key in group:
            return group
    return None


def check_metric_identifier(identifier):
    """Validates one `metrics=` entry without data; returns it unchanged.

    Raises:
        ValueError: for None or an unknown name (suggesting the closest one).
        TypeError: for anything that is not a name, dict, Metric or callable.
    """
    if identifier is None:
        raise ValueError(
            "Expected a metric in `metrics`, received None. Remove it, or pass e.g. 'accuracy'."
        )
    if isinstance(identifier, str):
        if _shortcut(identifier) is None:
            known = dict(ALL_OBJECTS_DICT, accuracy=None, acc=None, crossentropy=None, ce=None)
            lookup(identifier, known, kind="metric", argument="metrics")
        return identifier
    if isinstance(identifier, dict):
        if "class_name" not in identifier:
            raise TypeError(
                "A metric config dict needs a 'class_name' key (as `keras.metrics.serialize` "
                f"returns), got keys {sorted(identifier)}."
            )
        if identifier["class_name"] != "function":
            lookup(identifier["class_name"], ALL_OBJECTS_DICT, kind="metric", argument="metrics")
        return identifier
    if isinstance(identifier, Metric) or callable(identifier):
        if inspect.isclass(identifier) and not issubclass(identifier, Metric):
            raise TypeError(
                f"`metrics` got the class {identifier.__name__}, which is not a "
                "keras.metrics.Metric subclass. Pass a Metric class or instance, or a "
                "function `fn(y_true, y_pred)`."
            )
        return identifier
    raise TypeError(
        f"Unsupported metric in `metrics`: {identifier!r} ({type(identifier).__name__}). "
        "Expected a name such as 'accuracy' or 'mae', a keras.metrics.Metric instance or "
        "class, a function `fn(y_true, y_pred)`, or a config dict."
    )


def resolve_metric(identifier, y_true, y_pred):
    """The `Metric` that `compile(metrics=[identifier])` uses, named as Keras names it.

    Args:
        identifier: a string, config dict, Metric class or instance, or function.
        y_true: a sample batch of targets (numpy array), used for the
            accuracy/crossentropy shortcuts.
        y_pred: a sample batch of model outputs (numpy array).

    Returns:
        A `Metric`; an instance passed in is returned itself (renamed only
        if it is wrapped).

    Example:
        >>> import numpy as np
        >>> from nanokeras.metrics.resolve import resolve_metric
        >>> resolve_metric("mae", np.zeros((2, 1)), np.zeros((2, 1))).name
        'mae'
    """
    check_metric_identifier(identifier)
    group = _shortcut(identifier)
    if group is not None:
        binary_cls, sparse_cls, categorical_cls = _BY_TARGET[group]
        is_binary, is_sparse = target_kind(y_true, y_pred)
        cls = binary_cls if is_binary else sparse_cls if is_sparse else categorical_cls
        return cls(name=identifier)
    metric = get(identifier)
    name = identifier if isinstance(identifier, str) else _object_name(metric)
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric)
    metric.name = name
    return metric
