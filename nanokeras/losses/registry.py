"""Finding losses by name: `get`, `serialize`, `deserialize`.

Example:
    >>> import nanokeras as keras
    >>> keras.losses.get("mse") is keras.losses.mean_squared_error
    True
    >>> keras.losses.get("BinaryCrossentropy").from_logits
    False
"""

import inspect

from nanokeras.losses import circle_loss as _circle
from nanokeras.losses import classes as _classes
from nanokeras.losses import ctc_loss as _ctc
from nanokeras.losses import more_classes as _more
from nanokeras.losses import overlap as _overlap
from nanokeras.losses import hinge_losses as _hinge
from nanokeras.losses import probabilistic as _prob
from nanokeras.losses import regression as _reg
from nanokeras.losses.loss import Loss
from nanokeras.utils import keras2_notes
from nanokeras.utils.lookup import lookup

_FUNCTIONS = (
    _prob.binary_crossentropy,
    _prob.binary_focal_crossentropy,
    _prob.categorical_crossentropy,
    _prob.sparse_categorical_crossentropy,
    _prob.kl_divergence,
    _prob.poisson,
    _reg.mean_squared_error,
    _reg.mean_absolute_error,
    _reg.mean_absolute_percentage_error,
    _reg.mean_squared_logarithmic_error,
    _reg.cosine_similarity,
    _reg.huber,
    _reg.log_cosh,
    _hinge.hinge,
    _hinge.squared_hinge,
    _hinge.categorical_hinge,
    _prob.categorical_focal_crossentropy,
    _prob.categorical_generalized_cross_entropy,
    _overlap.dice,
    _overlap.tversky,
    _circle.circle,
    _ctc.ctc,
)

_CLASSES = (
    Loss,
    _classes.LossFunctionWrapper,
    _classes.BinaryCrossentropy,
    _classes.BinaryFocalCrossentropy,
    _classes.CategoricalCrossentropy,
    _classes.SparseCategoricalCrossentropy,
    _classes.KLDivergence,
    _classes.Poisson,
    _classes.MeanSquaredError,
    _classes.MeanAbsoluteError,
    _classes.MeanAbsolutePercentageError,
    _classes.MeanSquaredLogarithmicError,
    _classes.CosineSimilarity,
    _classes.Huber,
    _classes.LogCosh,
    _classes.Hinge,
    _classes.SquaredHinge,
    _classes.CategoricalHinge,
    _more.Dice,
    _more.Tversky,
    _more.Circle,
    _more.CTC,
    _more.CategoricalFocalCrossentropy,
    _more.CategoricalGeneralizedCrossEntropy,
)

# Every name `keras.losses.get` accepts, plus the legacy Keras 2 aliases.
ALL_OBJECTS = {obj.__name__: obj for obj in _FUNCTIONS + _CLASSES}
_ALIASES = {
    "bce": _prob.binary_crossentropy,
    "kld": _prob.kl_divergence,
    "kullback_leibler_divergence": _prob.kl_divergence,
    "mae": _reg.mean_absolute_error,
    "mse": _reg.mean_squared_error,
    "mape": _reg.mean_absolute_percentage_error,
    "msle": _reg.mean_squared_logarithmic_error,
    "logcosh": _reg.log_cosh,
}
ALL_OBJECTS.update(_ALIASES)
# Aliases that only Keras 2 accepts (Keras 3's `losses.get` rejects them), with their Keras 3 names.
_KERAS2_ONLY_NAMES = {"kullback_leibler_divergence": "kl_divergence", "logcosh": "log_cosh"}
# Suggestions for misspelled names come from the lowercase spellings only.
_SUGGESTABLE = dict(ALL_OBJECTS)
ALL_OBJECTS.update({name.upper(): fn for name, fn in _ALIASES.items() if len(name) <= 4})


def _lookup(name, registry, argument=None):
    try:
        return registry[name]
    except (KeyError, TypeError):
        pass
    suggestable = _SUGGESTABLE if registry is ALL_OBJECTS else {**_SUGGESTABLE, **registry}
    return lookup(name, suggestable, kind="loss identifier", argument=argument)

_FUNCTION_NAMES = {fn: fn.__name__ for fn in _FUNCTIONS}


def _is_builtin(obj):
    if isinstance(obj, Loss):
        return type(obj) in _CLASSES
    return obj in _FUNCTION_NAMES


def serialize(loss):
    """The Keras 3 config dict of a `Loss` object or a built-in loss function.

    Example:
        >>> import nanokeras as keras
        >>> keras.losses.serialize(keras.losses.Huber(delta=2.0))["config"]["delta"]
        2.0
    """
    if loss is None:
        return None
    if (isinstance(loss, Loss) or callable(loss)) and not _is_builtin(loss):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        # A loss of the user's: written as Keras writes it (its module, its registered name).
        return serialize_keras_object(loss)
    if isinstance(loss, Loss):
        return {
            "module": "keras.losses",
            "class_name": type(loss).__name__,
            "config": loss.get_config(),
            "registered_name": None,
        }
    if callable(loss) and getattr(loss, "__name__", None):
        return {
            "module": "builtins",
            "class_name": "function",
            "config": _FUNCTION_NAMES.get(loss, loss.__name__),
            "registered_name": "function",
        }
    raise TypeError(
        f"`keras.losses.serialize` expects a Loss object or a loss function, got {loss!r} "
        f"of type {type(loss).__name__}."
    )


def _resolve(name, custom_objects):
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    registry = ALL_OBJECTS if not custom_objects else {**ALL_OBJECTS, **custom_objects}
    return _lookup(name, registry)


def deserialize(config, custom_objects=None):
    """A loss function or `Loss` object from a name or a config dict made by `serialize`.

    Args:
        config: a string name, or a dict with `class_name` and `config`.
        custom_objects: optional `{name: class_or_function}` for user-defined losses.

    Example:
        >>> import nanokeras as keras
        >>> keras.losses.deserialize({"class_name": "Huber", "config": {"delta": 2.0}}).delta
        2.0
    """
    if isinstance(config, str):
        return _resolve(config, custom_objects)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "`keras.losses.deserialize` expects a loss name or a dict with keys 'class_name' "
            f"and 'config' (as made by `keras.losses.serialize`), got {config!r:.200}."
        )
    class_name = config["class_name"]
    inner = config.get("config")
    if class_name == "function":
        return _resolve(inner, custom_objects)
    cls = _resolve(class_name, custom_objects)
    if not inspect.isclass(cls):
        return cls
    inner = dict(inner or {})
    try:
        return cls.from_config(inner)
    except TypeError as error:
        raise ValueError(f"Cannot build loss {class_name!r} from config {inner!r}: {error}") from None


def get(identifier):
    """A loss function or `Loss` object from a name, config dict, class, function or instance.

    A class name gives a fresh instance (`"BinaryCrossentropy"`); a function name
    gives the function (`"binary_crossentropy"`, `"mse"`). None gives None.
    Misspelled names raise a `ValueError` suggesting the closest one.

    Example:
        >>> import nanokeras as keras
        >>> keras.losses.get("categorical_crossentropy").__name__
        'categorical_crossentropy'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _lookup(identifier, ALL_OBJECTS, argument="loss")
        if identifier in _KERAS2_ONLY_NAMES:
            keras2_notes.note("loss_string_alias", used=f"`loss={identifier!r}`",
                              instead=f"`loss={_KERAS2_ONLY_NAMES[identifier]!r}`")
    else:
        obj = identifier
    if inspect.isclass(obj):
        if not issubclass(obj, Loss):
            raise ValueError(f"Could not interpret loss identifier: {identifier!r} (not a Loss class).")
        return obj()
    if callable(obj):
        return obj
    raise ValueError(
        f"Could not interpret loss identifier: {identifier!r}. Pass a loss name such as "
        "'mse' or 'sparse_categorical_crossentropy', a `keras.losses.Loss` object, or a "
        "function `loss(y_true, y_pred)`."
    )
