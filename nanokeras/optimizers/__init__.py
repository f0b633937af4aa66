"""`keras.optimizers`: SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion, Lamb, Adafactor,
Muon, ScheduleFreeAdamW, LossScaleOptimizer.

Example:
    >>> import nanokeras as keras
    >>> from nanokeras import optimizers
    >>> optimizers.get("adam").get_config()["learning_rate"]
    0.0010000000474974513
"""

from nanokeras.optimizers import legacy, schedules
from nanokeras.optimizers.adadelta import Adadelta
from nanokeras.optimizers.adafactor import Adafactor
from nanokeras.optimizers.adagrad import Adagrad
from nanokeras.optimizers.adam import Adam
from nanokeras.optimizers.adamax import Adamax
from nanokeras.optimizers.adamw import AdamW
from nanokeras.optimizers.base_optimizer import Optimizer
from nanokeras.optimizers.ftrl import Ftrl
from nanokeras.optimizers.lamb import Lamb
from nanokeras.optimizers.lion import Lion
from nanokeras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from nanokeras.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from nanokeras.optimizers.muon import Muon
from nanokeras.optimizers.nadam import Nadam
from nanokeras.optimizers.rmsprop import RMSprop
from nanokeras.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from nanokeras.optimizers.sgd import SGD
from nanokeras.utils.lookup import lookup

ALL_OBJECTS = (Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion, Lamb, Adafactor,
               Muon, LossScaleOptimizer, ScheduleFreeAdamW, MultiOptimizer)
# Keras matches optimizer names case-insensitively ("Adam", "adam", "ADAM").
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in ALL_OBJECTS}


def serialize(optimizer):
    """The optimizer as `{'module', 'class_name', 'config', 'registered_name'}` (Keras's format).

    Example:
        >>> from nanokeras.optimizers import SGD, serialize
        >>> serialize(SGD(name="sgd"))["class_name"]
        'SGD'
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"`serialize` expects an Optimizer; got {type(optimizer).__name__}.")
    return {
        "module": "keras.optimizers",
        "class_name": type(optimizer).__name__,
        "config": optimizer.get_config(),
        "registered_name": None,
    }


def deserialize(config, custom_objects=None):
    """An optimizer from `serialize`'s output (class names match case-insensitively).

    Example:
        >>> from nanokeras.optimizers import deserialize
        >>> deserialize({"class_name": "adam", "config": {"learning_rate": 0.01}}).name[:4]
        'adam'
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "An optimizer config must be a dict with 'class_name' and 'config' keys, as "
            f"`keras.optimizers.serialize` returns; got {config!r}."
        )
    class_name = config["class_name"]
    custom_objects = custom_objects or {}
    if class_name in custom_objects:
        cls = custom_objects[class_name]
    else:
        registry = dict(ALL_OBJECTS_DICT)
        registry.update({name.lower(): obj for name, obj in custom_objects.items()})
        cls = lookup(str(class_name).lower(), registry, kind="optimizer", argument="class_name")
    inner = config.get("config") or {}
    if not isinstance(inner, dict):
        raise ValueError(f"The 'config' of an optimizer config must be a dict; got {inner!r}.")
    return cls.from_config(dict(inner), custom_objects=custom_objects)


def get(identifier):
    """An optimizer from a name (`'adam'`), a config dict, or an instance (returned as is).

    Example:
        >>> from nanokeras import optimizers
        >>> type(optimizers.get("RMSprop")).__name__
        'RMSprop'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        concrete = {k: v for k, v in ALL_OBJECTS_DICT.items() if v is not Optimizer}
        return lookup(identifier.lower(), concrete, kind="optimizer", argument="optimizer")()
    if isinstance(identifier, type) and issubclass(identifier, Optimizer) and identifier is not Optimizer:
        return identifier()
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r}. Pass a name such as 'adam', "
        "a config dict, or an Optimizer instance."
    )


__all__ = [
    "Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam",
    "Ftrl", "Lion", "Lamb", "Adafactor", "Muon", "LossScaleOptimizer", "ScheduleFreeAdamW", "MultiOptimizer", "OptimizerMap", "get",
    "serialize",
    "deserialize", "legacy", "schedules",
]
