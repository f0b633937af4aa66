"""`keras.utils`: data helpers, seeding, files, logging and the progress bar.

Keras also publishes here some names that live on higher floors of nanokeras
(`register_keras_serializable`, `serialize_keras_object`, `FeatureSpace`, ...): the
package `nanokeras` adds them to this module when it is imported (see `nanokeras/_api.py`),
so this package itself never imports upwards.
"""

from nanokeras.backend import clear_session, is_keras_tensor
from nanokeras.backend.dtypes import standardize_dtype
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
