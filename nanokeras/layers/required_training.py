"""Keras 2 layers whose `call(self, inputs, training)` has no default for `training`.

Keras 2 filled a missing `training` argument itself (with the calling model's value, else
None), so such layers ran in `Sequential` models, `fit` and `predict`. Keras 3 passes
`training` only when it has a value, and the call fails. nanokeras wraps such a `call`
once, when the class is defined, so a missing `training` arrives as None (a model
passes its own value, as in Keras 2); the class gets a note with the Keras 3 spelling.

Example:
    >>> import warnings, numpy as np, nanokeras as keras
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     class Noisy(keras.layers.Layer):
    ...         def call(self, inputs, training):
    ...             return inputs + 1.0 if training else inputs
    >>> Noisy()(np.zeros((1, 2), dtype="float32")).tolist()
    [[0.0, 0.0]]
"""

import functools
import inspect


def training_position(call):
    """Where `training` sits among `call`'s arguments after `self` if it is required, else None."""
    try:
        parameters = list(inspect.signature(call).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    for index, parameter in enumerate(parameters):
        if parameter.name == "training":
            required = parameter.default is parameter.empty and parameter.kind in (
                parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
            return index if required else None
    return None


def with_training_default(cls):
    """Wraps `cls.call` when it requires `training`, so a call without it passes None."""
    call = cls.__dict__.get("call")
    if call is None or getattr(call, "_fills_training", False):
        return
    index = training_position(call)
    if index is None:
        return
    from nanokeras.utils import keras2_notes

    keras2_notes.note("required_training_argument",
                      used=f"`{cls.__name__}.call(self, ..., training)` without a default",
                      instead=f"`def call(self, ..., training=None)` in {cls.__name__}")

    @functools.wraps(call)
    def call_with_training(self, *args, **kwargs):
        if "training" not in kwargs and len(args) <= index:
            kwargs["training"] = None
        return call(self, *args, **kwargs)

    call_with_training._fills_training = True
    cls.call = call_with_training
