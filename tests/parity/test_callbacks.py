"""EarlyStopping and ReduceLROnPlateau in a real fit, against real Keras 3 from the same weights."""

import numpy as np
import pytest

import nanokeras

# Few samples, many features, noisy labels, a big learning rate: the validation loss
# falls for a few epochs, then rises as the model overfits.
RNG = np.random.default_rng(3)
X = RNG.normal(size=(40, 12)).astype("float32")
Y = (X[:, :1] + RNG.normal(scale=1.5, size=(40, 1))).astype("float32")
X_VAL = RNG.normal(size=(40, 12)).astype("float32")
Y_VAL = (X_VAL[:, :1] + RNG.normal(scale=1.5, size=(40, 1))).astype("float32")


def build(lib, lr):
    model = lib.Sequential([lib.Input((12,)), lib.layers.Dense(16, activation="tanh"), lib.layers.Dense(1)])
    model.compile(lib.optimizers.SGD(lr), loss="mse")
    return model


def run(lib, callback, weights, lr=0.05, epochs=60):
    model = build(lib, lr)
    model.set_weights(weights)
    history = model.fit(X, Y, batch_size=8, epochs=epochs, shuffle=False, verbose=0,
                        validation_data=(X_VAL, Y_VAL), callbacks=[callback])
    return model, history.history


@pytest.mark.parametrize("kwargs", [
    dict(patience=3, restore_best_weights=True),
    dict(patience=2, min_delta=0.01, restore_best_weights=True),
    dict(patience=4, start_from_epoch=5, restore_best_weights=True),
    dict(patience=3, baseline=0.5, restore_best_weights=True),
    dict(patience=0),
])
def test_early_stopping_matches_keras(keras, kwargs):
    theirs_model = build(keras, 0.05)
    weights = [np.asarray(w) for w in theirs_model.get_weights()]
    theirs_cb = keras.callbacks.EarlyStopping(**kwargs)
    ours_cb = nanokeras.callbacks.EarlyStopping(**kwargs)
    theirs_model, theirs_hist = run(keras, theirs_cb, weights)
    ours_model, ours_hist = run(nanokeras, ours_cb, weights)
    assert len(ours_hist["loss"]) == len(theirs_hist["loss"]) < 60
    np.testing.assert_allclose(ours_hist["val_loss"], theirs_hist["val_loss"], rtol=1e-4)
    assert ours_cb.stopped_epoch == theirs_cb.stopped_epoch
    assert ours_cb.best_epoch == theirs_cb.best_epoch
    assert ours_cb.best == pytest.approx(float(theirs_cb.best), rel=1e-4)
    for a, b in zip(ours_model.get_weights(), theirs_model.get_weights()):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-4, atol=1e-5)


def test_early_stopping_messages_match_keras(keras, capsys):
    weights = [np.asarray(w) for w in build(keras, 0.05).get_weights()]
    run(keras, keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True, verbose=1), weights)
    theirs = capsys.readouterr().out
    run(nanokeras, nanokeras.callbacks.EarlyStopping(patience=2, restore_best_weights=True, verbose=1), weights)
    assert capsys.readouterr().out.strip() == theirs.strip()


def test_reduce_lr_on_plateau_matches_keras(keras):
    weights = [np.asarray(w) for w in build(keras, 0.05).get_weights()]
    kwargs = dict(factor=0.5, patience=2, cooldown=1, min_lr=0.005)
    _, theirs = run(keras, keras.callbacks.ReduceLROnPlateau(**kwargs), weights, epochs=25)
    _, ours = run(nanokeras, nanokeras.callbacks.ReduceLROnPlateau(**kwargs), weights, epochs=25)
    np.testing.assert_allclose(ours["learning_rate"], theirs["learning_rate"], rtol=1e-6)
    np.testing.assert_allclose(ours["val_loss"], theirs["val_loss"], rtol=1e-4)
    assert min(ours["learning_rate"]) < 0.05


def test_learning_rate_scheduler_matches_keras(keras):
    weights = [np.asarray(w) for w in build(keras, 0.05).get_weights()]

    def schedule(epoch, lr):
        return lr if epoch < 3 else lr * 0.8

    _, theirs = run(keras, keras.callbacks.LearningRateScheduler(schedule), weights, epochs=8)
    _, ours = run(nanokeras, nanokeras.callbacks.LearningRateScheduler(schedule), weights, epochs=8)
    np.testing.assert_allclose(ours["learning_rate"], theirs["learning_rate"], rtol=1e-6)
    np.testing.assert_allclose(ours["loss"], theirs["loss"], rtol=1e-4)
