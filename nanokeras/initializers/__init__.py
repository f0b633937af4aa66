"""`keras.initializers`: how layer weights get their first values.

Example:
    >>> import nanokeras as keras
    >>> init = keras.initializers.get("glorot_uniform")
    >>> init((3, 2)).shape
    (3, 2)
    >>> keras.initializers.serialize(keras.initializers.Zeros())["class_name"]
    'Zeros'
"""

import inspect
import re

import numpy as np

from nanokeras.ops.tensor import TensorOperators, value_of
from nanokeras.ops.variable import standardize_dtype
from nanokeras.initializers.constant_initializers import Constant, Identity, Ones, Zeros
from nanokeras.initializers.initializer import Initializer, check_shape_against, standardize_shape
from nanokeras.initializers.stft_initializer import STFT
from nanokeras.initializers.random_initializers import (
    Orthogonal,
    RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
)
from nanokeras.initializers.variance_scaling import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
    compute_fans,
)
from nanokeras.utils.lookup import lookup

ALL_OBJECTS = (
    Initializer,
    Constant,
    Identity,
    Ones,
    Zeros,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    STFT,
)


def _snake_case(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({_snake_case(cls.__name__): cls for cls in ALL_OBJECTS if cls is not STFT})
ALL_OBJECTS_DICT.update(
    {
        "IdentityInitializer": Identity,
        "OrthogonalInitializer": Orthogonal,
        "STFTInitializer": STFT,
        "stft": STFT,
        "normal": RandomNormal,
        "uniform": RandomUniform,
        "one": Ones,
        "zero": Zeros,
    }
)

# Keras exposes lower-case function-style aliases of each class.
zeros = Zeros
ones = Ones
constant = Constant
identity = Identity
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
orthogonal = Orthogonal
stft = STFT
# Keras's older class names.
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
STFTInitializer = STFT


def serialize(initializer):
    """The initializer as a JSON-friendly dict (`class_name` plus `config`), as Keras writes it.

    Example:
        >>> import nanokeras as keras
        >>> keras.initializers.serialize(keras.initializers.Constant(2.0))["config"]
        {'value': 2.0}
    """
    if initializer is None:
        return None
    if not hasattr(initializer, "get_config"):
        raise ValueError(
            f"Cannot serialize {initializer!r}: only initializer objects with `get_config()` "
            "can be serialized. Wrap plain functions in an `Initializer` subclass."
        )
    cls = type(initializer)
    if ALL_OBJECTS_DICT.get(cls.__name__) is not cls:
        from nanokeras.saving.serialization_lib import serialize_keras_object

        # An initializer of the user's: written as Keras writes it (its module, its registered name).
        return serialize_keras_object(initializer)
    return {
        "module": "keras.initializers",
        "class_name": cls.__name__,
        "config": initializer.get_config(),
        "registered_name": None,
    }


def deserialize(config, custom_objects=None):
    """Rebuilds an initializer from `serialize()` output (or a bare name).

    Example:
        >>> import nanokeras as keras
        >>> init = keras.initializers.deserialize({"class_name": "Ones", "config": {}})
        >>> init((2,)).tolist()
        [1.0, 1.0]
    """
    registry = dict(ALL_OBJECTS_DICT)
    registry.update(custom_objects or {})
    if isinstance(config, str):
        return lookup(config, registry, kind="initializer")()
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "An initializer config must be a dict with keys 'class_name' and 'config' "
            f"(the output of `keras.initializers.serialize`), got {config!r}."
        )
    name = config.get("registered_name") or config["class_name"]
    if name not in registry:
        name = config["class_name"]
    cls = lookup(name, registry, kind="initializer")
    inner = config.get("config") or {}
    if hasattr(cls, "from_config"):
        return cls.from_config(inner)
    return cls(**inner)


def _array_initializer(array):
    def initialize_from_array(shape, dtype=None):
        check_shape_against(array, standardize_shape(shape))
        return np.array(array, dtype=standardize_dtype(dtype))

    return initialize_from_array


def get(identifier):
    """An initializer from a name, config dict, class, instance, callable or array.

    Names match Keras (`"glorot_uniform"`, `"he_normal"`, `"zeros"`, `"Ones"`,
    `"uniform"`, ...). A class is instantiated with its defaults; an array gives an
    initializer that returns a copy of it (the requested shape must match).

    Example:
        >>> import nanokeras as keras
        >>> type(keras.initializers.get("he_normal")).__name__
        'HeNormal'
        >>> keras.initializers.get(None) is None
        True
    """
    if identifier is None:
        return None
    if isinstance(identifier, (dict, str)):
        obj = deserialize(identifier)
    elif isinstance(identifier, (np.ndarray, np.generic, TensorOperators)):
        obj = _array_initializer(np.asarray(value_of(identifier)))
    else:
        obj = identifier
    if inspect.isclass(obj):
        obj = obj()
    if callable(obj):
        return obj
    raise ValueError(
        f"Could not interpret initializer identifier: {identifier!r}. Expected a name such as "
        "'glorot_uniform', a config dict, an Initializer instance or class, or a callable "
        "`fn(shape, dtype=None)`."
    )


# What `from keras.initializers import *` gives: Keras's classes and their snake_case and older names,
# with `get`/`serialize`/`deserialize`; not numpy, the helpers, nor the modules of this package.
__all__ = sorted(
    _n for _n, _v in globals().items()
    if not _n.startswith("_") and isinstance(_v, type) and issubclass(_v, Initializer) and _n != "RandomInitializer"
) + ["deserialize", "get", "serialize"]
