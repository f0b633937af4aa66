"""`keras.config`: global settings, and the switches for the Keras 2 notes.

nanokeras runs Keras 2 idioms (`Adam(lr=...)`, `keras.preprocessing.text.Tokenizer`, ...)
and notes once per process how Keras 3 spells each (see `docs/keras2.md`).

Example:
    >>> import nanokeras as keras
    >>> keras.config.floatx()
    'float32'
    >>> keras.config.set_keras2_notes(False)   # no notes
    >>> keras.config.keras2_notes_enabled()
    False
    >>> keras.config.set_keras2_notes(None)    # back to the default (NANOKERAS_KERAS2_NOTES)
"""

from nanokeras.backend.config import backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx
from nanokeras.utils import keras2_notes


def set_keras2_notes(enabled):
    """Shows (`True`) or hides (`False`) the notes on Keras 2 idioms.

    `None` restores the default: shown, unless the environment variable
    `NANOKERAS_KERAS2_NOTES` is `0`.
    """
    keras2_notes.set_notes(enabled)


def keras2_notes_enabled():
    """Whether Keras 2 idioms print a note with their Keras 3 spelling."""
    return keras2_notes.notes_enabled()


def set_strict_keras3(enabled):
    """With `True`, Keras 2 idioms raise an error instead of working, for code that must
    run unchanged on Keras 3. `None` restores the default: the environment variable
    `NANOKERAS_STRICT_KERAS3` (`1` turns strict mode on)."""
    keras2_notes.set_strict(enabled)


def strict_keras3_enabled():
    """Whether strict Keras 3 mode is on."""
    return keras2_notes.strict_keras3()


__all__ = [
    "backend", "epsilon", "floatx", "image_data_format", "set_epsilon", "set_floatx",
    "set_keras2_notes", "keras2_notes_enabled", "set_strict_keras3", "strict_keras3_enabled",
]
