import numpy as np
import pytest

import nanokeras as keras
from tests.callbacks.helpers import FakeModel, drive, regression_data, small_model


def test_stops_after_patience_epochs_without_improvement():
    stop = keras.callbacks.EarlyStopping(patience=2)
    model, ran = drive(stop, [1.0, 0.5, 0.6, 0.7, 0.4, 0.3])
    assert ran == 4
    assert stop.stopped_epoch == 3
    assert stop.best == 0.5 and stop.best_epoch == 1


def test_patience_zero_stops_at_first_non_improvement():
    stop = keras.callbacks.EarlyStopping(patience=0)
    _, ran = drive(stop, [1.0, 0.9, 0.95, 0.1])
    assert ran == 3


def test_min_delta_counts_small_gains_as_no_improvement():
    stop = keras.callbacks.EarlyStopping(patience=1, min_delta=0.1)
    _, ran = drive(stop, [1.0, 0.95, 0.93, 0.5])
    assert ran == 2


def test_max_mode_and_auto_for_accuracy_like_names():
    stop = keras.callbacks.EarlyStopping(monitor="val_auc", mode="max", patience=1)
    _, ran = drive(stop, [0.5, 0.6, 0.55, 0.9], monitor="val_auc")
    assert ran == 3


def test_restore_best_weights_restores_the_best_epoch():
    stop = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True, verbose=1)
    model, _ = drive(stop, [1.0, 0.5, 0.6, 0.7, 0.1])
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])


def test_restore_best_weights_without_stopping_restores_too(capsys):
    stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True, verbose=1)
    model, ran = drive(stop, [1.0, 0.5, 0.6])
    assert ran == 3
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])
    out = capsys.readouterr().out
    assert "early stopping" not in out
    assert "Restoring model weights from the end of the best epoch: 2." in out


def test_messages(capsys):
    stop = keras.callbacks.EarlyStopping(patience=1, restore_best_weights=True, verbose=1)
    drive(stop, [1.0, 0.5, 0.6, 0.7])
    out = capsys.readouterr().out
    assert "Epoch 3: early stopping" in out  # patience=1: the first epoch without improvement
    assert "Restoring model weights from the end of the best epoch: 2." in out


def test_baseline_not_beaten_stops_after_patience_and_restores_best():
    stop = keras.callbacks.EarlyStopping(patience=2, baseline=0.1, restore_best_weights=True)
    model, ran = drive(stop, [1.0, 0.5, 0.6, 0.05])
    assert ran == 3  # best improves but never beats the baseline, so wait keeps growing
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])


def test_start_from_epoch_ignores_warmup_epochs():
    stop = keras.callbacks.EarlyStopping(patience=0, start_from_epoch=3)
    _, ran = drive(stop, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert ran == 5  # epoch 3 sets best, epoch 4 is worse


def test_missing_monitor_warns_and_continues():
    stop = keras.callbacks.EarlyStopping(monitor="val_loss")
    with pytest.warns(UserWarning, match="`val_loss` which is not available. Available metrics are: loss"):
        _, ran = drive(stop, [1.0, 2.0, 3.0], monitor="loss")
    assert ran == 3


def test_unknown_direction_in_auto_mode_raises():
    stop = keras.callbacks.EarlyStopping(monitor="val_foo")
    with pytest.raises(ValueError, match="mode='max'"):
        drive(stop, [1.0], monitor="val_foo")


@pytest.mark.parametrize("kwargs", [{"patience": -1}, {"mode": "minimum"}, {"patience": 1.5},
                                    {"start_from_epoch": -2}, {"min_delta": "0.1"}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        keras.callbacks.EarlyStopping(**kwargs)


def test_reuse_across_fits_resets_state():
    stop = keras.callbacks.EarlyStopping(patience=0)
    drive(stop, [1.0, 2.0])
    model, ran = drive(stop, [5.0, 4.0, 3.0])
    assert ran == 3 and stop.best == 3.0


def test_in_fit_with_accuracy_auto_mode_and_restore():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.SGD(0.5), "binary_crossentropy", metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=1, restore_best_weights=True)
    history = model.fit(x, y, epochs=30, validation_split=0.25, shuffle=False, verbose=0, callbacks=[stop])
    assert stop.monitor_op(2, 1)  # auto mode picked "max" for accuracy
    accs = history.history["val_accuracy"]
    assert len(accs) < 30
    best = int(np.argmax(accs))  # first maximum: later equal values are not improvements
    assert stop.best_epoch == best
    assert model.evaluate(x[48:], y[48:], verbose=0, return_dict=True)["accuracy"] == pytest.approx(accs[best])


def test_stops_real_fit_on_loss():
    x, y = regression_data()
    model = small_model(lr=0.5)
    # lr=0.5 on this data diverges after a couple of epochs: loss goes up, training stops.
    history = model.fit(x, y, epochs=20, batch_size=32, verbose=0, shuffle=False,
                        callbacks=[keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=1e9)])
    assert len(history.history["loss"]) == 2


@pytest.mark.parametrize("metric", [
    keras.losses.BinaryCrossentropy(from_logits=True, name="binary_crossentropy"),
    keras.losses.binary_crossentropy,
])
def test_auto_mode_minimizes_a_loss_compiled_as_metric(metric):
    # tensorflow.org "Overfit and underfit": a loss object as metric, monitored with mode="auto".
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), keras.losses.BinaryCrossentropy(from_logits=True), metrics=[metric])
    stop = keras.callbacks.EarlyStopping(monitor="val_binary_crossentropy", patience=1)
    model.fit(x, y, epochs=2, validation_split=0.25, verbose=0, callbacks=[stop])
    assert stop.monitor_op(1, 2) and not stop.monitor_op(2, 1)


def test_auto_mode_still_refuses_a_custom_loss_compiled_as_metric():
    class Custom(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=[Custom(name="custom")])
    stop = keras.callbacks.EarlyStopping(monitor="val_custom")
    x = np.ones((8, 3), "float32")
    with pytest.raises(ValueError, match="mode='max'"):
        model.fit(x, np.ones((8, 1), "float32"), epochs=1, validation_split=0.25, verbose=0, callbacks=[stop])
