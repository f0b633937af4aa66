"""`keras.utils`: data helpers, seeding and the progress bar."""

from nanokeras.utils.numerical_utils import normalize, to_categorical
from nanokeras.utils.progbar import Progbar
from nanokeras.utils.rng_utils import set_random_seed
from nanokeras.utils.model_visualization import plot_model
