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
    return keras2_notes.lent_getattr(public, NAMES, "layers_modules",
                                     lambda name: getattr(importlib.import_module(NAMES[name][0]), name),
                                     instead=lambda name: f"`{NAMES[name][1]}`", used="`from {public} import {name}`")
