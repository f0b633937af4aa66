"""User objects the loader may build: `register_keras_serializable` and `custom_object_scope`.

Loading a file resolves every class or function name through an allow-list: the
built-in nanokeras objects plus the objects registered here. Nothing named in a
file is ever imported.

Example:
    >>> import nanokeras as keras
    >>> @keras.saving.register_keras_serializable(package="demo")
    ... def scaled_relu(x):
    ...     return keras.activations.relu(x) * 2.0
    >>> keras.saving.get_registered_name(scaled_relu)
    'demo>scaled_relu'
"""

import inspect

GLOBAL_CUSTOM_OBJECTS = {}
GLOBAL_CUSTOM_NAMES = {}
_SCOPE_STACK = []


class CustomObjectScope:
    """Within `with custom_object_scope({"name": obj})`, loading can resolve those names.

    Example:
        >>> import nanokeras as keras
        >>> with keras.saving.custom_object_scope({"my_fn": abs}):
        ...     keras.saving.get_registered_object("my_fn") is abs
        True
    """

    def __init__(self, custom_objects=None, *more):
        objects = {}
        for mapping in (custom_objects,) + more:
            if mapping is None:
                continue
            if not isinstance(mapping, dict):
                raise TypeError(
                    f"custom_object_scope expects dicts of {{name: class_or_function}}, got {type(mapping).__name__}."
                )
            objects.update(mapping)
        self.custom_objects = objects

    def __enter__(self):
        _SCOPE_STACK.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _SCOPE_STACK.pop()
        return False


custom_object_scope = CustomObjectScope


def scoped_objects():
    """The objects of every active `custom_object_scope` (innermost wins)."""
    merged = {}
    for mapping in _SCOPE_STACK:
        merged.update(mapping)
    return merged


def get_custom_objects():
    """The live global dict of registered objects (`'package>name' -> object`)."""
    return GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(package="Custom", name=None):
    """Registers a class or function under `'package>name'` so saved models can name it.

    Classes must define `get_config()`.

    Example:
        >>> import nanokeras as keras
        >>> @keras.saving.register_keras_serializable(package="demo", name="Twice")
        ... class Twice(keras.layers.Layer):
        ...     def call(self, x):
        ...         return x * 2.0
        >>> keras.saving.get_registered_object("demo>Twice") is Twice
        True
    """
    if not isinstance(package, str) or ">" in package:
        raise ValueError(f"`package` must be a string without '>', got {package!r}.")

    def decorator(obj):
        object_name = name if name is not None else getattr(obj, "__name__", None)
        if not isinstance(object_name, str) or not object_name:
            raise ValueError(f"Cannot register {obj!r}: pass `name=` (it has no __name__).")
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register class {obj.__name__}: it has no get_config() method.")
        registered_name = f"{package}>{object_name}"
        GLOBAL_CUSTOM_OBJECTS[registered_name] = obj
        GLOBAL_CUSTOM_NAMES[obj] = registered_name
        return obj

    return decorator


def get_registered_name(obj):
    """The name `obj` was registered under, or its `__name__`."""
    try:
        if obj in GLOBAL_CUSTOM_NAMES:
            return GLOBAL_CUSTOM_NAMES[obj]
    except TypeError:  # unhashable
        pass
    return getattr(obj, "__name__", None)


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object registered as `name`: scopes first, then the global registry, then `custom_objects`."""
    for mapping in (scoped_objects(), GLOBAL_CUSTOM_OBJECTS, custom_objects or {}, module_objects or {}):
        if name in mapping:
            return mapping[name]
    return None
