"""nanokeras/playground/code_generation.py: the code panel's program trains exactly what the page trains.

Each program runs in a fresh interpreter, as a learner would run it after pasting.
"""

import numpy as np
import pytest

from nanokeras.playground import datasets
from nanokeras.playground.code_generation import python_code
from nanokeras.playground.recipes import SettingsRecipe
from nanokeras.playground.session import Session
from nanokeras.playground.settings import Settings
from nanokeras.playground.uploads import parse_csv

from tests.playground.helpers import layer_summary, run_program


def _train_in_the_playground(recipe):
    session = Session(recipe)
    try:
        session.control("train")
        session.wait_until(lambda frame: frame["status"] == "done", timeout=120)
        return session.history, session.model.get_weights()
    finally:
        session.close()


@pytest.mark.parametrize("settings", [
    Settings(dataset="moons", hidden=(5, 3), activation="tanh", optimizer="adam", learning_rate=0.03,
             l2=0.003, dropout=0.2, epochs=4, batch_size=16, speed="fast", seed=3),
    Settings(dataset="blobs", hidden=(), optimizer="sgd", learning_rate=0.3, epochs=3, batch_size=1,
             test_fraction=0.5, points=60, speed="fast"),
])
def test_the_program_makes_the_same_data_and_the_same_training(settings, tmp_path):
    code = python_code(settings)
    result, stdout = run_program(code, tmp_path / "result.json", cwd=str(tmp_path))
    (x_train, y_train), (x_test, y_test) = datasets.load(settings)
    np.testing.assert_array_equal(np.asarray(result["x_train"], np.float32), x_train)
    np.testing.assert_array_equal(result["y_test"], y_test)
    history, weights = _train_in_the_playground(SettingsRecipe(settings))
    assert result["history"].keys() == history.keys()
    for name in history:
        np.testing.assert_array_equal(np.float32(result["history"][name]), np.float32(history[name]), err_msg=name)
    for theirs, ours in zip(result["weights"], weights):
        np.testing.assert_array_equal(np.asarray(theirs, np.float32), ours)
    assert f"Epoch {settings.epochs}/{settings.epochs}" in stdout and "test accuracy:" in stdout


def test_an_uploaded_file_with_several_classes(tmp_path):
    rng = np.random.default_rng(0)
    centers = np.array([[0, 0], [3, 0], [0, 3]])
    labels = np.repeat([2, 4, 6], 30)
    points = centers[labels // 2 - 1] + rng.normal(scale=0.4, size=(90, 2))
    text = "a,b,kind\n" + "\n".join(f"{p[0]:.5f},{p[1]:.5f},{label}" for p, label in zip(points, labels))
    (tmp_path / "my_data.csv").write_text(text)
    recipe = SettingsRecipe(Settings(hidden=(6,), epochs=5, speed="fast")).with_upload(parse_csv(text.encode()),
                                                                                      "my_data.csv")
    code = recipe.describe()["code"]["nanokeras"]
    assert 'np.loadtxt("my_data.csv", delimiter=",", skiprows=1, ndmin=2)' in code
    assert 'keras.layers.Dense(3, activation="softmax")' in code and "sparse_categorical_crossentropy" in code
    result, _ = run_program(code, tmp_path / "result.json", cwd=str(tmp_path))
    history, _ = _train_in_the_playground(recipe)
    for name in history:
        np.testing.assert_array_equal(np.float32(result["history"][name]), np.float32(history[name]), err_msg=name)
    assert result["loss"] == "sparse_categorical_crossentropy"


def test_the_program_writes_every_setting():
    settings = Settings(dataset="xor", points=150, noise=0.25, test_fraction=0.4, seed=9, hidden=(7,),
                        activation="relu", optimizer="rmsprop", learning_rate=0.003, batch_size=5,
                        l2=0.01, dropout=0.3, epochs=12)
    code = python_code(settings)
    for text in ["keras.utils.set_random_seed(9)", "np.random.default_rng(9)", "def xor(n, noise, rng):",
                 "x, y = xor(150, noise=0.25, rng=rng)", "round(len(x) * 0.4)",
                 'keras.layers.Dense(7, activation="relu", kernel_regularizer=keras.regularizers.L2(0.01))',
                 "keras.layers.Dropout(0.3)", "keras.optimizers.RMSprop(learning_rate=0.003)",
                 "epochs=12", "batch_size=5", "validation_data=(x_test, y_test)"]:
        assert text in code, text
    assert "speed" not in code  # display only
    assert python_code(settings, "keras").splitlines()[2].startswith("import keras  ")


def test_the_program_lists_the_layers_the_playground_builds(tmp_path):
    settings = Settings(hidden=(3, 2), l2=0.001, dropout=0.1, epochs=1, speed="fast")
    result, _ = run_program(python_code(settings), tmp_path / "result.json", cwd=str(tmp_path))
    assert layer_summary(result["layers"]) == [
        ("Dense", 3, "tanh", 0.001), ("Dropout", 0.1, None, None),
        ("Dense", 2, "tanh", 0.001), ("Dropout", 0.1, None, None), ("Dense", 1, "sigmoid", None)]
    assert (result["optimizer"], result["learning_rate"]) == ("Adam", pytest.approx(0.03))


def test_unknown_library_is_refused():
    with pytest.raises(ValueError, match="'nanokeras' or 'keras'"):
        python_code(Settings(), library="torch")
