"""`keras.constraints`: projections applied to weights after each optimizer update.

Pass one to a layer (`Dense(4, kernel_constraint="non_neg")`); the optimizer
assigns `constraint(variable)` to the variable after every step.

Example:
    >>> import nanokeras as keras
    >>> keras.constraints.get("max_norm").get_config()
    {'max_value': 2, 'axis': 0}
"""

import inspect
import re

from nanokeras.constraints.constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm
from nanokeras.utils.lookup import lookup

ALL_OBJECTS = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)


def _snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})

# Keras's lower-case aliases of the classes.
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm


def serialize(constraint):
    """The constraint as `{'module', 'class_name', 'config', 'registered_name'}` (Keras's format).

    Example:
        >>> from nanokeras.constraints import UnitNorm, serialize
        >>> serialize(UnitNorm(axis=1))["config"]
        {'axis': 1}
    """
    if constraint is None:
        return None
    if not hasattr(constraint, "get_config"):
        raise TypeError(
            f"Cannot serialize {constraint!r}: only Constraint objects (with `get_config`) can be "
            "serialized; wrap a plain function in a Constraint subclass."
        )
    return {
        "module": "keras.constraints",
        "class_name": type(constraint).__name__,
        "config": constraint.get_config(),
        "registered_name": None,
    }


def deserialize(config, custom_objects=None):
    """Rebuilds a constraint from `serialize`'s output (or a bare class name)."""
    registry = dict(ALL_OBJECTS_DICT)
    registry.update(custom_objects or {})
    if isinstance(config, str):
        obj = lookup(config, registry, kind="constraint")
        return obj() if inspect.isclass(obj) else obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "A constraint config must be a dict with 'class_name' and 'config' (as written by "
            f"`keras.constraints.serialize`), got {config!r}."
        )
    cls = lookup(config["class_name"], registry, kind="constraint")
    if inspect.isclass(cls):
        return cls.from_config(dict(config.get("config") or {}))
    return cls


def get(identifier):
    """A constraint from a name (`'max_norm'`, `'non_neg'`, `'unit_norm'`, ...), config, class or callable.

    Example:
        >>> from nanokeras import constraints
        >>> type(constraints.get("NonNeg")).__name__
        'NonNeg'
    """
    if identifier is None:
        return None
    if isinstance(identifier, (dict, str)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier() if inspect.isclass(identifier) else identifier
    raise ValueError(
        f"Could not interpret constraint identifier: {identifier!r}. Pass a name such as 'non_neg', "
        "a Constraint instance (e.g. keras.constraints.MaxNorm(3)), a config dict or a callable."
    )


__all__ = [
    "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "max_norm", "min_max_norm",
    "non_neg", "unit_norm", "get", "serialize", "deserialize",
]
