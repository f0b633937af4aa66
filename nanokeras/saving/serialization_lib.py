"""`serialize_keras_object` / `deserialize_keras_object`: objects to and from Keras 3's config dicts.

A config dict is `{"module", "class_name", "config", "registered_name"}` (plus
`build_config`/`compile_config` for layers and models), exactly as Keras 3 writes it.

Deserializing is safe by construction: a class or function is found only in the
allow-list of built-in nanokeras objects (`builtin_registry`) or among the objects
the user registered or passed (`custom_objects`, `custom_object_scope`,
`register_keras_serializable`). No module named in a config is imported, no
attribute named in it is looked up, and Python lambdas are never rebuilt.

Example:
    >>> import nanokeras as keras
    >>> config = keras.saving.serialize_keras_object(keras.layers.Dense(2, name="d"))
    >>> config["module"], config["class_name"]
    ('keras.layers', 'Dense')
    >>> keras.saving.deserialize_keras_object(config).units
    2
"""

import inspect
import types

import numpy as np

from nanokeras.saving import builtin_registry, limits
from nanokeras.saving import object_registration
from nanokeras.saving.deserialization_error import DeserializationError

PLAIN_TYPES = (str, int, float, bool)
_SAFE_MODE = [None]


class SafeModeScope:
    """Propagates `safe_mode` to nested deserialization calls."""

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self._previous = _SAFE_MODE[0]
        _SAFE_MODE[0] = self.safe_mode
        return self

    def __exit__(self, *exc):
        _SAFE_MODE[0] = self._previous
        return False


def in_safe_mode():
    return _SAFE_MODE[0]


# --------------------------------------------------------------- serializing
def serialize_keras_object(obj):
    """A JSON-ready description of `obj`: plain values as they are, objects as config dicts.

    Example:
        >>> import nanokeras as keras
        >>> keras.saving.serialize_keras_object(keras.optimizers.SGD(name="sgd"))["class_name"]
        'SGD'
    """
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return serialize_dict(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):  # an index of `x[...]` in a functional graph
        return {"class_name": "__slice__",
                "config": {"start": serialize_keras_object(obj.start), "stop": serialize_keras_object(obj.stop),
                           "step": serialize_keras_object(obj.step)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, (np.ndarray, np.generic)):
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
        return obj.item()
    from nanokeras.ops.tensor import TensorOperators, value_of

    if isinstance(obj, TensorOperators):
        value = np.asarray(value_of(obj))
        return {"class_name": "__tensor__", "config": {"value": value.tolist(), "dtype": value.dtype.name}}
    if isinstance(obj, types.FunctionType) or inspect.isbuiltin(obj):
        return _serialize_function(obj)
    if inspect.isclass(obj):
        raise TypeError(f"Cannot serialize the class {obj.__name__} itself; serialize an instance.")
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize {obj!r} of type {type(obj).__name__}: it has no `get_config()` method."
        )
    inner = obj.get_config()
    if not isinstance(inner, dict):
        raise TypeError(f"`get_config()` of {type(obj).__name__} must return a dict, got {type(inner).__name__}.")
    inner = serialize_dict(inner)
    cls = type(obj)
    public = builtin_registry.public_name(cls)
    if public is not None:
        # A class Keras does not export (`Functional`, written from `keras.src.models.functional`)
        # gets its class name as registered name in Keras's files, as Keras writes it.
        registered = public[1] if public[0].startswith("keras.src.") else None
        config = {"module": public[0], "class_name": public[1], "config": inner, "registered_name": registered}
    else:
        config = {
            "module": _module_of(cls),
            "class_name": cls.__name__,
            "config": inner,
            "registered_name": object_registration.get_registered_name(cls),
        }
    _add_build_and_compile_config(obj, config)
    return config


def serialize_dict(obj):
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def _module_of(obj):
    """The module Keras writes for a class of the user's: its module, or None for a script's `__main__`."""
    module = getattr(obj, "__module__", None)
    return None if module == "__main__" else module


def _serialize_function(fn):
    """A function as Keras writes one, built-in or the user's: `{"module": "builtins", "class_name":
    "function", "config": <its registered name, else its name>, "registered_name": "function"}`."""
    if getattr(fn, "__name__", None) == "<lambda>":
        raise ValueError(
            "Cannot serialize a Python lambda: nanokeras never saves or loads code. "
            "Use a named function registered with `@keras.saving.register_keras_serializable()`."
        )
    public = builtin_registry.public_name(fn)
    name = public[1] if public is not None else object_registration.get_registered_name(fn)
    return {"module": "builtins", "class_name": "function", "config": name, "registered_name": "function"}


def _add_build_and_compile_config(obj, config):
    build_config = get_build_config(obj)
    if build_config is not None:
        config["build_config"] = serialize_dict(build_config)
    if hasattr(obj, "get_compile_config"):
        compile_config = obj.get_compile_config()
        if compile_config is not None:
            config["compile_config"] = serialize_dict(compile_config)


def get_build_config(obj):
    """The object's own `get_build_config()` (a layer's may be overridden), else the default."""
    if hasattr(obj, "get_build_config"):
        return obj.get_build_config()
    return default_build_config(obj)


def default_build_config(obj):
    """`{"input_shape": ...}` for a built layer that creates weights in `build`, else None."""
    shape = getattr(obj, "_build_input_shape", None)
    if shape is None:
        shape = getattr(obj, "__dict__", {}).get("_first_call_shape")
    if not getattr(obj, "built", False) or shape is None:
        return None
    # Keras builds these layers in `__init__` (they need no input shape) and so writes no build_config
    # for them, nor for a user's subclass of one; every other layer built by a call gets one.
    if any(cls.__name__ in _BUILT_IN_INIT and cls.__module__.startswith("nanokeras.") for cls in type(obj).__mro__):
        return None
    shapes_dict = getattr(obj, "__dict__", {}).get("_build_shapes_dict")
    if shapes_dict is not None:  # a user's `build(self, a_shape, b_shape)`: Keras writes its shapes by name
        return {"shapes_dict": {k: _shape_tuples(shape_to_json(v)) for k, v in shapes_dict.items()}}
    return {"input_shape": _shape_tuples(shape_to_json(shape))}


def _shape_tuples(shape):
    """A shape as Keras's get_config gives it: a tuple (a list of tuples for several inputs)."""
    if isinstance(shape, dict):
        return {k: _shape_tuples(v) for k, v in shape.items()}
    if isinstance(shape, list) and any(isinstance(d, (list, dict)) for d in shape):
        return [_shape_tuples(s) for s in shape]
    return tuple(shape) if isinstance(shape, list) else shape


_BUILT_IN_INIT = frozenset({
    "Activation", "ActivityRegularization", "AlphaDropout", "Dropout", "ELU", "GaussianDropout", "GaussianNoise",
    "Identity", "LeakyReLU", "Masking", "ReLU", "Reshape", "Softmax", "UnitNormalization",
    "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
    *(f"{kind}Pooling{n}D" for kind in ("Average", "Max", "GlobalAverage", "GlobalMax") for n in (1, 2, 3)),
    *(f"{kind}Pool{n}D" for kind in ("Avg", "Max", "GlobalAvg", "GlobalMax") for n in (1, 2, 3)),
})


def shape_to_json(shape):
    if isinstance(shape, dict):
        return {k: shape_to_json(v) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and any(isinstance(d, (list, tuple, dict)) for d in shape):
        return [shape_to_json(s) for s in shape]
    return None if shape is None else [None if d is None else int(d) for d in shape]


def shape_from_json(shape, owner="layer"):
    """A shape read from a file: tuples of ints/None (nested for several inputs), checked."""
    if isinstance(shape, dict):
        return {k: shape_from_json(v, owner) for k, v in shape.items()}
    if not isinstance(shape, (list, tuple)):
        raise ValueError(f"Invalid input shape {shape!r} in the build config of {owner}: expected a list.")
    if any(isinstance(d, (list, tuple, dict)) for d in shape):
        return [shape_from_json(s, owner) for s in shape]
    for d in shape:
        if d is not None and (isinstance(d, bool) or not isinstance(d, int) or d < 0):
            raise ValueError(f"Invalid dimension {d!r} in the input shape {shape!r} of {owner}.")
    return tuple(shape)


def build_from_config(instance, build_config):
    if hasattr(instance, "build_from_config"):
        instance.build_from_config(build_config)
        return
    default_build_from_config(instance, build_config)


def default_build_from_config(instance, build_config):
    """Builds `instance` for the input shape a `build_config` records (nothing to do without one)."""
    owner = getattr(instance, "name", "a layer")
    if isinstance(build_config, dict) and isinstance(build_config.get("shapes_dict"), dict):
        shapes = {k: shape_from_json(v, owner=owner) for k, v in build_config["shapes_dict"].items()}
        instance._build_for(next(iter(shapes.values()), None), shapes)
        return
    if not isinstance(build_config, dict) or "input_shape" not in build_config:
        return
    shape = shape_from_json(build_config["input_shape"], owner=owner)
    instance._build_for(shape)


# ------------------------------------------------------------- deserializing
def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """The object a config dict describes (plain values are returned as they are).

    Args:
        config: the output of `serialize_keras_object`, or a plain value.
        custom_objects: `{name: class_or_function}` for your own objects.
        safe_mode: refuse anything that would run code from the file (always the case here;
            `False` is accepted for API compatibility, lambdas are still refused).

    Raises:
        ValueError: the config names a class or function that is neither a nanokeras
            built-in nor a registered/custom object. Nothing is imported or called.
    """
    module_objects = kwargs.pop("module_objects", None)
    kwargs.pop("printable_module_name", None)
    if kwargs:
        raise TypeError(f"deserialize_keras_object() got unexpected keyword argument(s): {', '.join(sorted(kwargs))}.")
    scoped = in_safe_mode()
    safe_mode = scoped if scoped is not None else safe_mode
    custom = _custom_objects(custom_objects, module_objects)
    return _deserialize(config, custom, safe_mode)


def _custom_objects(custom_objects, module_objects=None):
    if custom_objects is not None and not isinstance(custom_objects, dict):
        raise TypeError(f"`custom_objects` must be a dict of {{name: object}}, got {type(custom_objects).__name__}.")
    merged = dict(module_objects or {})
    merged.update(custom_objects or {})
    merged.update(object_registration.scoped_objects())
    merged.update(object_registration.GLOBAL_CUSTOM_OBJECTS)
    return merged


def _deserialize(config, custom, safe_mode):
    if config is None:
        return None
    if isinstance(config, str):
        found = custom.get(config)
        return found if found is not None else config
    if isinstance(config, PLAIN_TYPES):
        return config
    if isinstance(config, (list, tuple)):
        return [_deserialize(x, custom, safe_mode) for x in config]
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config {config!r:.200}: expected a dict, list or plain value.")
    if "class_name" not in config or "config" not in config:
        return {key: _deserialize(value, custom, safe_mode) for key, value in config.items()}
    class_name = config["class_name"]
    inner = config["config"] if config["config"] is not None else {}
    special = _SPECIAL.get(class_name)
    if special is not None:
        return special(inner, safe_mode)
    if class_name == "function":
        return resolve_function(config, custom)
    if not isinstance(inner, dict):
        raise ValueError(f"The 'config' of a {class_name!r} object must be a dict, got {inner!r:.200}.")
    cls = resolve_class(config, custom)
    if isinstance(cls, types.FunctionType):
        return cls
    if not hasattr(cls, "from_config"):
        raise ValueError(f"Cannot rebuild {class_name!r}: {cls!r} has no `from_config()` method.")
    inner = {key: _resolve_nested_custom(value, custom, safe_mode) for key, value in inner.items()}
    with object_registration.CustomObjectScope(custom), SafeModeScope(safe_mode):
        try:
            if _takes_custom_objects(cls):
                instance = cls.from_config(inner, custom_objects=custom)
            else:
                instance = cls.from_config(inner)
        except TypeError as error:
            raise DeserializationError(
                f"Could not rebuild {class_name!r} from its config: {error}. Config: {_short(inner)}"
            ) from None
        limits.watch_layer(instance)
        build_config = config.get("build_config")
        if build_config and not getattr(instance, "built", True):
            build_from_config(instance, build_config)
        compile_config = config.get("compile_config")
        if compile_config and hasattr(instance, "compile_from_config"):
            instance.compile_from_config(compile_config)
    return instance


def _takes_custom_objects(cls):
    try:
        return "custom_objects" in inspect.signature(cls.from_config).parameters
    except (TypeError, ValueError):
        return False


def _resolve_nested_custom(value, custom, safe_mode):
    """Deserializes nested configs of user objects (built-in ones are left to each `get()`)."""
    if isinstance(value, dict) and "class_name" in value and "config" in value:
        if _custom_match(value, custom) is not None:
            return _deserialize(value, custom, safe_mode)
    return value


def _custom_match(config, custom):
    if not custom:
        return None
    keys = [config.get("registered_name"), config.get("class_name")]
    if config.get("class_name") == "function":
        keys = [config.get("config"), config.get("registered_name")]
    for key in keys:
        if isinstance(key, str) and key in custom:
            return custom[key]
    if config.get("class_name") == "function" and isinstance(config.get("config"), str) and ">" not in config["config"]:
        # Functions saved by bare name (as `activations.serialize` writes them) match 'package>name'.
        suffix = ">" + config["config"]
        for key, obj in custom.items():
            if key.endswith(suffix):
                return obj
    return None


def resolve_class(config, custom):
    """The class a config names: a user object first, else a nanokeras built-in, else a ValueError."""
    found = _custom_match(config, custom)
    if found is not None:
        return found
    module, class_name = config.get("module"), config.get("class_name")
    cls = builtin_registry.find_class(module, class_name)
    if cls is not None:
        return cls
    raise DeserializationError(_unknown_message("class", class_name, module, config))


def resolve_function(config, custom):
    name = config.get("config")
    if not isinstance(name, str):
        raise ValueError(f"A function config needs its name as a string 'config', got {_short(config)}.")
    found = _custom_match(config, custom)
    if found is not None:
        return found
    fn = builtin_registry.find_function(config.get("module"), name)
    if fn is not None:
        return fn
    raise DeserializationError(_unknown_message("function", name, config.get("module"), config))


def _unknown_message(kind, name, module, config):
    where = f"{module}.{name}" if module else str(name)
    if isinstance(module, str) and (module == "keras" or module.startswith("keras.")):
        return (
            f"Cannot load {kind} '{where}': it is not supported by nanokeras (yet). "
            f"Config: {_short(config)}"
        )
    return (
        f"Refusing to load {kind} {name!r} (module {module!r}): it is neither a nanokeras built-in nor a "
        "registered custom object, and nanokeras never imports modules or calls functions named in a "
        "file. If you trust it and it is yours, register it with "
        "`@keras.saving.register_keras_serializable()` or pass it in `custom_objects`. "
        f"Config: {_short(config)}"
    )


def _short(config, limit=300):
    text = repr(config)
    return text if len(text) <= limit else text[:limit] + "..."


def _numpy(inner, safe_mode):
    return np.array(inner["value"], dtype=_plain_dtype(inner.get("dtype")))


def _plain_dtype(dtype):
    dt = np.dtype(str(dtype))
    if dt.kind not in "fiub":
        raise ValueError(f"Refusing to load an array of dtype {dtype!r}: only numeric dtypes are allowed.")
    return dt


def _bytes(inner, safe_mode):
    return str(inner["value"]).encode("utf-8")


def _slice(inner, safe_mode):
    parts = [inner.get(k) for k in ("start", "stop", "step")]
    for p in parts:
        if p is not None and not isinstance(p, int):
            raise ValueError(f"A saved slice may hold only ints or None, got {p!r}.")
    return slice(*parts)


def enable_unsafe_deserialization():
    """Accepted for Keras programs; nanokeras still never runs code from a file.

    Keras then rebuilds Python lambdas saved as bytecode in `.keras` files.
    nanokeras refuses them whatever `safe_mode` says: a file you load cannot run
    code. Save named functions registered with
    `keras.saving.register_keras_serializable()` instead.
    """
    _UNSAFE_DESERIALIZATION_REQUESTED[0] = True


_UNSAFE_DESERIALIZATION_REQUESTED = [False]


def _refuse_lambda(inner, safe_mode):
    requested = " (also after `keras.config.enable_unsafe_deserialization()`)" \
        if _UNSAFE_DESERIALIZATION_REQUESTED[0] else ""
    raise ValueError(
        "The config contains a Python lambda (`__lambda__`, stored as bytecode). Loading it would "
        f"run code from the file, so nanokeras never does, whatever `safe_mode` is{requested}. Rewrite the "
        "lambda as a named function, register it with `@keras.saving.register_keras_serializable()`, "
        "and save again."
    )


def _refuse(kind):
    def refuse(inner, safe_mode):
        raise ValueError(f"Cannot load a `{kind}` object: it is not supported by nanokeras.")

    return refuse


_SPECIAL = {
    "__numpy__": _numpy,
    "__tensor__": _numpy,
    "__bytes__": _bytes,
    "__slice__": _slice,
    "__ellipsis__": lambda inner, safe_mode: Ellipsis,
    "__lambda__": _refuse_lambda,
    "__keras_tensor__": _refuse("__keras_tensor__ (functional models)"),
    "__typespec__": _refuse("__typespec__ (TensorFlow type spec)"),
}
