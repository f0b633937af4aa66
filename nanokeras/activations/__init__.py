"""`keras.activations`: activation functions, and lookup by name.

Example:
    >>> from nanokeras import activations
    >>> activations.get("relu") is activations.relu
    True
    >>> activations.serialize(activations.swish)
    'silu'
"""

from nanokeras.activations.activations import (
    elu,
    exponential,
    gelu,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    leaky_relu,
    linear,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    swish,
    tanh,
)
from nanokeras.utils.lookup import lookup

_BUILTINS = (
    relu, leaky_relu, relu6, softmax, log_softmax, elu, selu, softplus, softsign, silu, gelu,
    tanh, sigmoid, exponential, hard_sigmoid, hard_silu, linear, mish,
)
# name -> function; aliases map to the same function as their canonical name.
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in _BUILTINS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu


def serialize(activation):
    """The name of a built-in activation (its canonical name for aliases).

    A custom function gives a dict naming it, which `deserialize` resolves
    through `custom_objects`.

    Example:
        >>> serialize(relu)
        'relu'
    """
    name = getattr(activation, "__name__", None)
    if name in ALL_OBJECTS_DICT and ALL_OBJECTS_DICT[name] is activation:
        return name
    if callable(activation) and name is not None:
        return {
            "module": getattr(activation, "__module__", None),
            "class_name": "function",
            "config": name,
            "registered_name": name,
        }
    if hasattr(activation, "get_config"):
        return {
            "module": type(activation).__module__,
            "class_name": type(activation).__name__,
            "config": activation.get_config(),
            "registered_name": type(activation).__name__,
        }
    raise ValueError(
        f"Cannot serialize activation {activation!r}: expected a built-in activation "
        "function or a named Python function."
    )


def deserialize(config, custom_objects=None):
    """The activation function named by `config` (a name or a `serialize` dict).

    Example:
        >>> deserialize("swish") is silu
        True
    """
    registry = dict(ALL_OBJECTS_DICT)
    registry.update(custom_objects or {})
    if isinstance(config, dict):
        if "class_name" not in config:
            raise ValueError(f"An activation config dict needs a 'class_name' key, got {config!r}.")
        inner = config.get("config")
        if config["class_name"] == "function" or isinstance(inner, str):
            name = config.get("registered_name") if config.get("registered_name") in registry else inner
            return lookup(name, registry, kind="activation", argument="activation")
        cls = lookup(config["class_name"], registry, kind="activation", argument="activation")
        if isinstance(cls, type):
            return cls.from_config(inner) if hasattr(cls, "from_config") else cls(**(inner or {}))
        return cls
    if isinstance(config, str):
        return lookup(config, registry, kind="activation", argument="activation")
    raise ValueError(f"Could not interpret activation config {config!r}: expected a name or a dict.")


def get(identifier):
    """An activation function from a name, a `serialize` dict, a callable, or None (linear).

    Unknown names raise a `ValueError` that suggests the closest known name.

    Example:
        >>> get(None) is linear
        True
        >>> get("sigmoid") is sigmoid
        True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret activation function identifier: {identifier!r}. Expected a "
        "name such as 'relu', a callable, a config dict, or None."
    )


__all__ = sorted(ALL_OBJECTS_DICT) + ["get", "serialize", "deserialize"]
