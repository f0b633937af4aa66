"""nanokeras: the Keras API on numpy, with automatic gradients.

    import nanokeras as keras

    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=10)
"""

from nanokeras.version import __version__
from nanokeras.backend.scopes import RematScope, device, remat
from nanokeras import backend
from nanokeras import config
from nanokeras import dtype_policies
from nanokeras.backend.dtype_policy import DTypePolicy, FloatDTypePolicy
from nanokeras import ops
from nanokeras import tree
from nanokeras import random
from nanokeras.ops.tape import GradientTape
from nanokeras.ops.variable import Variable
from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.graph.operation import Operation
from nanokeras import activations
from nanokeras import initializers
from nanokeras import losses
from nanokeras import metrics
from nanokeras import optimizers
from nanokeras import callbacks
from nanokeras import constraints
from nanokeras import regularizers
from nanokeras import layers
from nanokeras import models
from nanokeras import utils
from nanokeras.layers import Input, Layer
from nanokeras.models import Model, Sequential

# Loaded on first use, so `import nanokeras` stays fast (they pull in zipfile, urllib, h5py, http.server...).
_LAZY_SUBMODULES = ("datasets", "saving", "preprocessing", "playground")


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"nanokeras.{name}")
    raise AttributeError(f"module 'nanokeras' has no attribute {name!r}")


def version():
    """The nanokeras version, e.g. `'0.1.0'` (as `keras.version()` gives Keras's)."""
    return __version__


def __dir__():
    return sorted(set(globals()) | set(_LAZY_SUBMODULES))

__all__ = [
    "__version__", "backend", "config", "dtype_policies", "DTypePolicy", "FloatDTypePolicy", "ops", "tree", "random", "GradientTape", "Variable", "KerasTensor", "Operation", "RematScope", "device", "remat", "version", "activations",
    "initializers", "losses", "metrics", "optimizers", "callbacks", "constraints", "datasets",
    "regularizers", "saving", "preprocessing", "playground", "layers", "models", "utils",
    "Input", "Layer", "Model", "Sequential",
]
