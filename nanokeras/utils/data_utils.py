"""Keras 2's `keras.utils.data_utils` (see `legacy_submodules`): its names are on `keras.utils`."""

from nanokeras.utils import legacy_submodules

__getattr__ = legacy_submodules.module_getattr("data_utils")
__dir__ = legacy_submodules.module_dir("data_utils")
__all__ = list(legacy_submodules.NAMES["data_utils"])  # Keras 2's star import
