"""The allow-list of built-in objects a saved file may name, keyed as Keras names them.

A file says `{"module": "keras.layers", "class_name": "Dense"}`. `KERAS_MODULES`
below is a fixed table from Keras's public module names to nanokeras's packages;
the loader imports a package only through that table (never a module named in a
file), takes the public attribute the file names, and accepts it only if it is a
nanokeras class of the expected kind (a layer for `keras.layers`, ...). Anything
else is refused.

Kinds are recognized by what objects can do (duck typing), so this module never
imports the packages that sit above saving (layers, models, optimizers, ...).
"""

import importlib
import inspect

# Keras's public module -> (nanokeras module, kinds of class it may provide).
KERAS_MODULES = {
    "keras.layers": ("nanokeras.layers", ("layer",)),
    "keras.models": ("nanokeras.models", ("model",)),
    "keras": ("nanokeras", ("model", "layer")),
    "keras.src.models.functional": ("nanokeras.models.functional", ("model",)),
    "keras.optimizers": ("nanokeras.optimizers", ("optimizer", "optimizer_map")),
    "keras.optimizers.schedules": ("nanokeras.optimizers.schedules", ("schedule",)),
    "keras.losses": ("nanokeras.losses", ("loss",)),
    "keras.metrics": ("nanokeras.metrics", ("metric",)),
    "keras.initializers": ("nanokeras.initializers", ("callable_object",)),
    "keras.regularizers": ("nanokeras.regularizers", ("callable_object",)),
    "keras.constraints": ("nanokeras.constraints", ("callable_object",)),
    "keras.activations": ("nanokeras.activations", ("callable_object",)),
    "keras.utils": ("nanokeras.utils", ("layer",)),  # FeatureSpace
    "keras.distillation": ("nanokeras.distillation", ("model", "config_object")),  # Distiller, its losses
    # FeatureSpace's parts, under the internal module Keras writes for them.
    "keras.src.layers.preprocessing.feature_space": (
        "nanokeras.layers.preprocessing.feature_space", ("layer", "config_object")),
}

# Where a config without a module (Keras 2 files) is looked up, in order.
LEGACY_LOOKUP_ORDER = ("keras.layers", "keras", "keras.models", "keras.src.models.functional")

# The Keras modules whose plain functions a file may name as
# `{"module": "builtins", "class_name": "function", "config": "<name>"}`, in lookup order.
FUNCTION_MODULES = ("losses", "metrics", "activations", "initializers", "regularizers", "constraints")

# What a class must offer to count as each kind.
_CAPABILITIES = {
    "layer": ("call", "build", "add_weight", "get_config", "from_config"),
    "model": ("call", "build", "add_weight", "compile", "fit", "get_config", "from_config"),
    "optimizer": ("apply_gradients", "build", "get_config", "from_config"),
    "schedule": ("__call__", "get_config", "from_config"),
    "loss": ("call", "__call__", "get_config", "from_config"),
    "metric": ("update_state", "result", "reset_state", "get_config", "from_config"),
    "callable_object": ("__call__", "get_config", "from_config"),
    "optimizer_map": ("default_optimizer", "keys", "get_config", "from_config"),
    "config_object": ("get_config", "from_config"),
}

_cache = {}


class DTypePolicy:
    """Stands for Keras's `DTypePolicy`: nanokeras keeps a layer's dtype as a plain name."""

    @staticmethod
    def from_config(config):
        name = config.get("name") if isinstance(config, dict) else None
        if not isinstance(name, str):
            raise ValueError(f"A DTypePolicy config needs a string 'name', got {config!r}.")
        return name


_LOCAL_CLASSES = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": DTypePolicy}


def is_kind(obj, kind):
    """Whether the class `obj` is a nanokeras class of `kind` (judged by its methods)."""
    if not inspect.isclass(obj) or not str(getattr(obj, "__module__", "")).startswith("nanokeras."):
        return False
    return all(hasattr(obj, name) for name in _CAPABILITIES[kind])


def _module(name):
    """The nanokeras module behind a Keras module name of the fixed table (or None)."""
    entry = KERAS_MODULES.get(name)
    if entry is None:
        return None
    try:
        return importlib.import_module(entry[0])
    except ImportError:
        return None


def builtin_class(keras_module, class_name):
    """The nanokeras class `keras_module.class_name`, if it is public and of the module's kind."""
    if keras_module == "keras.dtype_policies" or (keras_module == "keras" and class_name in _LOCAL_CLASSES):
        return _LOCAL_CLASSES.get(class_name)
    module = _module(keras_module)
    if module is None or not isinstance(class_name, str) or class_name.startswith("_"):
        return None
    obj = getattr(module, class_name, None)
    # The name must be the class's own (so an alias such as `Convolution2D` is never written), or the
    # one it declares Keras exports it as (`GroupQueryAttention`, whose class is `GroupedQueryAttention`).
    own_names = (getattr(obj, "__name__", None), getattr(obj, "__dict__", {}).get("_keras_export_name"))
    if obj is None or class_name not in own_names:
        return None
    if any(is_kind(obj, kind) for kind in KERAS_MODULES[keras_module][1]):
        return obj
    return None


def _candidate_modules(module):
    """The table entries to try for the module a file names."""
    if module is None:
        return LEGACY_LOOKUP_ORDER
    if module == "keras":
        return ("keras", "keras.src.models.functional")
    if module in KERAS_MODULES or module == "keras.dtype_policies":
        return (module,)
    if module.startswith("keras.src.") or module.startswith("keras.api."):
        # Files from early Keras 3 name internal modules: match by Keras sub-package.
        parts = module.split(".")
        keys = [".".join(["keras"] + parts[2:i]) for i in range(len(parts), 2, -1)]
        return tuple(k for k in keys if k in KERAS_MODULES or k == "keras.dtype_policies") + ("keras",)
    return ()


def find_class(module, class_name):
    """The built-in class a file names, or None (never imports `module`)."""
    if not isinstance(class_name, str) or (module is not None and not isinstance(module, str)):
        return None
    for key in _candidate_modules(module):
        cls = builtin_class(key, class_name)
        if cls is not None:
            return cls
    return None


def functions_by_module():
    """`{short module name: {function name: nanokeras function}}` (built once)."""
    if "functions" in _cache:
        return _cache["functions"]
    registry = {}
    for short in FUNCTION_MODULES:
        module = _module(f"keras.{short}")
        found = {}
        if module is not None:
            for attr, obj in vars(module).items():
                if (not attr.startswith("_") and inspect.isfunction(obj)
                        and obj.__module__.startswith("nanokeras.") and attr not in ("get", "serialize", "deserialize")):
                    found.setdefault(attr, obj)
        registry[short] = found
    _cache["functions"] = registry
    return registry


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


def _public_classes():
    """`{id(class): (keras module, name)}` for every built-in class, as Keras writes them."""
    if "public" in _cache:
        return _cache["public"]
    found = {}
    # Keras writes models under "keras" and Functional under its source module.
    for keras_module in ("keras.layers", "keras.optimizers", "keras.optimizers.schedules", "keras.losses",
                         "keras.metrics", "keras.initializers", "keras.regularizers", "keras.constraints",
                         "keras", "keras.src.models.functional", "keras.utils", "keras.distillation",
                         "keras.src.layers.preprocessing.feature_space"):
        module = _module(keras_module)
        if module is None:
            continue
        for attr in dir(module):
            cls = builtin_class(keras_module, attr)
            if cls is not None:
                found.setdefault(id(cls), (keras_module, attr))
    _cache["public"] = found
    return found


def public_name(obj):
    """`(keras module, name)` of a built-in class or function, else None."""
    if inspect.isclass(obj):
        return _public_classes().get(id(obj))
    name = getattr(obj, "__name__", None)
    for short, functions in functions_by_module().items():
        if functions.get(name) is obj:
            return f"keras.{short}", name
    return None
