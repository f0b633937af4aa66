"""Global numeric settings: the default float type and the fuzz factor epsilon.

Example:
    >>> import nanokeras as keras
    >>> keras.backend.floatx()
    'float32'
    >>> keras.backend.epsilon()
    1e-07
"""

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
