"""Names Keras publishes in a namespace whose implementation lives on a higher floor.

Keras's `keras.utils` offers `register_keras_serializable` (which nanokeras keeps in
`saving`) and `FeatureSpace` (a layer). `nanokeras.utils` sits below both, so it may
not import them. This top-level module, outside the floors, holds the fixed table of
those names; the namespace's PEP 562 `__getattr__` asks `resolve` for a name on first
access (nothing is imported before), and its `__dir__` lists them through `names`.
"""

import importlib

# namespace module -> {public name: (module that defines it, attribute)}
FROM_ABOVE = {
    "nanokeras.utils": {
        "CustomObjectScope": ("nanokeras.saving.object_registration", "CustomObjectScope"),
        "custom_object_scope": ("nanokeras.saving.object_registration", "custom_object_scope"),
        "get_custom_objects": ("nanokeras.saving.object_registration", "get_custom_objects"),
        "get_registered_name": ("nanokeras.saving.object_registration", "get_registered_name"),
        "get_registered_object": ("nanokeras.saving.object_registration", "get_registered_object"),
        "register_keras_serializable": ("nanokeras.saving.object_registration", "register_keras_serializable"),
        "serialize_keras_object": ("nanokeras.saving.serialization_lib", "serialize_keras_object"),
        "deserialize_keras_object": ("nanokeras.saving.serialization_lib", "deserialize_keras_object"),
        "FeatureSpace": ("nanokeras.layers.preprocessing.feature_space", "FeatureSpace"),
    },
}


def names(namespace_name):
    """The names `namespace_name` publishes from above (for its `__dir__`)."""
    return set(FROM_ABOVE.get(namespace_name, ()))


def resolve(namespace_name, name):
    """`namespace.name` from the table, imported now and then kept on the namespace."""
    entry = FROM_ABOVE.get(namespace_name, {}).get(name)
    if entry is None:
        raise AttributeError(f"module {namespace_name!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(entry[0]), entry[1])
    setattr(importlib.import_module(namespace_name), name, value)  # found once, then a plain attribute
    return value
