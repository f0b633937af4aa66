"""LoRA on Dense, EinsumDense, Embedding and Conv: weights, closed-form outputs and training steps,
files holding the merged weight, the compiled step's fallback, and refused calls changing nothing."""

import json
import zipfile

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers

RNG = np.random.default_rng(0)


def _dense(**kwargs):
    layer = layers.Dense(3, **kwargs)
    layer.build((None, 4))
    return layer


def test_enable_lora_adds_a_b_freezes_the_kernel_and_keeps_its_place():
    layer = _dense()
    before = layer(np.ones((2, 4), "float32"))
    layer.enable_lora(2)
    assert [(w.name, w.shape, w.trainable) for w in layer.weights] == [
        ("kernel", (4, 3), False), ("bias", (3,), True), ("lora_kernel_a", (4, 2), True),
        ("lora_kernel_b", (2, 3), True)]
    assert [w.name for w in layer.trainable_weights] == ["bias", "lora_kernel_a", "lora_kernel_b"]
    assert [w.name for w in layer.non_trainable_weights] == ["kernel"]
    np.testing.assert_array_equal(layer.lora_kernel_b.numpy(), 0.0)
    np.testing.assert_array_equal(layer(np.ones((2, 4), "float32")), before)  # b = 0: nothing changes yet
    assert (layer.lora_enabled, layer.lora_rank, layer.lora_alpha) == (True, 2, 2)


@pytest.mark.parametrize("alpha", [None, 8])
def test_dense_output_is_the_closed_form_with_the_scaled_update(alpha):
    layer = _dense(activation="relu")
    layer.enable_lora(2, lora_alpha=alpha)
    w, bias, a, b = (RNG.normal(size=v.shape).astype("float32") for v in layer.weights)
    layer.set_weights([w, bias, a, b])
    x = RNG.normal(size=(5, 4)).astype("float32")
    scale = (alpha or 2) / 2
    expected = np.maximum(x.astype("float64") @ (w + scale * (a.astype("float64") @ b)) + bias, 0.0)
    np.testing.assert_allclose(layer(x), expected, rtol=1e-5, atol=1e-5)


def test_one_sgd_step_moves_a_b_and_bias_by_their_closed_form_gradients_and_not_the_kernel():
    inputs = keras.Input((4,))
    dense = layers.Dense(3)
    model = keras.Model(inputs, dense(inputs))
    dense.enable_lora(2, lora_alpha=4)
    w, c, a, b = (RNG.normal(size=v.shape) for v in dense.weights)
    model.set_weights([w, c, a, b])
    x, y = RNG.normal(size=(6, 4)), RNG.normal(size=(6, 3))
    model.compile(keras.optimizers.SGD(0.1), "mse")
    model.train_on_batch(x.astype("float32"), y.astype("float32"))
    s = 2.0
    z = x @ (w + s * a @ b) + c
    dz = 2.0 * (z - y) / z.size  # d mean((z - y)^2) / dz
    dw = x.T @ dz
    np.testing.assert_allclose(dense.kernel.numpy(), w, rtol=1e-6)  # frozen
    np.testing.assert_allclose(dense.bias.numpy(), c - 0.1 * dz.sum(0), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(dense.lora_kernel_a.numpy(), a - 0.1 * s * dw @ b.T, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(dense.lora_kernel_b.numpy(), b - 0.1 * s * a.T @ dw, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("make, input_shape, names", [
    (lambda: layers.EinsumDense("abc,cde->abde", (3, 2, 5)), (None, 3, 4),
     [("kernel", (4, 2, 5)), ("lora_kernel_a", (4, 2, 2)), ("lora_kernel_b", (2, 5))]),
    (lambda: layers.Embedding(10, 3), (None, 4),
     [("embeddings", (10, 3)), ("lora_embeddings_a", (10, 2)), ("lora_embeddings_b", (2, 3))]),
    (lambda: layers.Conv2D(3, 3, use_bias=False), (None, 6, 6, 2),
     [("kernel", (3, 3, 2, 3)), ("lora_kernel_a", (3, 3, 2, 2)), ("lora_kernel_b", (2, 3))]),
])
def test_other_layers_adapt_their_weight_with_a_b_of_keras_shapes(make, input_shape, names):
    layer = make()
    layer.build(input_shape)
    base = layer.weights[0]
    layer.enable_lora(2)
    assert [(w.name, w.shape) for w in layer.weights] == names
    a, b = layer.weights[1].numpy(), RNG.normal(size=names[2][1]).astype("float32")
    layer.weights[2].assign(b)
    merged = base.numpy() + np.matmul(a, b)
    np.testing.assert_allclose(layer._merged_lora_weight(), merged, rtol=1e-6, atol=1e-6)


def test_lora_rank_in_the_constructor_enables_it_at_build_and_is_in_the_config():
    layer = _dense(lora_rank=2, lora_alpha=3)
    assert layer.lora_enabled and layer.lora_alpha == 3
    config = layer.get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (2, 3)
    assert "lora_rank" not in _dense().get_config()
    assert layers.Dense.from_config(config).lora_rank == 2


def test_a_file_holds_the_merged_kernel_and_loading_restarts_a_b_at_zero(tmp_path):
    inputs = keras.Input((4,))
    dense = layers.Dense(3)
    model = keras.Model(inputs, dense(inputs))
    dense.enable_lora(2)
    dense.lora_kernel_b.assign(RNG.normal(size=(2, 3)).astype("float32"))
    x = RNG.normal(size=(2, 4)).astype("float32")
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-6, atol=1e-6)
    again = loaded.layers[-1]
    assert again.lora_enabled
    np.testing.assert_allclose(again.kernel.numpy(), dense._merged_lora_weight(), rtol=1e-6)
    np.testing.assert_array_equal(again.lora_kernel_a.numpy(), 0.0)
    np.testing.assert_array_equal(again.lora_kernel_b.numpy(), 0.0)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    assert config["config"]["layers"][1]["config"]["lora_rank"] == 2


def test_fit_falls_back_to_the_tape_with_the_reason_and_trains():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])
    model.layers[0].enable_lora(2)
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 4)), np.ones((4, 3)), verbose=0)
    assert model.compiled_step_reason["train"] == f"layer {model.layers[0].name!r}: LoRA is enabled on it"
    assert np.abs(model.layers[0].lora_kernel_b.numpy()).sum() > 0


@pytest.mark.parametrize("call, message", [
    (lambda layer: layer.enable_lora(0), "`rank` must be a positive integer"),
    (lambda layer: layer.enable_lora(2.5), "`rank` must be a positive integer"),
    (lambda layer: layer.enable_lora(2, lora_alpha=-1), "`lora_alpha` must be a positive number"),
])
def test_bad_ranks_are_refused_and_change_nothing(call, message):
    layer = _dense()
    with pytest.raises(ValueError, match=message):
        call(layer)
    assert not layer.lora_enabled and len(layer.weights) == 2 and layer.kernel.trainable


def test_unbuilt_twice_and_constrained_layers_are_refused():
    with pytest.raises(ValueError, match="not built yet"):
        layers.Dense(3).enable_lora(2)
    layer = _dense()
    layer.enable_lora(2)
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(2)
    assert len(layer.weights) == 4
    constrained = _dense(kernel_constraint="non_neg")
    with pytest.raises(ValueError, match="kernel_constraint"):
        constrained.enable_lora(2)
    assert len(constrained.weights) == 2
    with pytest.raises(ValueError, match="lora_rank"):
        layers.Dense(3, lora_rank=0)
