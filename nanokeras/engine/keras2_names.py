"""The names Keras 2 published in `keras.engine` and its submodules, and where Keras 3 keeps them."""

import importlib

from nanokeras.utils import keras2_notes

# name -> (nanokeras module holding it, its Keras 3 spelling)
NAMES = {
    "Layer": ("nanokeras.layers", "keras.layers.Layer"),
    "InputSpec": ("nanokeras.layers", "keras.layers.InputSpec"),
    "InputLayer": ("nanokeras.layers", "keras.layers.InputLayer"),
    "Input": ("nanokeras.layers", "keras.Input"),
    "Model": ("nanokeras.models", "keras.Model"),
    "Sequential": ("nanokeras.models", "keras.Sequential"),
}


def module_getattr(public):
    """The `__getattr__` of a Keras 2 engine module called `public` (e.g. `keras.engine.topology`)."""

    def __getattr__(name):
        entry = NAMES.get(name)
        if entry is None:
            raise AttributeError(f"module {public!r} has no attribute {name!r}")
        keras2_notes.note("layers_modules", used=f"`from {public} import {name}`",
                          instead=f"`{entry[1]}`", error=keras2_notes.Keras3StrictAttributeError)
        return getattr(importlib.import_module(entry[0]), name)

    return __getattr__
