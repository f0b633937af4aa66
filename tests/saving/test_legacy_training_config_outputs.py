"""Keras 2 training configs of multi-output models: metric names carry their output's name."""

import numpy as np

import nanokeras as keras
from nanokeras.saving.legacy.training_config import compile_from_training_config


def _two_outputs():
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(5)(inputs)
    return keras.Model(inputs, [keras.layers.Dense(1, name="reg")(hidden),
                                keras.layers.Dense(3, activation="softmax", name="cls")(hidden)])


def _wrapper(name, fn):
    return {"class_name": "MeanMetricWrapper", "config": {"name": name, "dtype": "float32", "fn": fn}}


def test_per_output_metric_names_are_not_prefixed_twice():
    model = _two_outputs()
    settings = {"loss": {"reg": "mse", "cls": "categorical_crossentropy"},
                "metrics": [[_wrapper("reg_mae", "mean_absolute_error")],
                            [_wrapper("cls_accuracy", "categorical_accuracy"),
                             _wrapper("cls_my_top", "top_k_categorical_accuracy")]],
                "loss_weights": {"reg": 0.5, "cls": 2.0},
                "optimizer_config": {"class_name": "SGD", "config": {"learning_rate": 0.01}}}
    compile_from_training_config(model, settings, None, "test.h5")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 4)).astype("float32")
    y = [rng.normal(size=(8, 1)).astype("float32"), np.eye(3, dtype="float32")[rng.integers(0, 3, 8)]]
    history = model.fit(x, y, epochs=1, verbose=0).history
    assert sorted(history) == ["cls_accuracy", "cls_loss", "cls_my_top", "loss", "reg_loss", "reg_mae"]


def test_an_output_without_weighted_metrics_written_as_null_has_none():
    model = _two_outputs()
    settings = {"loss": {"reg": "mse", "cls": "categorical_crossentropy"},
                "metrics": [[{"class_name": "MeanAbsoluteError", "config": {"name": "reg_mymae", "dtype": "float32"}}],
                            [{"class_name": "CategoricalAccuracy",
                              "config": {"name": "cls_categorical_accuracy", "dtype": "float32"}}]],
                "weighted_metrics": [[_wrapper("reg_mse", "mean_squared_error")], [None]],
                "optimizer_config": {"class_name": "SGD", "config": {"learning_rate": 0.01}}}
    compile_from_training_config(model, settings, None, "test.h5")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 4)).astype("float32")
    y = [rng.normal(size=(8, 1)).astype("float32"), np.eye(3, dtype="float32")[rng.integers(0, 3, 8)]]
    history = model.fit(x, y, epochs=1, verbose=0).history
    assert sorted(history) == ["cls_categorical_accuracy", "cls_loss", "loss", "reg_loss", "reg_mse", "reg_mymae"]
