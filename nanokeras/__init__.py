"""nanokeras: the Keras API on numpy, with automatic gradients.

    import nanokeras as keras

    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=10)

Every part is imported when first used (`keras.layers` on first access, for instance),
so `import nanokeras` costs only what a program goes on to use.
"""

import importlib as _importlib

from nanokeras.version import __version__

# The public packages, loaded on first access.
_SUBMODULES = frozenset({
    "activations", "backend", "callbacks", "config", "constraints", "datasets", "distillation", "dtype_policies",
    "initializers", "layers", "legacy", "losses", "metrics", "mixed_precision", "models", "ops", "optimizers", "playground",
    "preprocessing", "random", "regularizers", "saving", "tree", "utils", "wrappers",
})
# Top-level names, by the module that defines them.
_ATTRIBUTES = {
    "GradientTape": "nanokeras.ops.tape",
    "Variable": "nanokeras.ops.variable",
    "KerasTensor": "nanokeras.graph.keras_tensor",
    "Input": "nanokeras.layers",
    "InputSpec": "nanokeras.layers",
    "Layer": "nanokeras.layers",
    "Initializer": "nanokeras.initializers",
    "Regularizer": "nanokeras.regularizers",
    "Loss": "nanokeras.losses",
    "Metric": "nanokeras.metrics",
    "Optimizer": "nanokeras.optimizers",
    "Model": "nanokeras.models",
    "Sequential": "nanokeras.models",
    "DTypePolicy": "nanokeras.backend.dtype_policy",
    "FloatDTypePolicy": "nanokeras.backend.dtype_policy",
    "Operation": "nanokeras.graph.operation",
    "Function": "nanokeras.graph.function",
    "name_scope": "nanokeras.backend.naming",
    "RematScope": "nanokeras.backend.scopes",
    "device": "nanokeras.backend.scopes",
    "remat": "nanokeras.backend.scopes",
    "StatelessScope": "nanokeras.ops.stateless_scope",
    "SymbolicScope": "nanokeras.backend.state_scopes",
}


def __getattr__(name):
    if name in _SUBMODULES:
        value = _importlib.import_module(f"nanokeras.{name}")
    elif name in _ATTRIBUTES:
        value = getattr(_importlib.import_module(_ATTRIBUTES[name]), name)
    else:
        raise AttributeError(f"module 'nanokeras' has no attribute {name!r}")
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def version():
    """The nanokeras version, e.g. `'0.1.0'` (as `keras.version()` gives Keras's)."""
    return __version__


def __dir__():
    return sorted(set(globals()) | _SUBMODULES | set(_ATTRIBUTES))


__all__ = ["__version__", "version"] + sorted(_SUBMODULES) + sorted(_ATTRIBUTES)
