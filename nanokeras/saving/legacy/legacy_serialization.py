"""Keras 2's object (de)serialization: `keras.legacy.saving.serialize_keras_object` and its inverse.

The Keras 2 dialect is `{"class_name": ..., "config": ...}` with no `module` or
`registered_name` keys: a class is found again by its registered name, in the
active custom-object scopes, the global registry, `custom_objects`, and the
`module_objects` a library passes (nothing built in is looked up otherwise, as in
Keras). Objects inside a config (an initializer instance, a regularizer) are
serialized the same way and marked `"__passive_serialization__": True`; functions
become their registered names; other values stay as they are.

Example:
    >>> import nanokeras as keras
    >>> from nanokeras.saving.legacy import legacy_serialization as legacy
    >>> config = legacy.serialize_keras_object(keras.initializers.Constant(2.0))
    >>> config
    {'class_name': 'Constant', 'config': {'value': 2.0}}
    >>> legacy.deserialize_keras_object(config, module_objects={"Constant": keras.initializers.Constant}).value
    2.0
"""

import inspect

from nanokeras.saving import object_registration

_PASSIVE = "__passive_serialization__"


def _serialize_item(item):
    """A config value in the Keras 2 dialect: objects and functions serialized, the rest as is."""
    if isinstance(item, str) or item is None:
        return item
    if inspect.isclass(item) or not (hasattr(item, "get_config") or hasattr(item, "__name__")):
        return item  # plain values (numbers, lists, dicts of an object's own config) stay
    serialized = serialize_keras_object(item)
    if isinstance(serialized, dict) and not isinstance(item, dict):
        serialized[_PASSIVE] = True
    return serialized


def serialize_keras_object(instance):
    """Keras 2's JSON-ready form of `instance`: `{"class_name", "config"}`, or a function's name.

    Args:
        instance: an object with `get_config()` (a layer, initializer, ...), a
            function, or None.

    Returns:
        A dict (objects), a string (functions), or None.

    Example:
        >>> import nanokeras as keras
        >>> keras.legacy.saving.serialize_keras_object(keras.activations.relu)
        'relu'
    """
    instance = inspect.unwrap(instance) if callable(instance) else instance
    if instance is None:
        return None
    if hasattr(instance, "get_config") and not inspect.isclass(instance):
        config = instance.get_config()
        if not isinstance(config, dict):
            raise TypeError(
                f"Cannot serialize {instance!r}: its `get_config()` must return a dict, got {type(config).__name__}."
            )
        items = {key: _serialize_item(item) for key, item in config.items()}
        return {"class_name": object_registration.get_registered_name(type(instance)), "config": items}
    if hasattr(instance, "__name__"):
        return object_registration.get_registered_name(instance)
    raise ValueError(f"Cannot serialize {instance!r} because it doesn't implement `get_config()`.")


def _unknown(printable_module_name, name):
    return ValueError(
        f"Unknown {printable_module_name}: {name!r}. Please ensure you are using a "
        "`keras.utils.custom_object_scope` and that this object is included in the scope, or pass it in "
        "`custom_objects` (library code passes its built-in objects as `module_objects`)."
    )


def class_and_config_for_serialized_keras_object(config, module_objects=None, custom_objects=None,
                                                 printable_module_name="object"):
    """`(class, config)` for a Keras 2 `{"class_name", "config"}` dict, with marked objects inside rebuilt."""
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(
            f"Improper config format for {config!r}: expected a dict with `class_name` and `config` keys."
        )
    class_name = config["class_name"]
    cls = object_registration.get_registered_object(class_name, custom_objects, module_objects)
    if cls is None:
        raise _unknown(printable_module_name, class_name)
    cls_config = config["config"]
    if isinstance(cls_config, list):  # Keras 2.0's Sequential: a list of layer configs
        return cls, cls_config
    if not isinstance(cls_config, dict):
        raise ValueError(
            f"Improper config format for {class_name!r}: `config` must be a dict (or a list of layer configs), "
            f"got {type(cls_config).__name__}."
        )
    rebuilt = {}
    for key, item in cls_config.items():
        if key == "name":
            continue  # a name is never a function, even when one is registered under it
        if isinstance(item, dict) and _PASSIVE in item:
            rebuilt[key] = deserialize_keras_object(item, module_objects=module_objects,
                                                    custom_objects=custom_objects, printable_module_name="config_item")
        elif isinstance(item, str):
            found = object_registration.get_registered_object(item, custom_objects, module_objects)
            if inspect.isfunction(found):
                rebuilt[key] = found
    cls_config.update(rebuilt)
    return cls, cls_config


def deserialize_keras_object(identifier, module_objects=None, custom_objects=None, printable_module_name="object"):
    """The object a Keras 2 serialized form describes (see `serialize_keras_object`).

    Args:
        identifier: a `{"class_name", "config"}` dict, a registered name, a function, or None.
        module_objects: `{name: class or function}` to look names up in (a library's built-ins).
        custom_objects: `{name: class or function}` of the user's.
        printable_module_name: what the object is, for error messages.

    Example:
        >>> import nanokeras as keras
        >>> keras.legacy.saving.deserialize_keras_object("relu", module_objects={"relu": keras.activations.relu})
        <function relu at ...>
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        cls, cls_config = class_and_config_for_serialized_keras_object(
            identifier, module_objects, custom_objects, printable_module_name)
        custom_objects = custom_objects or {}
        if hasattr(cls, "from_config"):
            if "custom_objects" in inspect.signature(cls.from_config).parameters:
                merged = dict(object_registration.GLOBAL_CUSTOM_OBJECTS)
                merged.update(custom_objects)
                return cls.from_config(cls_config, custom_objects=merged)
            with object_registration.CustomObjectScope(custom_objects):
                return cls.from_config(cls_config)
        with object_registration.CustomObjectScope(custom_objects):  # a function that makes the object
            return cls(**cls_config)
    if isinstance(identifier, str):
        for mapping in (custom_objects or {}, object_registration.scoped_objects(),
                        object_registration.GLOBAL_CUSTOM_OBJECTS, module_objects or {}):
            if identifier in mapping:
                found = mapping[identifier]
                return found() if inspect.isclass(found) else found
        raise _unknown(printable_module_name, identifier)
    if inspect.isfunction(identifier):
        return identifier
    raise ValueError(f"Could not interpret serialized {printable_module_name}: {identifier!r}")
