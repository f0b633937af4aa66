"""Names Keras publishes in a namespace whose implementation lives on a higher floor.

Keras's `keras.utils` offers `register_keras_serializable` (which nanokeras keeps in
`saving`) and `FeatureSpace` (a layer). `nanokeras.utils` sits below both, so it may
not import them. This top-level module, outside the floors, holds the fixed table of
those names; the namespace's PEP 562 `__getattr__` asks `resolve` for a name on first
access (nothing is imported before), and its `__dir__` lists them through `names`.
"""

import importlib

# namespace module -> {public name: (module that defines it, attribute, or None for that module)}
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
        "legacy": ("nanokeras.utils.legacy", None),  # a submodule: None stands for the module itself
    },
    "nanokeras.utils.legacy": {
        "serialize_keras_object": ("nanokeras.saving.legacy.legacy_serialization", "serialize_keras_object"),
        "deserialize_keras_object": ("nanokeras.saving.legacy.legacy_serialization", "deserialize_keras_object"),
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
    module = importlib.import_module(entry[0])
    value = module if entry[1] is None else getattr(module, entry[1])
    setattr(importlib.import_module(namespace_name), name, value)  # found once, then a plain attribute
    return value


# namespace module -> (module holding a table of Keras 2 names, the table's name). These names
# are legacy: looked up on demand, never listed by `dir()` (Keras 3's namespaces do not have them).
KERAS2_TABLES = {
    "nanokeras.backend": ("nanokeras.keras2_backend", "KERAS2_NAMES"),
}


def resolve_keras2(namespace_name, name):
    """A Keras 2 name of `namespace_name` (e.g. `keras.backend.mean`), or AttributeError."""
    module_name, table_name = KERAS2_TABLES[namespace_name]
    table = getattr(importlib.import_module(module_name), table_name)
    if name not in table:
        raise AttributeError(f"module {namespace_name!r} has no attribute {name!r}")
    from nanokeras.utils import keras2_notes

    if keras2_notes.strict_keras3():
        # Looked up, not kept: in strict Keras 3 mode every lookup fails, as in Keras 3.
        spellings = getattr(importlib.import_module(module_name), "KERAS3_SPELLINGS", {})
        keras2_notes.note("backend_functions", used=f"`keras.backend.{name}`", instead=spellings.get(name),
                          error=keras2_notes.Keras3StrictAttributeError)
    value = table[name]  # the function notes the idiom when called
    setattr(importlib.import_module(namespace_name), name, value)
    return value
