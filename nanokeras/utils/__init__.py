"""`keras.utils`: data helpers, seeding and the progress bar."""

from nanokeras.utils.numerical_utils import normalize, to_categorical
from nanokeras.utils.progbar import Progbar
from nanokeras.utils.rng_utils import set_random_seed
from nanokeras.utils.model_visualization import plot_model
from nanokeras.utils.sequence_utils import pad_sequences
from nanokeras.utils.text_dataset_utils import text_dataset_from_directory
from nanokeras.utils.timeseries_dataset_utils import timeseries_dataset_from_array
