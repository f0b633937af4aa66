"""`keras.utils`: data helpers, seeding and the progress bar."""

from nanokeras.utils.numerical_utils import normalize, to_categorical
from nanokeras.utils.progbar import Progbar
from nanokeras.utils.py_dataset import PyDataset, Sequence
from nanokeras.utils.rng_utils import set_random_seed
from nanokeras.utils.sequence_utils import pad_sequences
from nanokeras.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from nanokeras.utils.model_visualization import plot_model
from nanokeras.utils.image_dataset_utils import image_dataset_from_directory
from nanokeras.utils.text_dataset_utils import text_dataset_from_directory
from nanokeras.utils.timeseries_dataset_utils import timeseries_dataset_from_array
