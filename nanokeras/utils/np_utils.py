"""Keras 2's `keras.utils.np_utils` (see `legacy_submodules`): its names are on `keras.utils`."""

from nanokeras.utils import legacy_submodules

__getattr__ = legacy_submodules.module_getattr("np_utils")
__dir__ = legacy_submodules.module_dir("np_utils")
__all__ = list(legacy_submodules.NAMES["np_utils"])  # Keras 2's star import
