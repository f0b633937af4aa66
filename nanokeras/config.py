"""`keras.config`: global settings, and the switches for the Keras 2 notes.

Float type, epsilon, image layout and dtype policy are read by every layer and
op created afterwards. Keras's switches for its compiled backends (flash
attention, traceback filtering, unsafe deserialization) are accepted and
remembered, and documented where they cannot change anything on numpy.

nanokeras runs Keras 2 idioms (`Adam(lr=...)`, `keras.preprocessing.text.Tokenizer`, ...)
and notes once per process how Keras 3 spells each (see `docs/keras2.md`).

Example:
    >>> import nanokeras as keras
    >>> keras.config.floatx()
    'float32'
    >>> keras.config.dtype_policy()
    <DTypePolicy "float32">
    >>> keras.config.set_keras2_notes(False)   # no notes
    >>> keras.config.keras2_notes_enabled()
    False
    >>> keras.config.set_keras2_notes(None)    # back to the default (NANOKERAS_KERAS2_NOTES)
"""

from nanokeras.backend.config import (
    backend,
    disable_flash_attention,
    disable_traceback_filtering,
    enable_flash_attention,
    enable_traceback_filtering,
    epsilon,
    floatx,
    image_data_format,
    is_flash_attention_enabled,
    is_nnx_enabled,
    is_traceback_filtering_enabled,
    max_epochs,
    max_steps_per_epoch,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    set_max_epochs,
    set_max_steps_per_epoch,
)
from nanokeras.backend.dtype_policy import dtype_policy, set_dtype_policy
from nanokeras.saving.serialization_lib import enable_unsafe_deserialization
from nanokeras.utils import keras2_notes
from nanokeras.utils.io_utils import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)


def set_backend(backend):
    """Keras switches between JAX, TensorFlow and PyTorch here; nanokeras has one backend, `"numpy"`.

    `set_backend("numpy")` is accepted (and changes nothing); any other name is an error.
    """
    if backend != "numpy":
        raise ValueError(
            f"nanokeras runs on numpy only: `set_backend` accepts 'numpy', got {backend!r}. To run on "
            f"{backend!r}, use real Keras 3 (`pip install keras`) with `KERAS_BACKEND={backend}`."
        )


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
    "backend", "set_backend", "epsilon", "set_epsilon", "floatx", "set_floatx", "image_data_format",
    "set_image_data_format", "dtype_policy", "set_dtype_policy", "enable_unsafe_deserialization",
    "enable_interactive_logging", "disable_interactive_logging", "is_interactive_logging_enabled",
    "enable_traceback_filtering", "disable_traceback_filtering", "is_traceback_filtering_enabled",
    "enable_flash_attention", "disable_flash_attention", "is_flash_attention_enabled", "is_nnx_enabled",
    "max_epochs", "set_max_epochs", "max_steps_per_epoch", "set_max_steps_per_epoch",
    "set_keras2_notes", "keras2_notes_enabled", "set_strict_keras3", "strict_keras3_enabled",
]
