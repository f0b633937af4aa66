"""`Attention`, `AdditiveAttention` and `MultiHeadAttention`: values, masks, options, errors, configs."""

import math

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from nanokeras.backend.masking import get_keras_mask

RNG = np.random.default_rng(3)
Q = RNG.normal(size=(2, 3, 4)).astype("float32")
V = RNG.normal(size=(2, 5, 4)).astype("float32")
Q_MASK = np.array([[True, True, False], [True, True, True]])
V_MASK = np.array([[True, True, True, False, False], [True, False, True, True, True]])


def _softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def test_dot_attention_is_softmax_of_scores_times_values_with_masks():
    layer = layers.Attention()
    out, weights = layer([Q, V], mask=[Q_MASK, V_MASK], return_attention_scores=True)
    scores = Q @ V.transpose(0, 2, 1)
    scores = np.where(V_MASK[:, None], scores, scores - 1e9)
    expected_weights = _softmax(scores)
    np.testing.assert_allclose(weights, expected_weights, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(out, np.where(Q_MASK[..., None], expected_weights @ V, 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(layer.compute_mask([Q, V], [Q_MASK, V_MASK]), Q_MASK)


def test_scaled_concat_and_causal_attention():
    layer = layers.Attention(use_scale=True, score_mode="concat")
    layer([Q, Q])
    assert [w.name for w in layer.weights] == ["scale", "concat_score_weight"]
    layer.set_weights([np.array(0.5, "float32"), np.array(2.0, "float32")])
    out, weights = layer([Q, Q], use_causal_mask=True, return_attention_scores=True)
    scores = 2.0 * np.tanh(0.5 * (Q[:, :, None] + Q[:, None])).sum(-1)
    causal = np.tril(np.ones((3, 3), bool))
    np.testing.assert_allclose(weights, _softmax(np.where(causal, scores, scores - 1e9)), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(out, weights @ Q, rtol=1e-5, atol=1e-6)


def test_additive_attention_and_masks_from_embeddings():
    layer = layers.AdditiveAttention()
    ids_q = np.array([[1, 2, 0], [3, 0, 0]])
    ids_v = np.array([[4, 5, 6, 0, 0], [1, 0, 0, 0, 0]])
    embed = layers.Embedding(8, 4, mask_zero=True)
    q, v = embed(ids_q), embed(ids_v)
    out, weights = layer([q, v], return_attention_scores=True)
    scale = layer.scale.numpy()
    scores = (scale * np.tanh(q[:, :, None] + v[:, None])).sum(-1)
    scores = np.where((ids_v != 0)[:, None], scores, scores - 1e9)
    np.testing.assert_allclose(weights, _softmax(scores), rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(get_keras_mask(out), ids_q != 0)
    np.testing.assert_array_equal(out[1, 1:], 0.0)
    assert "score_mode" not in layer.get_config()


def test_attention_dropout_only_when_training():
    layer = layers.Attention(dropout=0.5, seed=2)
    out = layer([Q, V])
    np.testing.assert_array_equal(layer([Q, V], training=False), out)
    _, dropped = layer([Q, V], training=True, return_attention_scores=True)
    assert np.any(dropped == 0)


def test_attention_bad_inputs():
    layer = layers.Attention()
    with pytest.raises(ValueError, match="list of inputs"):
        layer(Q)
    with pytest.raises(ValueError, match="length 2 or 3"):
        layer([Q])
    with pytest.raises(ValueError, match="mask must be a list"):
        layer([Q, V], mask=Q_MASK)
    with pytest.raises(ValueError, match="value mask must have shape"):
        layer([Q, V], mask=[None, Q_MASK])
    with pytest.raises(ValueError, match="score_mode"):
        layers.Attention(score_mode="cosine")


def _mha_reference(layer, query, value, mask=None):
    q = np.einsum("btd,dnh->btnh", query, layer.query_dense.kernel.numpy()) + layer.query_dense.bias.numpy()
    k = np.einsum("bsd,dnh->bsnh", value, layer.key_dense.kernel.numpy()) + layer.key_dense.bias.numpy()
    v = np.einsum("bsd,dnh->bsnh", value, layer.value_dense.kernel.numpy()) + layer.value_dense.bias.numpy()
    logits = np.einsum("btnh,bsnh->bnts", q, k) / math.sqrt(layer.key_dim)
    if mask is not None:
        logits = np.where(mask[:, None], logits, -1e9)
    weights = _softmax(logits)
    if mask is not None:  # asked for the weights, Keras zeroes masked ones (a fully masked row is all zeros)
        weights = np.where(mask[:, None], weights, 0.0)
    heads = np.einsum("bnts,bsnh->btnh", weights, v)
    out = np.einsum("btnh,nhd->btd", heads, layer.output_dense.kernel.numpy()) + layer.output_dense.bias.numpy()
    return out, weights


def test_multi_head_attention_values_weights_and_masks():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    attention_mask = RNG.random((2, 3, 5)) > 0.3
    attention_mask[..., 0] = True
    out, weights = layer(Q, V, attention_mask=attention_mask, return_attention_scores=True)
    expected, expected_weights = _mha_reference(layer, Q, V, attention_mask)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(weights, expected_weights, rtol=1e-4, atol=1e-6)
    # Paths as Keras gives them: the sub-layers' weights under the layer's name.
    assert [w.path for w in layer.weights][::2] == [f"{layer.name}/{p}" for p in (
        "query/kernel", "key/kernel", "value/kernel", "attention_output/kernel")]
    assert [w.shape for w in layer.weights] == [(4, 2, 3), (2, 3), (4, 2, 3), (2, 3), (4, 2, 3), (2, 3),
                                                (2, 3, 4), (4,)]
    causal, causal_weights = layer(Q, Q, use_causal_mask=True, return_attention_scores=True)
    np.testing.assert_array_equal(np.triu(causal_weights[0, 0], 1), 0.0)


def test_multi_head_attention_uses_the_inputs_masks():
    embed = layers.Embedding(9, 4, mask_zero=True)
    ids = np.array([[1, 2, 0, 0], [3, 4, 5, 0]])
    x = embed(ids)
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=2)
    out, weights = layer(x, x, return_attention_scores=True)
    expected, expected_weights = _mha_reference(layer, x, x, (ids != 0)[:, :, None] & (ids != 0)[:, None, :])
    np.testing.assert_allclose(weights, expected_weights, rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(get_keras_mask(out), ids != 0)


def test_multi_head_attention_options_and_errors():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=5, output_shape=7, use_bias=False,
                                      use_gate=True)
    out = layer(query=Q, value=V)
    assert out.shape == (2, 3, 7) and len(layer.weights) == 5
    assert layer.value_dense.kernel.shape == (4, 2, 5)
    dropout = layers.MultiHeadAttention(num_heads=1, key_dim=2, dropout=0.5, seed=1)
    inference = dropout(Q, V)
    np.testing.assert_array_equal(dropout(Q, V, training=False), inference)
    assert not np.allclose(dropout(Q, V, training=True), inference)
    x4 = RNG.normal(size=(2, 3, 4, 6)).astype("float32")
    out, scores = layers.MultiHeadAttention(2, 3, attention_axes=(2,))(x4, x4, return_attention_scores=True)
    assert out.shape == (2, 3, 4, 6) and scores.shape == (2, 3, 2, 4, 4)
    with pytest.raises(ValueError, match="num_heads"):
        layers.MultiHeadAttention(0, 3)
    with pytest.raises(ValueError, match="key_dim"):
        layers.MultiHeadAttention(2, "3")
    with pytest.raises(ValueError, match="`query` and `value`"):
        layers.MultiHeadAttention(2, 3)(Q)
    with pytest.raises(ValueError, match="does not broadcast"):
        layers.MultiHeadAttention(2, 3)(Q, V, attention_mask=np.ones((2, 4, 4), bool))


def test_multi_head_attention_symbolic_config_and_save(tmp_path):
    inputs = keras.Input((5, 8))
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")
    outputs = layer(inputs, inputs, use_causal_mask=True)
    assert outputs.shape == (None, 5, 8)
    model = keras.Model(inputs, outputs)
    config = layer.get_config()
    assert config["attention_axes"] == [1] and config["value_dim"] == 4
    model.save(tmp_path / "mha.keras")
    loaded = keras.models.load_model(tmp_path / "mha.keras")
    x = RNG.normal(size=(3, 5, 8)).astype("float32")
    np.testing.assert_array_equal(loaded(x), model(x))
    for make in (lambda: layers.Attention(use_scale=True, dropout=0.1, seed=4), lambda: layers.AdditiveAttention()):
        original = make()
        assert layers.deserialize(layers.serialize(original)).get_config() == original.get_config()
