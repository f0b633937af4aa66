"""A misspelt keyword argument to any public class gets a ValueError naming the class and the fix.

Every keyword argument of every public layer, loss, metric, callback, optimizer, schedule,
initializer, regularizer and constraint is misspelt once; the error must suggest the
right name, and constructing again with the suggested name must work.
"""

import inspect
import re

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.utils.keyword_arguments import UnknownArgumentError, accepted_keywords

NAMESPACES = ["layers", "losses", "metrics", "callbacks", "optimizers", "optimizers.schedules",
              "initializers", "regularizers", "constraints"]

# Values for the arguments without a default.
REQUIRED = {
    "activation": "relu", "rate": 0.5, "units": 2, "axes": 1, "stddev": 0.1, "function": lambda x: x,
    "dims": (1,), "n": 2, "scale": 2.0, "target_shape": (1,), "fn": keras.losses.mean_squared_error,
    "backup_dir": "unused_backup_dir", "filename": "unused.csv", "schedule": lambda epoch: 0.1,
    "filepath": "unused.keras", "learning_rate": 0.1, "initial_learning_rate": 0.1, "decay_steps": 10,
    "first_decay_steps": 10, "decay_rate": 0.9, "boundaries": [5], "values": [0.1, 0.01],
    "filters": 2, "kernel_size": 2, "height": 2, "width": 2, "factor": 0.1, "height_factor": 0.1,
    "width_factor": 0.1, "output_size": 2,
    "head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1,
    "layer": keras.layers.SimpleRNN(2), "cell": keras.layers.SimpleRNNCell(2),
    "cells": [keras.layers.SimpleRNNCell(2)], "input_dim": 5, "output_dim": 2, "num_heads": 2, "key_dim": 2,
    "equation": "ab,bc->ac", "output_shape": 2, "num_bins": 4, "layers": [keras.layers.Rescaling(0.5)],
    "num_classes": 2, "target_class_ids": [0], "recall": 0.5, "precision": 0.5, "specificity": 0.5,
    "sensitivity": 0.5, "inner_optimizer": keras.optimizers.SGD(), "default_optimizer": keras.optimizers.SGD(),
    "optimizer_map": keras.optimizers.OptimizerMap(keras.optimizers.SGD()),
}


# Classes whose defaults alone do not make a valid object.
MINIMAL = {
    keras.layers.Discretization: {"bin_boundaries": [0.0]},
    keras.layers.InputLayer: {"shape": (2,)},
    keras.layers.CategoryEncoding: {"num_tokens": 3},
    keras.layers.RandomPosterization: {"factor": 4},  # bits, in [1, 8]
    **{getattr(keras.layers, f"Adaptive{kind}Pooling{d}D"): {"output_size": 2}  # (their base takes it)
       for kind in ("Average", "Max") for d in (1, 2, 3)},
}
# Their `**kwargs` go elsewhere (to `fn`, or into `params`): nothing to check.
OPEN = (keras.losses.LossFunctionWrapper, keras.metrics.MeanMetricWrapper, keras.callbacks.CallbackList)


def _namespace(path):
    module = keras
    for part in path.split("."):
        module = getattr(module, part)
    return module


def _public_classes():
    seen = {}
    for path in NAMESPACES:
        module = _namespace(path)
        for name in sorted(dir(module)):
            cls = getattr(module, name)
            if inspect.isclass(cls) and cls.__module__.startswith("nanokeras.") and not name.startswith("_"):
                if cls not in seen and cls is not keras.optimizers.Optimizer:  # the base needs build steps
                    seen[cls] = f"{path}.{name}"
    return seen


def _parameters(cls):
    """(required positional values, {keyword: default}) of `cls.__init__` along its hierarchy."""
    required, defaults = {}, {}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        for p in list(inspect.signature(init).parameters.values())[1:]:
            if p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) or p.name in required or p.name in defaults:
                continue
            if p.default is p.empty:
                if klass is cls:
                    required[p.name] = REQUIRED[p.name]
            else:
                defaults[p.name] = p.default
    return required, defaults


def _construct(cls, required, **kwargs):
    minimal = {k: v for k, v in MINIMAL.get(cls, {}).items() if k not in kwargs}
    required = {k: v for k, v in required.items() if k not in minimal}  # MINIMAL's value wins
    return cls(**required, **minimal, **kwargs)


def _misspell(name):
    """The name with one letter doubled, the typo a learner makes most."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    i = letters[len(letters) // 2]
    return name[:i] + name[i] + name[i:]


CASES = []
for _cls, _path in _public_classes().items():
    _required, _defaults = _parameters(_cls)
    for _keyword in _defaults:
        if _cls not in OPEN and _keyword in accepted_keywords(_cls)[0]:
            CASES.append(pytest.param(_cls, _keyword, id=f"{_path}-{_keyword}"))


def test_every_public_class_is_covered():
    covered = {case.values[0] for case in CASES}
    assert keras.layers.Dense in covered and keras.losses.BinaryCrossentropy in covered
    assert keras.metrics.AUC in covered and keras.callbacks.EarlyStopping in covered
    assert keras.optimizers.Adam in covered and keras.initializers.GlorotUniform in covered
    assert len(CASES) > 400


@pytest.mark.parametrize("cls, keyword", CASES)
def test_misspelt_keyword_suggests_the_name_and_the_suggestion_works(cls, keyword, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # callbacks that take paths never touch the working tree
    required, defaults = _parameters(cls)
    typo = _misspell(keyword)
    value = MINIMAL.get(cls, {}).get(keyword, defaults[keyword])
    with pytest.raises(ValueError) as caught:
        _construct(cls, required, **{typo: value})
    message = str(caught.value)
    assert isinstance(caught.value, TypeError)  # what Python raises for a bad keyword, too
    assert f"passed to {cls.__name__}: {{{typo!r}" in message
    suggested = re.search(r"Did you mean '(\w+)'", message).group(1)
    assert suggested == keyword
    _construct(cls, required, **{suggested: value})  # following the advice works


def test_a_rejected_layer_consumes_no_name():
    with pytest.raises(ValueError):
        keras.layers.Dense(2, activaton="relu")
    assert keras.layers.Dense(2).name == "dense"


@pytest.mark.parametrize("cls, given, kwargs, successor", [
    (keras.layers.Dense, {}, {"output_dim": 3}, "units"),
    (keras.layers.Dense, {"units": 2}, {"init": "zeros"}, "kernel_initializer"),
    (keras.layers.Dense, {"units": 2}, {"W_regularizer": "l2"}, "kernel_regularizer"),
    (keras.layers.Dropout, {}, {"p": 0.5}, "rate"),
    (keras.callbacks.ReduceLROnPlateau, {}, {"epsilon": 1e-3}, "min_delta"),
])
def test_keras_2_names_point_to_their_keras_3_successors(cls, given, kwargs, successor):
    # By spelling alone `init` is closest to `units` and `output_dim` to `input_dim`.
    with pytest.raises(ValueError, match=f"Did you mean '{successor}'"):
        cls(**given, **kwargs)
    cls(**given, **{successor: next(iter(kwargs.values()))})


def test_no_suggestion_for_a_name_like_nothing_and_the_valid_names_are_listed():
    with pytest.raises(UnknownArgumentError) as caught:
        keras.losses.MeanSquaredError(zzz=1)
    message = str(caught.value)
    assert "Did you mean" not in message
    assert message.endswith("MeanSquaredError accepts: reduction, name, dtype.")


def test_several_unknown_keywords_each_get_their_suggestion():
    with pytest.raises(ValueError) as caught:
        keras.optimizers.SGD(learnig_rate=0.1, momentun=0.9)
    message = str(caught.value)
    assert "Did you mean 'learning_rate' (instead of 'learnig_rate')?" in message
    assert "Did you mean 'momentum' (instead of 'momentun')?" in message


def test_models_and_functional_models_check_their_keywords():
    with pytest.raises(ValueError, match="Did you mean 'name'"):
        keras.Sequential(nme="x")
    inputs = keras.Input((2,))
    with pytest.raises(ValueError, match="Did you mean 'outputs'"):
        keras.Model(inputs, keras.layers.Dense(1)(inputs), ouputs=None)


def test_user_subclasses_are_checked_where_their_signature_is_known():
    class Scaled(keras.losses.Loss):
        def __init__(self, factor=1.0, name=None):
            super().__init__(name=name)
            self.factor = factor

        def call(self, y_true, y_pred):
            return keras.ops.square(y_true - y_pred) * self.factor

    with pytest.raises(ValueError, match="Did you mean 'factor'"):
        Scaled(facttor=2.0)

    class Keeps(keras.callbacks.Callback):
        def __init__(self, **options):  # keeps its keywords: nothing to check against
            super().__init__()
            self.options = options

    assert Keeps(anything=1).options == {"anything": 1}

    class Forwards(keras.layers.Layer):
        def __init__(self, units=1, **kwargs):
            super().__init__(**kwargs)
            self.units = units

    with pytest.raises(ValueError, match="Did you mean 'units'"):
        Forwards(unitss=2)  # reaches Layer.__init__, which knows every name on the way


def test_wrappers_pass_their_extra_keywords_to_the_function():
    loss = keras.losses.LossFunctionWrapper(keras.losses.huber, delta=0.5)
    assert float(loss(np.array([[0.0]]), np.array([[2.0]]))) == pytest.approx(0.875)
    metric = keras.metrics.MeanMetricWrapper(keras.metrics.binary_accuracy, threshold=0.9)
    assert float(metric(np.array([[1.0]]), np.array([[0.8]]))) == 0.0
    with pytest.raises(ValueError, match="Did you mean 'on_epoch_end'"):
        keras.callbacks.LambdaCallback(on_epoch_ed=print)
