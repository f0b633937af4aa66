"""`keras.regularizers`: penalties on weights (or activations) added to the loss.

Example:
    >>> import nanokeras as keras
    >>> reg = keras.regularizers.get("l2")
    >>> reg.get_config()
    {'l2': 0.01}
    >>> keras.regularizers.serialize(reg)["class_name"]
    'L2'
"""

import inspect
import re

from nanokeras.regularizers.regularizers import (
    L1,
    L1L2,
    L2,
    OrthogonalRegularizer,
    Regularizer,
    validate_float_arg,
)
from nanokeras.utils.lookup import lookup

ALL_OBJECTS = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)


def _snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
# Keras's snake-case aliases: 'l1', 'l2', 'l1l2', 'orthogonal_regularizer', 'regularizer'.
ALL_OBJECTS_DICT.update({_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})


def _l1_l2_defaults():
    # Keras documents `kernel_regularizer='l1_l2'` as L1L2(l1=0.01, l2=0.01); its own
    # `get` rejects that string, nanokeras accepts it as documented.
    return L1L2(l1=0.01, l2=0.01)


ALL_OBJECTS_DICT["l1_l2"] = _l1_l2_defaults
# As in Keras 3, `l1_l2` is the class itself (both factors default to 0).
l1_l2 = L1L2
l1 = L1
l2 = L2
orthogonal_regularizer = OrthogonalRegularizer


def serialize(regularizer):
    """The regularizer as `{'module', 'class_name', 'config', 'registered_name'}` (Keras's format).

    Example:
        >>> from nanokeras.regularizers import L1, serialize
        >>> serialize(L1(0.5))["config"]
        {'l1': 0.5}
    """
    if regularizer is None:
        return None
    if not hasattr(regularizer, "get_config"):
        raise TypeError(
            f"Cannot serialize {regularizer!r}: only Regularizer objects (with `get_config`) "
            "can be serialized; wrap a plain function in a Regularizer subclass."
        )
    return {
        "module": "keras.regularizers",
        "class_name": type(regularizer).__name__,
        "config": regularizer.get_config(),
        "registered_name": None,
    }


def deserialize(config, custom_objects=None):
    """Rebuilds a regularizer from `serialize`'s output (or a bare class name)."""
    registry = dict(ALL_OBJECTS_DICT)
    registry.update(custom_objects or {})
    if isinstance(config, str):
        return _instantiate(lookup(config, registry, kind="regularizer"))
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "A regularizer config must be a dict with 'class_name' and 'config' (as written by "
            f"`keras.regularizers.serialize`), got {config!r}."
        )
    cls = lookup(config["class_name"], registry, kind="regularizer")
    inner = dict(config.get("config") or {})
    if inspect.isclass(cls):
        return cls.from_config(inner)
    if cls is _l1_l2_defaults:
        return L1L2(**inner) if inner else cls()
    return cls  # a plain function registered through custom_objects


def _instantiate(obj):
    return obj() if inspect.isclass(obj) or obj is _l1_l2_defaults else obj


def get(identifier):
    """A regularizer from a name (`'l1'`, `'l2'`, `'l1_l2'`, ...), config dict, class or callable.

    `None` gives `None`. Names build defaults: `'l2'` is `L2(0.01)`, `'l1_l2'` is
    `L1L2(0.01, 0.01)`.

    Example:
        >>> from nanokeras import regularizers
        >>> regularizers.get("l1_l2").get_config()
        {'l1': 0.01, 'l2': 0.01}
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return _instantiate(lookup(identifier, ALL_OBJECTS_DICT, kind="regularizer"))
    if callable(identifier):
        return identifier() if inspect.isclass(identifier) else identifier
    raise ValueError(
        f"Could not interpret regularizer identifier: {identifier!r}. Pass a name such as 'l2', "
        "a Regularizer instance (e.g. keras.regularizers.L2(1e-4)), a config dict or a callable."
    )


__all__ = [
    "Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1", "l2", "l1_l2",
    "orthogonal_regularizer", "get", "serialize", "deserialize",
]  # `validate_float_arg` stays importable from here, but is not Keras's public API
