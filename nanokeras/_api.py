"""Names Keras publishes in a namespace whose implementation lives on a higher floor.

Keras's `keras.utils` offers `register_keras_serializable` (which nanokeras keeps in
`saving`) and `FeatureSpace` (a layer). `nanokeras.utils` sits below both, so it may
not import them; the `nanokeras` package, which is above every floor, adds them to
`nanokeras.utils` instead, imported on first use (`dir()` lists them too).
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


def _install(namespace_name, names):
    namespace = importlib.import_module(namespace_name)
    previous_getattr = namespace.__dict__.get("__getattr__")

    def __getattr__(name):
        if name in names:
            module_name, attribute = names[name]
            value = getattr(importlib.import_module(module_name), attribute)
            setattr(namespace, name, value)  # found once, then a plain attribute
            return value
        if previous_getattr is not None:
            return previous_getattr(name)
        raise AttributeError(f"module {namespace_name!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(namespace.__dict__) | set(names))

    namespace.__getattr__ = __getattr__
    namespace.__dir__ = __dir__


def install():
    for namespace_name, names in FROM_ABOVE.items():
        _install(namespace_name, names)
