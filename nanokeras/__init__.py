"""nanokeras: the Keras API on numpy, with automatic gradients.

    import nanokeras as keras

    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=10)
"""

from nanokeras.version import __version__
from nanokeras import backend
from nanokeras import config
from nanokeras import ops
from nanokeras.ops.tape import GradientTape
from nanokeras.ops.variable import Variable
from nanokeras.graph.keras_tensor import KerasTensor
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
from nanokeras.layers import Input, InputSpec, Layer
from nanokeras.models import Model, Sequential
from nanokeras.backend.dtype_policy import DTypePolicy, FloatDTypePolicy
from nanokeras.backend.naming import name_scope
from nanokeras.backend.scopes import RematScope, device, remat
from nanokeras.graph.function import Function
from nanokeras.graph.operation import Operation
from nanokeras.initializers import Initializer
from nanokeras.losses import Loss
from nanokeras.metrics import Metric
from nanokeras.optimizers import Optimizer
from nanokeras.regularizers import Regularizer


def version():
    """The nanokeras version, e.g. `'0.1.0'` (Keras's `keras.version()`)."""
    return __version__


from nanokeras import _api

_api.install()  # `keras.utils` names implemented on higher floors (see nanokeras/_api.py)

# Loaded on first use, so `import nanokeras` stays fast (they pull in zipfile, urllib, h5py, http.server...).
_LAZY_SUBMODULES = ("datasets", "saving", "preprocessing", "playground")


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"nanokeras.{name}")
    raise AttributeError(f"module 'nanokeras' has no attribute {name!r}")

__all__ = [
    "__version__", "backend", "config", "ops", "GradientTape", "Variable", "KerasTensor", "activations",
    "initializers", "losses", "metrics", "optimizers", "callbacks", "constraints", "datasets",
    "regularizers", "saving", "preprocessing", "playground", "layers", "models", "utils",
    "Input", "Layer", "Model", "Sequential", "InputSpec", "DTypePolicy", "FloatDTypePolicy", "name_scope",
    "RematScope", "device", "remat", "Function", "Operation", "Initializer", "Loss", "Metric", "Optimizer",
    "Regularizer", "version",
]
