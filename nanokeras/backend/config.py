"""Global numeric settings: the default float type and the fuzz factor epsilon.

Example:
    >>> import nanokeras as keras
    >>> keras.backend.floatx()
    'float32'
    >>> keras.backend.epsilon()
    1e-07
"""

import os

_FLOATX = "float32"
_EPSILON = 1e-7
_ALLOWED_FLOATX = ("float16", "float32", "float64")


def floatx():
    """Returns the default float type, as a string (`'float32'` unless changed)."""
    return _FLOATX


def set_floatx(value):
    """Sets the default float type: one of `'float16'`, `'float32'`, `'float64'`."""
    global _FLOATX
    if value not in _ALLOWED_FLOATX:
        raise ValueError(
            f"Unknown `floatx` value: {value!r}. Expected one of {list(_ALLOWED_FLOATX)}."
        )
    _FLOATX = str(value)


def epsilon():
    """Returns the fuzz factor used to keep logs and divisions finite (1e-7)."""
    return _EPSILON


def set_epsilon(value):
    """Sets the fuzz factor returned by `epsilon()`."""
    global _EPSILON
    value = float(value)
    if not value > 0:
        raise ValueError(f"`epsilon` must be a positive number, got {value}.")
    _EPSILON = value


_IMAGE_DATA_FORMAT = "channels_last"


def image_data_format():
    """Returns the default image layout: `'channels_last'` (NHWC) unless changed."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Sets the default image layout: `'channels_last'` or `'channels_first'`."""
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"Unknown `data_format`: {data_format!r}. Expected 'channels_last' or 'channels_first'."
        )
    _IMAGE_DATA_FORMAT = str(data_format)


# BLAS threads while nanokeras trains, evaluates or predicts (None: leave BLAS as it is).
_BLAS_THREADS = 1


def blas_threads():
    """The number of BLAS threads `fit`/`evaluate`/`predict` run with (1 unless changed; None
    means whatever BLAS is set to)."""
    return _BLAS_THREADS


def set_blas_threads(threads):
    """Sets the BLAS threads for `fit`/`evaluate`/`predict`: a positive int, or None to leave BLAS alone.

    One thread (the default) gives the same numbers whatever the machine's load or core count
    (a matrix product split over more threads may round differently) and never slows down when
    other programs share the CPU, where BLAS threads waiting for each other can make training
    ten times slower. Needs `threadpoolctl` (the `fast` and `examples` extras); without it BLAS
    keeps its own setting.
    """
    global _BLAS_THREADS
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise ValueError(f"`threads` must be a positive integer or None, got {threads!r}.")
    _BLAS_THREADS = threads


def backend():
    """Returns the name of the compute backend: `'numpy'`."""
    return "numpy"


# ------------------------------------------------------------------ debugging limits and switches
def _limit_from_environment(variable):
    value = os.environ.get(variable)
    return int(value) if value else None


# Caps on `fit` (set by `set_max_epochs`/`set_max_steps_per_epoch` or the environment), for quick debug runs.
_MAX_EPOCHS = _limit_from_environment("KERAS_MAX_EPOCHS")
_MAX_STEPS_PER_EPOCH = _limit_from_environment("KERAS_MAX_STEPS_PER_EPOCH")


def _check_limit(value, argument):
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"`{argument}` must be a positive integer or None (no limit), got {value!r}.")


def max_epochs():
    """The cap on the epochs of any `fit` call (`KERAS_MAX_EPOCHS`), or None for no cap."""
    return _MAX_EPOCHS


def set_max_epochs(max_epochs):
    """Caps the number of epochs of every `fit` call (None: no cap), to run a script quickly while debugging."""
    global _MAX_EPOCHS
    _check_limit(max_epochs, "max_epochs")
    _MAX_EPOCHS = max_epochs


def max_steps_per_epoch():
    """The cap on the steps of each epoch of `fit`/`evaluate`/`predict` (`KERAS_MAX_STEPS_PER_EPOCH`), or None."""
    return _MAX_STEPS_PER_EPOCH


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Caps the steps per epoch of every `fit`, `evaluate` and `predict` call (None: no cap)."""
    global _MAX_STEPS_PER_EPOCH
    _check_limit(max_steps_per_epoch, "max_steps_per_epoch")
    _MAX_STEPS_PER_EPOCH = max_steps_per_epoch


# Switches Keras has for its compiled backends. They are kept (so programs that set them run and
# read back what they set) but change nothing here: numpy has no flash attention, no Flax NNX, and
# nanokeras's tracebacks are short already (errors are raised where the argument is checked).
_FLASH_ATTENTION = [None]  # None: "use it when possible", Keras's default
_TRACEBACK_FILTERING = [True]
# Whether messages go to stdout (True) or to `logging` (see `nanokeras/utils/io_utils.py`).
INTERACTIVE_LOGGING = [True]


def reset_session_switches():
    """The switches `keras.backend.clear_session()` puts back, as Keras does (floatx and limits stay)."""
    _FLASH_ATTENTION[0] = None
    _TRACEBACK_FILTERING[0] = True
    INTERACTIVE_LOGGING[0] = True


def enable_flash_attention():
    """Kept for Keras programs; numpy has no flash attention kernel, attention is computed as always."""
    _FLASH_ATTENTION[0] = True


def disable_flash_attention():
    """Kept for Keras programs (see `enable_flash_attention`)."""
    _FLASH_ATTENTION[0] = False


def is_flash_attention_enabled():
    """What `enable_flash_attention`/`disable_flash_attention` last set (None until then, as in Keras)."""
    return _FLASH_ATTENTION[0]


def enable_traceback_filtering():
    """Kept for Keras programs: nanokeras tracebacks are not filtered (they are short already)."""
    _TRACEBACK_FILTERING[0] = True


def disable_traceback_filtering():
    """Kept for Keras programs (see `enable_traceback_filtering`)."""
    _TRACEBACK_FILTERING[0] = False


def is_traceback_filtering_enabled():
    """What `enable_traceback_filtering`/`disable_traceback_filtering` last set (True by default)."""
    return _TRACEBACK_FILTERING[0]


def is_nnx_enabled():
    """False: Flax NNX is a JAX feature (nanokeras runs on numpy)."""
    return False
