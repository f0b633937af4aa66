"""`keras.utils`: data helpers, seeding and the progress bar."""

from nanokeras.utils.numerical_utils import normalize, to_categorical
from nanokeras.utils.progbar import Progbar
from nanokeras.utils.rng_utils import set_random_seed
from nanokeras.utils.model_visualization import plot_model


def __getattr__(name):
    # `keras.utils.playground(model, x, y)`: the playground is loaded only when asked for, so
    # `import nanokeras` stays fast and never imports the web server.
    if name == "playground":
        import importlib

        return importlib.import_module("nanokeras.playground").show
    raise AttributeError(f"module 'nanokeras.utils' has no attribute {name!r}")
