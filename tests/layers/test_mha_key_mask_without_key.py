"""`MultiHeadAttention(query, value, key_mask=m)` without a `key`: the key is the value, and the
explicit `key_mask` still hides its masked steps, as in Keras (it was dropped)."""

import numpy as np

import nanokeras as keras


def test_key_mask_applies_when_key_is_the_value():
    rng = np.random.default_rng(0)
    query, value = rng.normal(size=(2, 3, 4)).astype("float32"), rng.normal(size=(2, 5, 4)).astype("float32")
    key_mask = np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 0]], bool)
    layer = keras.layers.MultiHeadAttention(2, 4)
    masked = np.asarray(layer(query, value, key_mask=key_mask))
    same_as_value_mask = np.asarray(layer(query, value, value_mask=key_mask))
    unmasked = np.asarray(layer(query, value))
    np.testing.assert_allclose(masked, same_as_value_mask, rtol=1e-6)
    assert not np.allclose(masked, unmasked)
    # Hidden steps do not matter: changing them leaves the output as it was.
    changed = value.copy()
    changed[~key_mask] = 9.0
    np.testing.assert_allclose(np.asarray(layer(query, changed, key_mask=key_mask)), masked, rtol=1e-5, atol=1e-6)
