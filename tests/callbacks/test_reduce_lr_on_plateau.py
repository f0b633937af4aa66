import numpy as np
import pytest

import nanokeras as keras
from tests.callbacks.helpers import FakeModel, drive, regression_data, small_model


def lr_of(model):
    return float(np.asarray(model.optimizer.learning_rate))


def test_reduces_after_patience_and_respects_min_lr(capsys):
    model = FakeModel(lr=1.0)
    cb = keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2, min_lr=0.3, verbose=1)
    drive(cb, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], model=model)
    # epochs 2, 4 reduce (1 -> 0.5 -> 0.3 clipped); at 0.3 it no longer reduces.
    assert lr_of(model) == pytest.approx(0.3)
    assert "Epoch 3: ReduceLROnPlateau reducing learning rate to 0.5." in capsys.readouterr().out


def test_cooldown_delays_counting():
    model = FakeModel(lr=1.0)
    cb = keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=1, cooldown=2)
    drive(cb, [1.0] * 5, model=model)
    # epoch 1 reduces, epochs 2-3 cool down, epoch 4 reduces again.
    assert lr_of(model) == pytest.approx(0.25)


def test_min_delta_default_is_1e_4():
    model = FakeModel(lr=1.0)
    cb = keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=1)
    drive(cb, [1.0, 0.99995], model=model)
    assert lr_of(model) == pytest.approx(0.5)


def test_logs_learning_rate_and_history():
    x, y = regression_data()
    model = small_model(lr=0.01)
    history = model.fit(x, y, epochs=3, verbose=0, shuffle=False,
                        callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0,
                                                                     min_delta=10.0)])
    # Logged before the reduction of the same epoch, as Keras does; epoch 0 sets `best`.
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.01, 0.005])


@pytest.mark.parametrize("kwargs", [{"factor": 1.0}, {"factor": 2}, {"patience": -1}, {"cooldown": -1},
                                    {"mode": "up"}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        keras.callbacks.ReduceLROnPlateau(**kwargs)


def test_missing_monitor_warns():
    cb = keras.callbacks.ReduceLROnPlateau(monitor="val_loss")
    with pytest.warns(UserWarning, match="conditioned on metric `val_loss`"):
        drive(cb, [1.0], monitor="loss")
