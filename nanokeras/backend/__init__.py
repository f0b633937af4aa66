"""`keras.backend`: global settings (float type, epsilon, image layout), names and sessions.

This is the bottom floor of nanokeras: it imports nothing else of ours.
"""

from nanokeras.backend.config import (
    backend, blas_threads, epsilon, floatx, image_data_format, set_blas_threads, set_epsilon, set_floatx,
    set_image_data_format,
)
from nanokeras.backend.dtypes import is_float_dtype, is_int_dtype, result_type
from nanokeras.backend.dtypes import standardize_dtype_name as standardize_dtype  # a name, as Keras's
from nanokeras.backend.naming import get_uid


def clear_session(free_memory=True):
    """Resets the state Keras keeps per session, as Keras does: automatic layer names (`dense`,
    `dense_1`, ...), the global dtype policy and random seed generator, and the logging and
    attention switches (`floatx()` and the `max_epochs` limits stay)."""
    from nanokeras.backend import config, dtype_policy, naming, random

    naming.reset_uids()
    dtype_policy.reset_global_policy()
    random.global_seed_generator_slot[0] = None
    config.reset_session_switches()
    if free_memory:
        import gc

        gc.collect()


def is_keras_tensor(x):
    """True for the symbolic tensors `keras.Input` returns."""
    return getattr(type(x), "_is_keras_tensor", False)


def __getattr__(name):
    # Keras 2's backend functions (`K.mean`, `K.square`, ...) are ops, on floors above this one:
    # the table of `nanokeras/_api.py`, outside the floors, lends them on first use.
    from nanokeras import _api

    return _api.resolve_keras2(__name__, name)


# What `from keras.backend import *` gives (Keras 3's names, plus nanokeras's BLAS thread setting): not
# the modules (`random`, `config`, ...) nor Keras 2's `K.*` functions, which shadow builtins (`sum`, `max`).
__all__ = sorted(
    _n for _n, _v in globals().items() if not _n.startswith("_") and type(_v).__name__ != "module")
