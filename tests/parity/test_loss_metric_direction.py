"""tensorflow.org "Overfit and underfit": a loss object compiled as a metric and monitored by
EarlyStopping with mode="auto", against real Keras 3 from the same weights."""

import numpy as np

import nanokeras as nk


def _run(lib, weights):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 6)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    model = lib.Sequential([lib.Input((6,)), lib.layers.Dense(4), lib.layers.Dense(1)])
    model.set_weights(weights)
    bce = lib.losses.BinaryCrossentropy(from_logits=True, name="binary_crossentropy")
    model.compile(optimizer=lib.optimizers.SGD(5.0), loss=lib.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[bce, "accuracy"])
    stop = lib.callbacks.EarlyStopping(monitor="val_binary_crossentropy", patience=1, restore_best_weights=True)
    history = model.fit(x, y, epochs=8, batch_size=10, validation_split=0.25, shuffle=False, verbose=0,
                        callbacks=[stop])
    return history.history, stop


def test_early_stopping_on_a_loss_metric_matches_keras(keras):
    weights = [np.asarray(w) for w in keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(4), keras.layers.Dense(1)]).get_weights()]
    theirs, theirs_stop = _run(keras, weights)
    ours, ours_stop = _run(nk, weights)
    assert sorted(ours) == sorted(theirs)
    assert len(ours["loss"]) == len(theirs["loss"]) < 8
    assert ours_stop.best_epoch == theirs_stop.best_epoch
    np.testing.assert_allclose(ours["val_binary_crossentropy"], theirs["val_binary_crossentropy"], rtol=1e-4)
