"""`keras.backend`: global settings (float type, epsilon, image layout), names and sessions.

This is the bottom floor of nanokeras: it imports nothing else of ours.
"""

from nanokeras.backend.config import (
    backend, blas_threads, epsilon, floatx, image_data_format, set_blas_threads, set_epsilon, set_floatx,
    set_image_data_format,
)
from nanokeras.backend.dtypes import is_float_dtype, is_int_dtype, result_type, standardize_dtype
from nanokeras.backend.naming import get_uid


def clear_session(free_memory=True):
    """Resets the state Keras keeps per session: automatic layer names (`dense`, `dense_1`, ...)."""
    from nanokeras.backend import naming

    naming.reset_uids()
    if free_memory:
        import gc

        gc.collect()


def is_keras_tensor(x):
    """True for the symbolic tensors `keras.Input` returns."""
    return getattr(type(x), "_is_keras_tensor", False)
