"""Keras's masking guide, eagerly: `embedding(ids)._keras_mask`, `Masking()(x)._keras_mask`, and a
masked LSTM on the embedding's output, with the same weights, in nanokeras and real Keras."""

import numpy as np

import nanokeras as nk

IDS = np.array([[711, 632, 71, 0, 0, 0], [73, 8, 3215, 55, 927, 0], [83, 91, 1, 645, 1253, 927]])


def _guide(lib):
    embedding = lib.layers.Embedding(input_dim=5000, output_dim=4, mask_zero=True)
    embedding.build((None, 6))
    embedding.set_weights([np.linspace(-1, 1, 5000 * 4, dtype="float32").reshape(5000, 4)])
    embedded = embedding(IDS)
    padded = lib.ops.cast(lib.ops.tile(lib.ops.expand_dims(IDS, axis=-1), [1, 1, 10]), "float32")
    masked = lib.layers.Masking()(padded)
    lstm = lib.layers.LSTM(3, return_sequences=True)
    lstm.build((None, 6, 4))
    lstm.set_weights([np.full(w.shape, 0.1, "float32") * (i + 1) for i, w in enumerate(lstm.get_weights())])
    out = lstm(embedded)
    return (np.asarray(embedded._keras_mask), np.asarray(masked._keras_mask), np.asarray(out),
            np.asarray(out._keras_mask))


def test_masking_guide_masks_and_outputs_as_keras(keras):
    ours, theirs = _guide(nk), _guide(keras)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
