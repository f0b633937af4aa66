"""Keras 2's `keras.utils.vis_utils` (see `legacy_submodules`): its names are on `keras.utils`."""

from nanokeras.utils import legacy_submodules

__getattr__ = legacy_submodules.module_getattr("vis_utils")
__dir__ = legacy_submodules.module_dir("vis_utils")
__all__ = list(legacy_submodules.NAMES["vis_utils"])  # Keras 2's star import
