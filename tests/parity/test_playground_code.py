"""The playground's code panel, with the Keras 3 import, runs on real Keras 3 (JAX) and builds the same set-up.

Both programs run in one fresh interpreter, as pasted (importing Keras is the slow part).
"""

import json

import numpy as np

from nanokeras.playground import datasets
from nanokeras.playground.code_generation import python_code
from nanokeras.playground.settings import Settings
from tests.playground.helpers import EPILOGUE, layer_summary, run_program

PERCEPTRON = Settings(dataset="blobs", hidden=(), optimizer="sgd", learning_rate=0.3, epochs=30, batch_size=10)
DEEPER = Settings(dataset="moons", hidden=(5, 3), activation="relu", optimizer="rmsprop", learning_rate=0.01,
                  l2=0.003, dropout=0.2, epochs=3, batch_size=16, seed=2)


def test_the_keras_program_runs_on_real_keras_with_the_same_set_up(keras, tmp_path):
    del keras  # the fixture only makes sure real Keras 3 is importable (or skips/fails loudly)
    first = tmp_path / "perceptron.json"
    program = python_code(PERCEPTRON, "keras") + EPILOGUE.format(path=str(first)) + python_code(DEEPER, "keras")
    second = tmp_path / "deeper.json"
    theirs_second, _ = run_program(program, second, cwd=str(tmp_path), env_extra={"KERAS_BACKEND": "jax"},
                                   timeout=400)
    with open(first) as file:
        theirs_first = json.load(file)
    for settings, theirs in ((PERCEPTRON, theirs_first), (DEEPER, theirs_second)):
        ours, _ = run_program(python_code(settings), tmp_path / "ours.json", cwd=str(tmp_path))
        (x_train, _), (x_test, y_test) = datasets.load(settings)
        np.testing.assert_array_equal(np.asarray(theirs["x_train"], np.float32), x_train)
        np.testing.assert_array_equal(theirs["y_test"], y_test)
        assert layer_summary(theirs["layers"]) == layer_summary(ours["layers"])
        for key in ("optimizer", "loss", "params"):
            assert theirs[key] == ours[key], key
        assert np.isclose(theirs["learning_rate"], settings.learning_rate)
        assert sorted(theirs["history"]) == sorted(ours["history"]) == ["accuracy", "loss", "val_accuracy", "val_loss"]
        assert len(theirs["history"]["loss"]) == settings.epochs
    # Different initial weights (each library draws its own), the same lesson: the line separates the blobs.
    assert theirs_first["history"]["val_accuracy"][-1] >= 0.9
