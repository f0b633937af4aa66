"""LoRA against real Keras 3: same weights in, the same weight lists, losses and predictions out,
and `.keras` files of LoRA-enabled models moving both ways."""

import numpy as np
import pytest

import nanokeras as nk

CASES = {
    "dense": ((4,), "float32", lambda L: L.Dense(3, activation="relu"), (3,)),
    "einsum_dense": ((3, 4), "float32", lambda L: L.EinsumDense("abc,cde->abde", (3, 2, 5), bias_axes="e"), (3, 2, 5)),
    "embedding": ((4,), "int32", lambda L: L.Embedding(10, 3), (4, 3)),
    "conv1d": ((6, 2), "float32", lambda L: L.Conv1D(3, 2), (5, 3)),
    "conv2d": ((5, 5, 2), "float32", lambda L: L.Conv2D(3, 3, padding="same"), (5, 5, 3)),
}


def _data(name):
    shape, dtype, _, out = CASES[name]
    rng = np.random.default_rng(1)
    x = rng.integers(0, 10, (8,) + shape) if dtype == "int32" else rng.random((8,) + shape)
    return x.astype(dtype), rng.random((8,) + out).astype("float32")


def _trained(lib, name):
    shape, dtype, make, _ = CASES[name]
    inputs = lib.Input(shape, dtype=dtype)
    layer = make(lib.layers)
    model = lib.Model(inputs, layer(inputs))
    layer.enable_lora(2, lora_alpha=3)
    model.set_weights([np.linspace(-1, 1, int(np.prod(w.shape))).reshape(w.shape).astype("float32")
                       for w in model.weights])
    model.compile(lib.optimizers.Adam(0.05), "mse")
    x, y = _data(name)
    history = model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    return model, history.history["loss"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_lora_trains_as_in_keras(keras, name):
    (ours, our_loss), (theirs, their_loss) = _trained(nk, name), _trained(keras, name)
    # (names, not paths: the layers' automatic names depend on what each session made before)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    assert [w.trainable for w in ours.weights] == [w.trainable for w in theirs.weights]
    np.testing.assert_allclose(our_loss, their_loss, rtol=1e-5)
    for a, b in zip(ours.weights, theirs.weights):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-4, atol=1e-5, err_msg=a.name)
    assert ours.layers[-1].get_config()["lora_rank"] == theirs.layers[-1].get_config()["lora_rank"] == 2


@pytest.mark.parametrize("name", sorted(CASES))
def test_lora_files_move_both_ways(keras, name, tmp_path):
    x, _ = _data(name)
    for writer, reader in ((nk, keras), (keras, nk)):
        model, _ = _trained(writer, name)
        path = str(tmp_path / f"{writer.__name__}.keras")
        model.save(path)
        loaded = reader.models.load_model(path)
        assert loaded.layers[-1].lora_enabled
        np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)), np.asarray(model.predict(x, verbose=0)),
                                   rtol=1e-5, atol=1e-5)
        for w in loaded.layers[-1].weights:
            if "lora" in w.path:
                np.testing.assert_array_equal(np.asarray(w), 0.0)
