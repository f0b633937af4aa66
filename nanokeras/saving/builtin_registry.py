"""The allow-list of built-in objects a saved file may name, keyed as Keras names them.

A file says `{"module": "keras.layers", "class_name": "Dense"}`; the loader finds
`Dense` here, among nanokeras's own classes. A name not on the list is refused:
the loader never imports a module or looks up an attribute a file names.
"""

import importlib
import inspect

# The Keras modules whose plain functions a file may name as
# `{"module": "builtins", "class_name": "function", "config": "<name>"}`, in lookup order.
FUNCTION_MODULES = ("losses", "metrics", "activations", "initializers", "regularizers", "constraints")

_cache = {}


class DTypePolicy:
    """Stands for Keras's `DTypePolicy`: nanokeras keeps a layer's dtype as a plain name."""

    @staticmethod
    def from_config(config):
        name = config.get("name") if isinstance(config, dict) else None
        if not isinstance(name, str):
            raise ValueError(f"A DTypePolicy config needs a string 'name', got {config!r}.")
        return name


def _optional(name):
    try:
        return importlib.import_module(f"nanokeras.{name}")
    except ImportError:
        return None


def _public(module, predicate):
    found = {}
    if module is None:
        return found
    for attr, obj in vars(module).items():
        if not attr.startswith("_") and predicate(obj):
            found.setdefault(attr, obj)
    return found


def classes_by_module():
    """`{keras module name: {class name: nanokeras class}}` (built once)."""
    if "classes" in _cache:
        return _cache["classes"]
    from nanokeras import layers, losses, metrics, models, optimizers
    from nanokeras.layers.layer import Layer
    from nanokeras.optimizers import schedules

    def subclass_of(base):
        return lambda obj: inspect.isclass(obj) and issubclass(obj, base)

    registry = {
        "keras.layers": _public(layers, subclass_of(Layer)),
        "keras.models": _public(models, subclass_of(Layer)),
        "keras.optimizers": {**_public(optimizers, subclass_of(optimizers.Optimizer)),
                             "OptimizerMap": optimizers.OptimizerMap},
        "keras.optimizers.schedules": _public(schedules, subclass_of(schedules.LearningRateSchedule)),
        "keras.losses": _public(losses, subclass_of(losses.Loss)),
        "keras.metrics": _public(metrics, subclass_of(metrics.Metric)),
    }
    from nanokeras import initializers

    registry["keras.initializers"] = _public(initializers, subclass_of(initializers.Initializer))
    for name in ("regularizers", "constraints"):
        module = _optional(name)
        base = getattr(module, name[:-1].capitalize(), None) if module is not None else None
        registry[f"keras.{name}"] = _public(module, subclass_of(base)) if inspect.isclass(base) else {}
    from nanokeras.models.functional import Functional

    registry["keras.models"]["Functional"] = Functional
    registry["keras"] = dict(registry["keras.models"])
    registry["keras"].update({"Layer": Layer, "DTypePolicy": DTypePolicy, "FloatDTypePolicy": DTypePolicy})
    registry["keras.dtype_policies"] = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": DTypePolicy}
    from nanokeras.layers.preprocessing import feature_space

    registry["keras.utils"] = {"FeatureSpace": feature_space.FeatureSpace}
    # FeatureSpace's parts, under the internal module Keras writes for them.
    registry["keras.src.layers.preprocessing.feature_space"] = {
        "Feature": feature_space.Feature, "Cross": feature_space.Cross, "TFDIdentity": feature_space.TFDIdentity}
    _cache["classes"] = registry
    return registry


def functions_by_module():
    """`{short module name: {function name: nanokeras function}}` (built once)."""
    if "functions" in _cache:
        return _cache["functions"]
    registry = {}
    for name in FUNCTION_MODULES:
        module = _optional(name)
        registry[name] = _public(module, inspect.isfunction)
    _cache["functions"] = registry
    return registry


def find_class(module, class_name):
    """The built-in class a file names, or None (never imports `module`)."""
    registry = classes_by_module()
    if not isinstance(class_name, str):
        return None
    if module is None:  # legacy configs (and classes of a script's `__main__`) name only the class
        return registry["keras.layers"].get(class_name) or registry["keras"].get(class_name)
    if not isinstance(module, str):
        return None
    if module in registry:
        return registry[module].get(class_name)
    if module.startswith("keras.src.") or module.startswith("keras.api."):
        # Files from early Keras 3 name internal modules; match by Keras sub-package only.
        parts = module.split(".")
        for key in (f"keras.{parts[2]}" if len(parts) > 2 else "keras", "keras"):
            cls = registry.get(key, {}).get(class_name)
            if cls is not None:
                return cls
    return None


def find_function(module, name):
    """The built-in function `name` from `keras.<module>` (or any built-in module for 'builtins')."""
    if not isinstance(name, str):
        return None
    registry = functions_by_module()
    if isinstance(module, str) and module.startswith("keras.") and module[6:] in registry:
        return registry[module[6:]].get(name)
    if module in (None, "builtins", "keras"):
        for short in FUNCTION_MODULES:
            fn = registry[short].get(name)
            if fn is not None:
                return fn
    return None


def public_name(obj):
    """`(keras module, name)` of a built-in class or function, else None."""
    if inspect.isclass(obj):
        from nanokeras.models.functional import Functional

        if obj is Functional:  # as Keras 3 writes it
            return "keras.src.models.functional", "Functional"
        for module, classes in classes_by_module().items():
            if module in ("keras.models", "keras.dtype_policies"):
                continue
            for name, cls in classes.items():
                if cls is obj and name == obj.__name__:
                    return module, name
        return None
    for short, functions in functions_by_module().items():
        name = getattr(obj, "__name__", None)
        if functions.get(name) is obj:
            return f"keras.{short}", name
    return None
