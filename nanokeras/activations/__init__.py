"""`keras.activations`: activation functions, and lookup by name.

Example:
    >>> from nanokeras import activations
    >>> activations.get("relu") is activations.relu
    True
    >>> activations.serialize(activations.swish)
    'silu'
"""

from nanokeras.activations.activations import (
    celu,
    glu,
    hard_shrink,
    hard_tanh,
    log_sigmoid,
    soft_shrink,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    tanh_shrink,
    threshold,
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
    tanh, sigmoid, exponential, hard_sigmoid, hard_silu, linear, mish, celu, glu, hard_shrink, hard_tanh,
    log_sigmoid, soft_shrink, sparse_plus, sparse_sigmoid, sparsemax, squareplus, tanh_shrink, threshold,
)
# name -> function; aliases map to the same function as their canonical name.
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in _BUILTINS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu


def serialize(activation):
    """The name of a built-in activation (its canonical name for aliases).

    A custom function gives Keras's dict naming it (`{"module": "builtins", "class_name":
    "function", "config": <registered name>, ...}`), which `deserialize` resolves through
    the registered objects or `custom_objects`.

    Example:
        >>> serialize(relu)
        'relu'
    """
    name = getattr(activation, "__name__", None)
    if name in ALL_OBJECTS_DICT and ALL_OBJECTS_DICT[name] is activation:
        return name
    if callable(activation) and (name is not None or hasattr(activation, "get_config")):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        # A function of the user's, or an activation object: written as Keras writes them.
        return serialize_keras_object(activation)
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
            for name in (inner, config.get("registered_name")):
                found = _registered(name, registry)
                if found is not None:
                    return found
            if config["class_name"] == "function" and not _keras_module(config.get("module")):
                # A user's function that is not registered: the saving error (a TypeError, as in
                # Keras), which says how to register it, not a list of the built-in activations.
                from nanokeras.saving.serialization_lib import deserialize_keras_object

                return deserialize_keras_object(config, custom_objects=registry)
            return lookup(inner, registry, kind="activation", argument="activation")
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        return deserialize_keras_object(config, custom_objects=registry)
    if isinstance(config, str):
        found = _registered(config, registry)
        return found if found is not None else lookup(config, registry, kind="activation", argument="activation")
    raise ValueError(f"Could not interpret activation config {config!r}: expected a name or a dict.")


def _keras_module(module):
    """Whether `module` (a config's 'module') names Keras itself, e.g. 'keras.activations'."""
    return isinstance(module, str) and (module == "keras" or module.startswith("keras."))


def _registered(name, registry):
    """The activation `name` denotes among `registry` and the registered objects
    (`register_keras_serializable`, `custom_object_scope`), or None."""
    from nanokeras.saving import object_registration

    if not isinstance(name, str):
        return None
    if name in registry:
        return registry[name]
    found = object_registration.get_registered_object(name)
    if found is None and ">" not in name:
        # Saved by bare name (Keras 2 style), registered as 'package>name'.
        matches = [obj for key, obj in object_registration.get_custom_objects().items()
                   if key.endswith(">" + name)]
        found = matches[0] if len(matches) == 1 else None
    return found


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
