"""The table of Keras 2 backend functions, and the decorator that fills it.

Each function is registered under its Keras 2 name with its Keras 3 spelling.
A call notes the Keras 2 idiom (once per process; an error in strict Keras 3
mode), then runs, or, given the functional API's symbolic tensors, becomes a
step of the model's graph, as Keras 2's backend functions did.
"""

import functools

from nanokeras.ops.symbolic_dispatch import accepting_symbolic_tensors
from nanokeras.utils import keras2_notes

KERAS2_NAMES = {}   # Keras 2 name -> the function, as `keras.backend.<name>`
KERAS3_SPELLINGS = {}  # Keras 2 name -> how Keras 3 writes it


def keras2_function(instead, symbolic=True):
    """Registers the decorated function as `keras.backend.<its name>`, with `instead` (its Keras 3
    spelling) in the note. `symbolic=False` for functions that read shapes or Python values of
    symbolic tensors (`int_shape`, `ndim`, ...) rather than computing on them."""

    def register(function):
        name = function.__name__
        used = f"`keras.backend.{name}`"
        run = accepting_symbolic_tensors(function) if symbolic else function

        @functools.wraps(function)
        def keras2_backend_function(*args, **kwargs):
            keras2_notes.note("backend_functions", used=used, instead=instead)
            return run(*args, **kwargs)

        KERAS2_NAMES[name] = keras2_backend_function
        KERAS3_SPELLINGS[name] = instead
        return keras2_backend_function

    return register
