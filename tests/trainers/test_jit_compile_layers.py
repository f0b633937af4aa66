"""`jit_compile` resolves to False, as in Keras, when a layer Keras cannot compile with XLA is in the
model (lookups, hashing, geometric augmentations); nanokeras's compiled step keeps running it."""

import warnings

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.trainers import step_program


def _augmented():
    return keras.Sequential([keras.Input((4, 4, 1)), keras.Sequential([keras.layers.RandomRotation(0.1)]),
                             keras.layers.Flatten(), keras.layers.Dense(1)])


def test_auto_resolves_to_false_and_the_file_says_so():
    model = _augmented()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.compile("sgd", "mse")
    assert model.jit_compile is False
    assert model.get_compile_config()["jit_compile"] is False
    plain = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    plain.compile("sgd", "mse")
    assert plain.jit_compile is True


def test_asking_for_true_warns_naming_the_layer():
    model = _augmented()
    with pytest.warns(UserWarning, match="random_rotation"):
        model.compile("sgd", "mse", jit_compile=True)
    assert model.jit_compile is False


def test_the_compiled_step_is_still_used_unless_false_was_asked():
    model = _augmented()
    model.compile("sgd", "mse")
    assert step_program.blocker(model, "train") is None
    model.fit(np.ones((4, 4, 4, 1), "float32"), np.ones((4, 1), "float32"), verbose=0)
    model.compile("sgd", "mse", jit_compile=False)
    assert "jit_compile=False" in step_program.blocker(model, "train")


def test_a_loaded_file_saying_false_for_such_a_model_keeps_the_compiled_step(tmp_path):
    model = _augmented()
    model.compile("sgd", "mse")
    path = str(tmp_path / "augmented.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.jit_compile is False and loaded.get_compile_config()["jit_compile"] is False
    assert step_program.blocker(loaded, "train") is None
    plain = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    plain.compile("sgd", "mse", jit_compile=False)
    plain.save(str(tmp_path / "plain.keras"))
    assert "jit_compile=False" in step_program.blocker(keras.models.load_model(str(tmp_path / "plain.keras")), "train")


def test_layers_support_jit_unless_keras_says_otherwise():
    assert keras.layers.Dense(1).supports_jit is True
    assert keras.layers.RandomRotation(0.1).supports_jit is False


def test_an_explicit_true_is_recorded_as_asked_while_the_model_reports_false():
    model = _augmented()
    with pytest.warns(UserWarning, match="random_rotation"):
        model.compile("sgd", "mse", jit_compile=True)
    assert model.jit_compile is False and model.get_compile_config()["jit_compile"] is True
    model.compile("sgd", "mse", jit_compile=False)
    assert model.get_compile_config()["jit_compile"] is False
