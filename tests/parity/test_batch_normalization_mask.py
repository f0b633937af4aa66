"""BatchNormalization after a masking layer trains as in Keras: masked steps leave the batch
statistics alone (same losses, same moving averages)."""

import numpy as np

import nanokeras as nk


def _model(lib):
    inputs = lib.Input((5,), dtype="int32")
    h = lib.layers.Embedding(6, 3, mask_zero=True)(inputs)
    h = lib.layers.BatchNormalization(momentum=0.5)(h)
    model = lib.Model(inputs, lib.layers.Dense(2)(h))
    model.compile(lib.optimizers.SGD(0.1), "mse")
    return model


def test_masked_batch_normalization_fits_as_keras(keras):
    rng = np.random.default_rng(0)
    x = rng.integers(1, 6, size=(8, 5))
    x[:, 3:] = 0
    y = rng.normal(size=(8, 5, 2)).astype("float32")
    theirs, ours = _model(keras), _model(nk)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    their_loss = theirs.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False).history["loss"]
    our_loss = ours.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False).history["loss"]
    np.testing.assert_allclose(our_loss, their_loss, rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-4, atol=1e-5)


def test_masked_batch_normalization_call(keras):
    x = np.random.default_rng(2).normal(size=(2, 4, 3)).astype("float32")
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 0]], bool)
    np.testing.assert_allclose(np.asarray(nk.layers.BatchNormalization()(x, training=True, mask=mask)),
                               np.asarray(keras.layers.BatchNormalization()(x, training=True, mask=mask)),
                               rtol=1e-5, atol=1e-5)
