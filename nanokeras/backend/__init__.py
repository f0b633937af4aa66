"""`keras.backend`: global settings (float type, epsilon), names and sessions."""

from nanokeras.backend.config import backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx
from nanokeras.backend.naming import get_uid
from nanokeras.backend.tape import GradientTape, is_recording
from nanokeras.backend.tensor import Tensor
from nanokeras.backend.variable import Variable, standardize_dtype


def clear_session(free_memory=True):
    """Resets the state Keras keeps per session: automatic layer names (`dense`, `dense_1`, ...)."""
    from nanokeras.backend import naming

    naming.reset_uids()
    if free_memory:
        import gc

        gc.collect()


def is_keras_tensor(x):
    """True for the symbolic tensors `keras.Input` returns."""
    from nanokeras.backend.keras_tensor import KerasTensor

    return isinstance(x, KerasTensor)


import nanokeras.ops  # noqa: E402,F401  (gives Tensor and Variable their operators)
