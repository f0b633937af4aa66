"""`keras.dtype_policies`: the dtypes layers compute in and keep their weights in.

Example:
    >>> import nanokeras as keras
    >>> keras.dtype_policies.get("float64")
    <DTypePolicy "float64">
    >>> keras.dtype_policies.serialize(keras.DTypePolicy("mixed_float16"))["config"]
    {'name': 'mixed_float16'}
"""

from nanokeras.backend.dtype_policy import DTypePolicy, FloatDTypePolicy, dtype_policy

__all__ = ["DTypePolicy", "FloatDTypePolicy", "get", "serialize", "deserialize"]

_CLASSES = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy}


def serialize(policy):
    """A policy's config as Keras writes it in files."""
    if not isinstance(policy, DTypePolicy):
        raise TypeError(f"`serialize` expects a `DTypePolicy`, got {type(policy).__name__}.")
    return {"module": "keras", "class_name": "DTypePolicy", "config": policy.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """The policy a `serialize` config describes."""
    if not isinstance(config, dict) or config.get("class_name") not in _CLASSES or not isinstance(
            config.get("config"), dict):
        raise ValueError(
            f"Cannot read a dtype policy from {config!r}: expected a dict with `class_name` 'DTypePolicy' "
            "and a `config` dict such as {'name': 'float32'}."
        )
    return _CLASSES[config["class_name"]].from_config(config["config"])


def get(identifier):
    """A `DTypePolicy` from a policy, a name (`"float32"`, `"mixed_float16"`), a config dict, or None
    (the global policy)."""
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    raise ValueError(
        f"Cannot interpret {identifier!r} as a dtype policy: pass a name such as 'float32', a "
        "`keras.DTypePolicy` or the dict `keras.dtype_policies.serialize(policy)` returns."
    )
