"""`keras.models`: `Sequential` and `Model`, plus loading, cloning and JSON."""

from nanokeras.models.model import Model
from nanokeras.models.sequential import Sequential

# Saving functions load on first use: `nanokeras.saving` pulls in zipfile, json, h5py...
_LAZY = {
    "clone_model": "nanokeras.saving.model_utils",
    "model_from_json": "nanokeras.saving.model_utils",
    "load_model": "nanokeras.saving.saving_api",
    "save_model": "nanokeras.saving.saving_api",
}


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nanokeras.models' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


# What `from keras.models import *` gives; not the modules `model` and `sequential`, which would
# clobber a notebook's `model` (the saving functions load when the star import asks for them).
__all__ = ["Model", "Sequential"] + sorted(_LAZY)
