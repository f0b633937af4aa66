"""`Multiply`, `Maximum` and `Minimum` on masked inputs compute as in Keras: a masked step is the
identity of the merge (1 for a product, the other input for a maximum or minimum), and a product
is 0 where every input is masked. Eager calls, a model's predictions and training, same weights."""

import numpy as np
import pytest

import nanokeras as nk

MERGES = ["Multiply", "Maximum", "Minimum"]


def _inputs():
    rng = np.random.default_rng(3)
    ids = rng.integers(1, 10, size=(4, 6)).astype("int32")
    ids[:, 4:] = 0
    steps = rng.normal(size=(4, 6, 3)).astype("float32")
    steps[:, 3:] = 0.0  # masked by `Masking` from step 3 on; the embedding from step 4 on
    return ids, steps


def _model(lib, merge, both_masked):
    L = lib.layers
    ids = lib.Input((6,), dtype="int32")
    steps = lib.Input((6, 3))
    embedded = L.Embedding(10, 3, mask_zero=True)(ids)
    other = L.Masking()(steps) if both_masked else L.Dense(3)(steps)
    merged = getattr(L, merge)()([embedded, other])
    return lib.Model([ids, steps], [L.LSTM(2)(merged), L.Dense(1)(merged)])


@pytest.mark.parametrize("both_masked", [True, False])
@pytest.mark.parametrize("merge", MERGES)
def test_masked_merge_predicts_and_trains_as_keras(keras, merge, both_masked):
    theirs, ours = _model(keras, merge, both_masked), _model(nk, merge, both_masked)
    ours.set_weights(theirs.get_weights())
    x = list(_inputs())
    for a, b in zip(ours.predict(x, verbose=0), theirs.predict(x, verbose=0)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    y = [np.full((4, 2), 0.5, "float32"), np.full((4, 6, 1), 0.25, "float32")]
    theirs.compile(keras.optimizers.SGD(0.1), "mse")
    ours.compile(nk.optimizers.SGD(0.1), "mse")
    h_theirs = theirs.fit(x, y, epochs=2, batch_size=2, shuffle=False, verbose=0).history["loss"]
    h_ours = ours.fit(x, y, epochs=2, batch_size=2, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(h_ours, h_theirs, rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("merge", MERGES)
def test_eager_masked_merge_values_and_mask_as_keras(keras, merge):
    ids, steps = _inputs()
    def run(lib):
        table = np.linspace(-1, 1, 30, dtype="float32").reshape(10, 3)
        embedding = lib.layers.Embedding(10, 3, mask_zero=True, embeddings_initializer=lib.initializers.Constant(table))
        out = getattr(lib.layers, merge)()([embedding(ids), lib.layers.Masking()(steps)])
        return np.asarray(out), np.asarray(out._keras_mask)
    for a, b in zip(run(nk), run(keras)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
