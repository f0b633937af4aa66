"""Functional models that apply `keras.ops` and Python operators to symbolic tensors, saved by
one library and loaded by the other: same outputs both ways."""

import numpy as np
import pytest

import nanokeras as nk


def _model(lib):
    ops = lib.ops
    a, b = lib.Input((4,), name="a"), lib.Input((4,), name="b")
    h = lib.layers.Dense(4, name="d")(a)
    outputs = [
        h + 1, h * b, -h, h[:, 0:2], h[:, 1], h[..., None], h[:, ::2], 2.0 * h, h ** 2, h / 3.0, 1.0 - h,
        ops.mean(h, axis=1, keepdims=True), ops.concatenate([h, b], axis=-1), ops.reshape(h, (-1, 2, 2)),
        ops.expand_dims(h, 1), ops.cast(h, "int32"), ops.clip(h, 0.0, 1.0), ops.softmax(h),
        ops.where(h > 0, h, b), ops.square(h), ops.transpose(ops.reshape(h, (-1, 2, 2)), (0, 2, 1)),
        ops.maximum(h, 0.5), ops.stack([h, b], axis=1), ops.relu(h), ops.squeeze(ops.expand_dims(h, 1), axis=1),
        ops.take(h, [0, 2], axis=1), ops.pad(h, [[0, 0], [1, 1]], constant_values=3.0), ops.sigmoid(h),
        ops.sum(h, axis=-1), ops.max(h, axis=1), ops.argmax(h, axis=1), ops.exp(h), ops.abs(h), ops.sqrt(ops.abs(h)),
        ops.matmul(h, ops.transpose(b)), ops.tile(h, (1, 2)), ops.split(h, 2, axis=1)[0], ops.einsum("ij,ij->i", h, b),
        ops.logical_and(h > 0, b > 0), ops.one_hot(ops.argmax(h, axis=1), 4),
    ]
    return lib.Model([a, b], outputs)


def _data():
    rng = np.random.default_rng(0)
    return [rng.normal(size=(3, 4)).astype("float32"), rng.normal(size=(3, 4)).astype("float32")]


def _same(ours, theirs):
    assert len(ours) == len(theirs)
    for i, (u, v) in enumerate(zip(ours, theirs)):
        u, v = np.asarray(u), np.asarray(v)
        assert u.shape == v.shape, (i, u.shape, v.shape)
        np.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-6, err_msg=f"output {i}")


@pytest.mark.parametrize("direction", ["nanokeras_to_keras", "keras_to_nanokeras"])
def test_op_nodes_load_across_libraries(keras, tmp_path, direction):
    path = str(tmp_path / "ops.keras")
    if direction == "nanokeras_to_keras":
        saved = _model(nk)
        saved.save(path)
        loaded = keras.models.load_model(path)
    else:
        saved = _model(keras)
        saved.save(path)
        loaded = nk.models.load_model(path)
    _same(saved(_data()), loaded(_data()))
    assert [t.name for t in loaded.inputs] == ["a", "b"]


def test_masked_embeddings_file_of_keras_loads(keras, tmp_path):
    """Keras records the mask's ops (not_equal, logical_or, concatenate, any, ...) as graph nodes."""
    ids_a, ids_b = keras.Input((5,), name="ia", dtype="int32"), keras.Input((5,), name="ib", dtype="int32")
    embedding = keras.layers.Embedding(20, 4, mask_zero=True, name="emb")
    joined = keras.layers.Concatenate(axis=1)([embedding(ids_a), embedding(ids_b)])
    attended = keras.layers.MultiHeadAttention(2, 4, name="mha")(joined, joined)
    theirs = keras.Model([ids_a, ids_b], keras.layers.Dense(1)(keras.layers.GlobalAveragePooling1D()(attended)))
    path = str(tmp_path / "masked.keras")
    theirs.save(path)
    ours = nk.models.load_model(path)
    rng = np.random.default_rng(1)
    ids = [rng.integers(0, 20, (4, 5)), rng.integers(0, 20, (4, 5))]
    ids[0][:, 3:] = 0
    np.testing.assert_allclose(np.asarray(ours(ids)), np.asarray(theirs(ids)), rtol=1e-5, atol=1e-6)
