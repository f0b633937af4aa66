"""Parity with real Keras 3.15: `MultiHeadAttention(query, value, key_mask=m)` without a `key`
applies the key mask."""

import numpy as np

import nanokeras as nk


def test_key_mask_without_key_as_keras(keras):
    rng = np.random.default_rng(0)
    query, value = rng.normal(size=(2, 3, 4)).astype("float32"), rng.normal(size=(2, 5, 4)).astype("float32")
    key_mask = np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 0]], bool)
    theirs = keras.layers.MultiHeadAttention(2, 4)
    theirs(query, value)
    ours = nk.layers.MultiHeadAttention(2, 4)
    ours(query, value)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    np.testing.assert_allclose(np.asarray(ours(query, value, key_mask=key_mask)),
                               np.asarray(theirs(query, value, key_mask=key_mask)), rtol=1e-5, atol=1e-6)
