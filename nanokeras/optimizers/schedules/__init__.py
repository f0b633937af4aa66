"""`keras.optimizers.schedules`: learning rate as a function of the step.

Example:
    >>> from nanokeras.optimizers import SGD, schedules
    >>> opt = SGD(schedules.ExponentialDecay(0.1, decay_steps=100, decay_rate=0.9))
    >>> float(opt.learning_rate)
    0.10000000149011612
"""

from nanokeras.optimizers.schedules.learning_rate_schedule import (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
)
from nanokeras.utils.lookup import lookup

ALL_SCHEDULES = {
    cls.__name__: cls
    for cls in (CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay)
}


def serialize(learning_rate_schedule):
    """`{'module', 'class_name', 'config', 'registered_name'}`, as `keras.saving.serialize_keras_object`
    writes it (as Keras does): a built-in schedule under `keras.optimizers.schedules`, one of the
    user's under its own module (None for a script) and its registered name."""
    from nanokeras.saving import serialization_lib

    return serialization_lib.serialize_keras_object(learning_rate_schedule)


def deserialize(config, custom_objects=None):
    """Rebuilds a schedule from `serialize`'s output: a built-in, one of `custom_objects`, or one
    registered with `keras.saving.register_keras_serializable` (or in a `custom_object_scope`)."""
    from nanokeras.saving import object_registration

    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"A learning rate schedule config must be a dict with 'class_name' and 'config'; got {config!r}."
        )
    cls = None
    for name in (config.get("registered_name"), config["class_name"]):
        if isinstance(name, str):
            cls = object_registration.get_registered_object(name, custom_objects, ALL_SCHEDULES)
            if cls is not None:
                break
    if cls is None:
        registry = dict(ALL_SCHEDULES)
        registry.update(custom_objects or {})
        cls = lookup(config["class_name"], registry, kind="learning rate schedule")
    return cls.from_config(dict(config.get("config") or {}))


# What `from keras.optimizers.schedules import *` gives: the schedules, not the module
# `learning_rate_schedule` nor the package's own tables.
__all__ = sorted(
    {_n for _n, _v in globals().items() if not _n.startswith("_") and type(_v).__name__ != "module"}
    - {"ALL_SCHEDULES", "lookup"}
)
