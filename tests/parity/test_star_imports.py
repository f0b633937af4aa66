"""`from keras.X import *` gives the same names in nanokeras as in real Keras 3.

nanokeras's star import must give every name Keras's gives that nanokeras has, and nothing Keras's
does not give, except the documented extras below (Keras 2 names nanokeras keeps, and nanokeras's own
settings).
"""

import importlib
import types
import warnings

import pytest

# Keras's public modules nanokeras has (`keras.<X>` is `nanokeras.<X>`).
MODULES = [
    "", "activations", "backend", "callbacks", "config", "constraints", "datasets", "datasets.boston_housing",
    "datasets.california_housing", "datasets.cifar10", "datasets.cifar100", "datasets.fashion_mnist",
    "datasets.imdb", "datasets.mnist", "datasets.reuters", "distillation", "dtype_policies", "initializers",
    "layers", "legacy", "legacy.saving", "losses", "metrics", "models", "ops", "ops.image", "ops.linalg", "ops.nn",
    "ops.numpy", "optimizers", "optimizers.legacy", "optimizers.schedules", "preprocessing", "preprocessing.image",
    "preprocessing.sequence", "random", "regularizers", "saving", "tree", "utils", "utils.legacy", "wrappers",
]

# Names nanokeras's star import gives and Keras 3's does not, each documented.
EXTRAS = {
    # `GradientTape` and the playground are nanokeras's own (README).
    "": {"GradientTape", "playground", "__version__"},
    # `set_blas_threads` (README, docs/benchmarks.md).
    "backend": {"blas_threads", "set_blas_threads"},
    # Keras 2 notes and strict Keras 3 mode (docs/keras2.md).
    "config": {"keras2_notes_enabled", "set_keras2_notes", "set_strict_keras3", "strict_keras3_enabled"},
    # Keras 2's `keras.layers.experimental.preprocessing` (docs/keras2.md).
    "layers": {"experimental"},
    # Keras 2's `keras.metrics.cosine_similarity`.
    "metrics": {"cosine_similarity"},
    # `ops.getitem` is the op of `KerasTensor[...]` (saved graphs name it); `mish` as in `keras.activations`.
    "ops": {"getitem", "mish"}, "ops.nn": {"mish"}, "ops.numpy": {"getitem"},
    # Keras 2's legacy optimizers Keras 3 dropped from `keras.optimizers.legacy` (docs/keras2.md).
    "optimizers.legacy": {"Adadelta", "Adamax", "Nadam"},
    # Keras 2's `keras.preprocessing.sequence.TimeseriesGenerator` (docs/keras2.md).
    "preprocessing.sequence": {"TimeseriesGenerator"},
    # Keras 2's `keras.preprocessing.text` and `ImageDataGenerator` with its helpers (docs/keras2.md).
    "preprocessing": {"text"},
    "preprocessing.image": {
        "DirectoryIterator", "ImageDataGenerator", "Iterator", "NumpyArrayIterator", "apply_affine_transform",
        "apply_brightness_shift", "apply_channel_shift", "flip_axis", "random_brightness", "random_channel_shift",
        "random_rotation", "random_shear", "random_shift", "random_zoom", "transform_matrix_offset_center",
    },
    # Loading limits (docs/saving.md).
    "saving": {"get_load_limits", "load_limits", "set_load_limits"},
}


def _star(module_name):
    namespace = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(f"from {module_name} import *", namespace)
    return {key: value for key, value in namespace.items() if key not in ("__builtins__", "__warningregistry__")}


def _names(root, suffix):
    return f"{root}.{suffix}" if suffix else root


@pytest.mark.parametrize("suffix", MODULES, ids=[m or "keras" for m in MODULES])
def test_star_import_gives_keras_names(keras, suffix):
    theirs = _star(_names("keras", suffix))
    ours = _star(_names("nanokeras", suffix))
    package = importlib.import_module(_names("nanokeras", suffix))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        implemented = {name for name in theirs if hasattr(package, name)}
    missing = implemented - set(ours)
    assert not missing, f"`from {_names('nanokeras', suffix)} import *` lacks Keras's {sorted(missing)}"
    extra = set(ours) - set(theirs) - EXTRAS.get(suffix, set())
    assert not extra, f"`from {_names('nanokeras', suffix)} import *` gives {sorted(extra)}, which Keras's does not"


@pytest.mark.parametrize("suffix", MODULES, ids=[m or "keras" for m in MODULES])
def test_star_import_gives_modules_where_keras_does(keras, suffix):
    theirs = {k for k, v in _star(_names("keras", suffix)).items() if isinstance(v, types.ModuleType)}
    ours = {k for k, v in _star(_names("nanokeras", suffix)).items() if isinstance(v, types.ModuleType)}
    assert ours - EXTRAS.get(suffix, set()) <= theirs


def test_keras_star_import_keeps_the_users_names_as_nanokeras_does(keras):
    code = """
import random
from {lib} import activations, preprocessing
model = "my model"
from {lib}.layers import *
from {lib}.models import *
from {lib}.callbacks import *
from {lib}.backend import *
result = (activations.relu(np.array([-1.0, 2.0])).tolist(),
          preprocessing.sequence.pad_sequences([[1]], maxlen=2).tolist(), model, random.__name__)
"""
    import numpy as np

    results = []
    for lib in ("keras", "nanokeras"):
        namespace = {"np": np}
        exec(code.format(lib=lib), namespace)
        results.append(tuple(np.asarray(r).tolist() if not isinstance(r, str) else r for r in namespace["result"]))
    assert results[0] == results[1] == ([0.0, 2.0], [[0, 1]], "my model", "random")
