"""`keras.utils`: data helpers, seeding, files, logging and the progress bar.

Keras also publishes here some names that live on higher floors of nanokeras
(`register_keras_serializable`, `serialize_keras_object`, `FeatureSpace`, ...): they are
found on first access through the fixed table of `nanokeras/_api.py` (outside the floors),
so this package itself never imports upwards.
"""

from nanokeras.backend import clear_session, is_keras_tensor
from nanokeras.backend.dtypes import standardize_dtype_name as standardize_dtype  # a name, as Keras's
from nanokeras.utils.config import Config
from nanokeras.utils.dataset_utils import pack_x_y_sample_weight, split_dataset, unpack_x_y_sample_weight
from nanokeras.utils.file_utils import get_file
from nanokeras.utils.io_utils import (
    disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled,
)
from nanokeras.utils.numerical_utils import normalize, to_categorical
from nanokeras.utils.progbar import Progbar
from nanokeras.utils.py_dataset import PyDataset, Sequence
from nanokeras.utils.rng_utils import set_random_seed
from nanokeras.utils.sequence_utils import pad_sequences
from nanokeras.utils.source_inputs import get_source_inputs
from nanokeras.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from nanokeras.utils.model_visualization import model_to_dot, plot_model
from nanokeras.utils.image_dataset_utils import image_dataset_from_directory
from nanokeras.utils.text_dataset_utils import text_dataset_from_directory
from nanokeras.utils.audio_dataset_utils import audio_dataset_from_directory
from nanokeras.utils.timeseries_dataset_utils import timeseries_dataset_from_array


def __getattr__(name):
    if name in ("np_utils", "vis_utils", "data_utils", "generic_utils"):  # Keras 2's submodules
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    from nanokeras import _api

    return _api.resolve(__name__, name)


def __dir__():
    from nanokeras import _api

    return sorted(set(globals()) | _api.names(__name__))


def _public_names():
    from nanokeras import _api

    own = {n for n, v in globals().items() if not n.startswith("_") and type(v).__name__ != "module"}
    return sorted(own | _api.names(__name__))


# What `from keras.utils import *` gives: Keras's names (those lent from above load then), not the
# implementation modules (`config`, `progbar`, ...), which would clobber the user's names.
__all__ = _public_names()
