"""nanokeras/playground/session.py: the buttons, the settings and the frames of one playground."""

import base64
import json
import threading
import time

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.playground.recipes import SettingsRecipe, UserModelRecipe
from nanokeras.playground.session import Session
from nanokeras.playground.settings import Settings
from nanokeras.playground.uploads import parse_csv

FAST = Settings(dataset="blobs", points=120, hidden=(3,), epochs=8, batch_size=10, speed="fast")


@pytest.fixture
def session():
    session = Session(SettingsRecipe(FAST))
    yield session
    session.close()


def _setup(session):
    return json.loads(session.broadcaster.latest("setup"))


def _frame(session):
    return json.loads(session.broadcaster.latest("frame"))


def _until(session, status, timeout=60):
    return session.wait_until(lambda frame: frame["status"] == status, timeout)


def test_a_new_session_shows_the_untrained_model(session):
    setup, frame = _setup(session), _frame(session)
    assert frame["status"] == "ready" and frame["epoch"] == 0 and frame["latest"] == {}
    assert frame["generation"] == setup["generation"]
    assert len(base64.b64decode(frame["predicted"])) == setup["boundary_size"] ** 2
    assert [len(layer) for layer in frame["units"]] == [3]
    assert len(base64.b64decode(frame["units"][0][0])) == setup["unit_size"] ** 2
    assert np.array(frame["weights"][0]).shape == (2, 3) and np.array(frame["weights"][1]).shape == (3, 1)
    assert len(setup["points"]["train"]) == 84 and len(setup["points"]["test"]) == 36
    assert setup["layers"] == [{"name": "dense", "units": 3}] and setup["classes"] == ["0", "1"]
    assert "import nanokeras as keras" in setup["code"]["nanokeras"]
    assert setup["code"]["keras"].splitlines()[2].startswith("import keras")


def test_train_runs_a_real_fit_to_the_end(session):
    session.control("train")
    frame = _until(session, "done")
    assert frame["epoch"] == 8 and len(frame["curves"]["loss"]) == 8 and frame["curve_epochs"] == list(range(1, 9))
    assert frame["latest"]["val_accuracy"] == pytest.approx(session.history["val_accuracy"][-1], abs=1e-5)
    model, data = SettingsRecipe(FAST).fresh()  # the same fit, without the playground
    plain = model.fit(**SettingsRecipe(FAST).fit_arguments(data), verbose=0).history
    assert plain == session.history
    assert session._worker is None


def test_pause_step_and_resume(session):
    session.update_settings({"speed": "slow", "epochs": 50})  # 4 epochs a second: time to press buttons
    session.control("train")
    session.wait_until(lambda frame: frame["status"] == "training", 10)
    session.control("pause")
    paused = _until(session, "paused", 10)
    weights = [w.copy() for w in session.model.get_weights()]
    time.sleep(0.3)
    assert _frame(session)["epoch"] == paused["epoch"]
    for a, b in zip(weights, session.model.get_weights()):  # nothing trains while paused
        np.testing.assert_array_equal(a, b)
    epochs = paused["epoch"]
    session.control("step")
    stepped = session.wait_until(lambda f: f["status"] == "paused" and f["epoch"] == epochs + 1, 10)
    assert stepped["batch"] == 0  # paused at an epoch's end
    session.control("train")
    session.wait_until(lambda frame: frame["status"] == "training", 10)
    session.update_settings({"speed": "fast"})  # applies to the running fit
    assert _until(session, "done")["epoch"] == 50


def test_step_from_ready_trains_one_epoch(session):
    session.control("step")
    frame = _until(session, "paused")
    assert frame["epoch"] == 1 and len(session.history["loss"]) == 1


def test_stepping_through_the_last_epoch_ends_training(session):
    session.update_settings({"epochs": 2})
    session.control("step")
    assert _until(session, "paused")["epoch"] == 1
    session.control("step")
    assert _until(session, "done")["epoch"] == 2


def test_reset_stops_training_and_restores_the_initial_weights(session):
    initial = [w.copy() for w in session.model.get_weights()]
    generation = _setup(session)["generation"]
    session.update_settings({"speed": "slow", "epochs": 100})
    session.control("train")
    session.wait_until(lambda frame: frame["epoch"] >= 1, 10)
    worker = session._worker
    session.control("reset")
    assert not worker.is_alive()
    frame = _frame(session)
    assert frame["status"] == "ready" and frame["epoch"] == 0 and frame["curves"] == {}
    assert _setup(session)["generation"] > generation
    for a, b in zip(initial, session.model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_train_after_done_starts_again_from_new_weights(session):
    session.control("train")
    _until(session, "done")
    first = dict(session.history)
    session.control("train")
    _until(session, "done")
    assert session.history == first  # same seed, same set-up: the same run again


def test_a_new_setting_starts_afresh_and_a_bad_one_changes_nothing(session):
    session.update_settings({"speed": "slow", "epochs": 100})
    session.control("train")
    session.wait_until(lambda frame: frame["status"] == "training", 10)
    generation = _setup(session)["generation"]
    with pytest.raises(ValueError, match="Did you mean 'tanh'"):
        session.update_settings({"activation": "tahn"})
    assert _setup(session)["generation"] == generation and session._worker is not None
    session.update_settings({"hidden": [2, 2]})
    assert _frame(session)["status"] == "ready" and session._worker is None
    assert _setup(session)["layers"] == [{"name": "dense", "units": 2}, {"name": "dense_1", "units": 2}]


def test_presets_and_unknown_actions(session):
    session.apply_preset("perceptron")
    assert _setup(session)["settings"]["hidden"] == [] and _setup(session)["layers"] == []
    with pytest.raises(ValueError, match="Did you mean 'train'"):
        session.control("trian")
    with pytest.raises(ValueError, match="Unknown preset"):
        session.apply_preset("nope")


def test_the_model_downloads_while_training_paused_and_done(session, tmp_path):
    session.update_settings({"speed": "slow", "epochs": 40})
    session.control("train")
    session.wait_until(lambda frame: frame["epoch"] >= 1, 10)

    def loads(data):
        path = tmp_path / f"model{time.monotonic_ns()}.keras"
        path.write_bytes(data)
        return keras.saving.load_model(str(path))

    during = loads(session.model_file())  # saved by the training thread between two steps
    assert [w.shape for w in during.get_weights()] == [w.shape for w in session.model.get_weights()]
    session.control("pause")
    _until(session, "paused")
    paused = loads(session.model_file())
    for a, b in zip(paused.get_weights(), session.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    session.control("reset")
    fresh = loads(session.model_file())
    np.testing.assert_array_equal(fresh.predict(np.zeros((1, 2)), verbose=0), session.model.predict(
        np.zeros((1, 2)), verbose=0))


def test_an_upload_becomes_the_data_and_the_code(session):
    rows = "\n".join(f"{i % 7},{i % 5},{i % 3}" for i in range(30))
    session.upload(parse_csv(rows.encode()), "three.csv")
    setup = _setup(session)
    assert setup["settings"]["dataset"] == "uploaded" and setup["uploaded"] == "three.csv"
    assert setup["classes"] == ["0", "1", "2"] and len(setup["points"]["train"]) == 21
    assert "three.csv" in setup["code"]["nanokeras"] and "uploaded" in setup["choices"]["dataset"]
    session.control("step")
    assert _until(session, "paused")["epoch"] == 1
    session.update_settings({"dataset": "moons"})
    assert "uploaded" in _setup(session)["choices"]["dataset"]  # still there to go back to


def test_an_error_in_fit_is_shown_and_reset_recovers():
    calls = []

    def fragile_loss(y_true, y_pred):
        calls.append(1)
        if len(calls) > 30:
            raise ValueError("the loss broke")
        return keras.ops.mean((y_true - y_pred) ** 2)

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", fragile_loss)
    x = np.random.default_rng(0).normal(size=(40, 2)).astype("float32")
    session = Session(UserModelRecipe(model, x, (x[:, 0] > 0).astype("float32"), epochs=5, batch_size=4,
                                      speed="fast"))
    try:
        session.control("train")
        frame = _until(session, "error")
        assert frame["message"] == "ValueError: the loss broke"
        calls.clear()
        session.control("reset")
        assert _frame(session)["status"] == "ready"
    finally:
        session.close()


def test_many_threads_pressing_buttons_leave_a_consistent_state(session):
    session.update_settings({"speed": "normal", "epochs": 30})
    actions = ["train", "pause", "step", "reset", "train"] * 6
    errors = []

    def press(action):
        try:
            session.control(action)
        except Exception as error:  # nothing may raise
            errors.append(error)

    threads = [threading.Thread(target=press, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    session.control("reset")
    session.control("train")
    assert _until(session, "done")["epoch"] == 30
    assert threading.active_count() < 20


def test_show_mode_reset_puts_back_the_users_weights_and_optimizer():
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(1).normal(size=(60, 2)).astype("float32")
    y = (x[:, 0] > 0).astype("int32")
    weights = [w.copy() for w in model.get_weights()]
    session = Session(UserModelRecipe(model, x, y, validation_data=(x[:10], y[:10]), epochs=3, speed="fast"))
    try:
        session.control("train")
        first = dict(_until(session, "done")["latest"])
        assert not np.array_equal(model.get_weights()[0], weights[0])
        with pytest.raises(ValueError, match="cannot change here"):
            session.update_settings({"hidden": [3]})
        session.control("reset")
        for a, b in zip(weights, model.get_weights()):
            np.testing.assert_array_equal(a, b)
        assert int(model.optimizer.iterations.numpy()) == 0
        keras.utils.set_random_seed(5)  # fit shuffles: the same seed, the same run
        session.control("train")
        keras.utils.set_random_seed(5)
        assert _until(session, "done")["epoch"] == 3
        setup = _setup(session)
        assert setup["mode"] == "model" and "Total params" in setup["summary"]
        assert "model.fit(x, y, validation_data=validation_data, epochs=3, batch_size=32)" in setup["code"][
            "nanokeras"]
        assert set(first) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    finally:
        session.close()


def test_no_test_points_without_validation_data():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy")
    x = np.zeros((8, 2), "float32")
    session = Session(UserModelRecipe(model, x, np.zeros(8), epochs=2, speed="fast"))
    try:
        assert _setup(session)["points"]["test"] == []
        session.control("train")
        assert set(_until(session, "done")["latest"]) == {"loss"}
    finally:
        session.close()
