"""`from keras.<package> import *` gives the public names, never nanokeras's implementation modules.

Without an `__all__`, a star import exports every submodule the package imported: `from keras.layers
import *` then rebinds `activations`, `core`, `rnn`..., and `from keras.models import *` rebinds a
notebook's `model`. Each public package lists its names; these tests fail if a new file leaks a module
again, or if a public name defined in a package is left out of its star import.
"""

import importlib
import subprocess
import sys
import types
import warnings

import numpy as np
import pytest

# package -> the submodules its star import gives (those Keras's gives, and Keras 2's `text`/`experimental`)
PACKAGES = {
    "nanokeras": None,  # the top level gives its public packages, as `from keras import *` does
    "nanokeras.activations": set(),
    "nanokeras.backend": set(),
    "nanokeras.callbacks": set(),
    "nanokeras.config": set(),
    "nanokeras.constraints": set(),
    "nanokeras.datasets": {"boston_housing", "california_housing", "cifar10", "cifar100", "fashion_mnist", "imdb",
                           "mnist", "reuters"},
    "nanokeras.distillation": set(),
    "nanokeras.dtype_policies": set(),
    "nanokeras.engine": set(),
    "nanokeras.engine.topology": set(),
    "nanokeras.initializers": set(),
    "nanokeras.layers": {"experimental"},
    "nanokeras.layers.experimental": {"preprocessing"},
    "nanokeras.layers.experimental.preprocessing": set(),
    "nanokeras.legacy": {"saving"},
    "nanokeras.legacy.saving": set(),
    "nanokeras.losses": set(),
    "nanokeras.metrics": set(),
    "nanokeras.models": set(),
    "nanokeras.ops": {"image", "linalg", "nn", "numpy"},
    "nanokeras.ops.image": set(),
    "nanokeras.ops.linalg": set(),
    "nanokeras.ops.nn": set(),
    "nanokeras.ops.numpy": set(),
    "nanokeras.optimizers": {"legacy", "schedules"},
    "nanokeras.optimizers.legacy": set(),
    "nanokeras.optimizers.schedules": set(),
    "nanokeras.preprocessing": {"image", "sequence", "text"},
    "nanokeras.preprocessing.image": set(),
    "nanokeras.preprocessing.sequence": set(),
    "nanokeras.preprocessing.text": set(),
    "nanokeras.random": set(),
    "nanokeras.regularizers": set(),
    "nanokeras.saving": set(),
    "nanokeras.tree": set(),
    "nanokeras.utils": {"legacy"},
    "nanokeras.utils.legacy": set(),
    "nanokeras.utils.np_utils": set(),
    "nanokeras.utils.generic_utils": set(),
    "nanokeras.wrappers": set(),
    "nanokeras.wrappers.scikit_learn": set(),
}
PACKAGES.update({f"nanokeras.datasets.{name}": set() for name in PACKAGES["nanokeras.datasets"]})

# Names a package defines for nanokeras's own use that Keras does not publish there.
INTERNAL = {
    "nanokeras.callbacks": {"MonitorCallback"},
    "nanokeras.initializers": {"RandomInitializer", "check_shape_against", "compute_fans", "standardize_shape"},
    "nanokeras.layers": {"Merge"},
    "nanokeras.losses": {"LossFunctionWrapper", "check_targets", "reduce_weighted_values",
                         "squeeze_or_expand_to_same_rank"},
    "nanokeras.ops.nn": {"sigmoid_values", "softmax_values"},
    "nanokeras.regularizers": {"validate_float_arg"},
}


def _star(name):
    namespace = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras 2 modules note their use
        exec(f"from {name} import *", namespace)
    return {key: value for key, value in namespace.items() if not key.startswith("__")}


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_star_import_gives_no_implementation_module(name):
    exported = _star(name)
    modules = {key for key, value in exported.items() if isinstance(value, types.ModuleType)}
    allowed = PACKAGES[name]
    if allowed is None:
        import nanokeras

        allowed = set(nanokeras._SUBMODULES)
    assert modules <= allowed, f"`from {name} import *` exports the modules {sorted(modules - allowed)}"


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_star_import_gives_every_public_name_the_package_defines(name):
    package = importlib.import_module(name)
    exported = _star(name)
    own = set()
    for key, value in list(vars(package).items()):
        if key.startswith("_") or isinstance(value, types.ModuleType):
            continue
        home = getattr(value, "__module__", None) or ""
        if home == name or home.startswith(name + ".") or (name == "nanokeras.ops" and home.startswith(name)):
            own.add(key)
    missing = own - set(exported) - INTERNAL.get(name, set())
    assert not missing, f"`from {name} import *` leaves out {sorted(missing)}"


def test_star_import_keeps_the_users_names():
    namespace = {}
    code = """
import random
from nanokeras import activations, preprocessing
model = "my model"
from nanokeras.layers import *
from nanokeras.models import *
from nanokeras.callbacks import *
from nanokeras.backend import *
from nanokeras.losses import *
from nanokeras.metrics import *
from nanokeras.utils import *
"""
    exec(code, namespace)
    np.testing.assert_array_equal(namespace["activations"].relu(np.array([-1.0, 2.0])), [0.0, 2.0])
    assert namespace["preprocessing"].sequence.pad_sequences([[1]], maxlen=2).tolist() == [[0, 1]]
    assert namespace["model"] == "my model"
    assert namespace["random"] is importlib.import_module("random")
    for name in ("Dense", "LSTM", "Sequential", "Model", "load_model", "EarlyStopping", "History", "floatx",
                 "clear_session", "MeanSquaredError", "AUC", "to_categorical", "Progbar", "concatenate"):
        assert name in namespace, name
    for leaked in ("core", "rnn", "layer", "sequential", "history", "early_stopping", "naming", "loss",
                   "regression", "metric", "auc", "progbar", "config"):
        assert leaked not in namespace, leaked


def test_all_lists_only_names_that_resolve():
    for name in PACKAGES:
        package = importlib.import_module(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key in getattr(package, "__all__", ()):
                assert hasattr(package, key), f"{name}.__all__ lists {key!r}, which it does not have"


def test_all_does_not_load_the_lazy_parts():
    """Listing names in `__all__` loads nothing: `import nanokeras.models` still leaves saving unloaded."""
    code = ("import sys, nanokeras.models, nanokeras.utils, nanokeras.backend; "
            "assert 'clone_model' in nanokeras.models.__all__; "
            "print('nanokeras.saving' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
