"""Attention layers and `ops.dot_product_attention` against real Keras 3: outputs, weights and gradients."""

import numpy as np
import pytest

import nanokeras as nk
from tests.parity.sequence_parity import compare_layer

RNG = np.random.default_rng(21)
Q = RNG.normal(size=(2, 4, 6)).astype("float32")
V = RNG.normal(size=(2, 5, 6)).astype("float32")
Q_MASK = np.array([[True, True, True, False], [True, True, True, True]])
V_MASK = np.array([[True, True, False, True, False], [True, True, True, True, True]])


@pytest.mark.parametrize("make", [
    lambda lib: lib.layers.Attention(),
    lambda lib: lib.layers.Attention(use_scale=True),
    lambda lib: lib.layers.Attention(score_mode="concat", use_scale=True),
    lambda lib: lib.layers.AdditiveAttention(),
    lambda lib: lib.layers.AdditiveAttention(use_scale=False),
], ids=["dot", "dot_scaled", "concat_scaled", "additive", "additive_unscaled"])
@pytest.mark.parametrize("call", ["plain", "masked_scores", "causal"])
def test_luong_and_bahdanau_attention(keras, make, call):
    def wrapped(lib):
        layer = make(lib)

        class Wrapper(lib.layers.Layer):
            def __init__(self):
                super().__init__()
                self.attention = layer

            def build(self, shape):
                pass

            def call(self, query):
                value = V if call != "causal" else query
                if call == "masked_scores":
                    return self.attention([query, value], mask=[Q_MASK, V_MASK], return_attention_scores=True)
                return self.attention([query, value], use_causal_mask=call == "causal")

        return Wrapper()

    compare_layer(keras, wrapped, [Q], perturb=0.2)


MHA_CASES = [
    ("plain", {"num_heads": 2, "key_dim": 3}, {}),
    ("value_dim_output_shape_scores", {"num_heads": 2, "key_dim": 3, "value_dim": 3, "output_shape": 5},
     {"return_attention_scores": True}),
    ("attention_mask", {"num_heads": 3, "key_dim": 2}, {"attention_mask": RNG.random((2, 4, 5)) > 0.3}),
    ("no_bias_gate", {"num_heads": 2, "key_dim": 3, "use_bias": False, "use_gate": True}, {}),
]


@pytest.mark.parametrize("name,options,kwargs", MHA_CASES, ids=[c[0] for c in MHA_CASES])
def test_multi_head_attention(keras, name, options, kwargs):
    compare_layer(keras, lambda lib: lib.layers.MultiHeadAttention(**options), [Q, V], kwargs, perturb=0.1)


def test_multi_head_self_attention_causal_and_with_masks_from_embeddings(keras):
    ids = np.array([[3, 5, 2, 0, 0], [1, 7, 4, 6, 0]])

    def make(lib):
        class SelfAttention(lib.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embed = lib.layers.Embedding(9, 6, mask_zero=True)
                self.mha = lib.layers.MultiHeadAttention(2, 3)

            def build(self, shape):
                self.embed.build(shape)

            def call(self, x):
                h = self.embed(x)
                return self.mha(h, h, use_causal_mask=True, return_attention_scores=True)

        return SelfAttention()

    compare_layer(keras, make, [ids], perturb=0.1)


@pytest.mark.parametrize("axes", [(2,), (1, 2)])
def test_multi_head_attention_over_several_axes(keras, axes):
    x = RNG.normal(size=(2, 3, 4, 6)).astype("float32")
    compare_layer(keras, lambda lib: lib.layers.MultiHeadAttention(2, 3, attention_axes=axes), [x, x],
                  {"return_attention_scores": True}, perturb=0.1)


@pytest.mark.parametrize("kwargs", [{}, {"is_causal": True}, {"mask": RNG.random((2, 1, 4, 4)) > 0.3},
                                    {"bias": RNG.normal(size=(2, 4, 4, 4)).astype("float32"), "scale": 0.4}],
                         ids=["plain", "causal", "mask", "bias_scale"])
def test_dot_product_attention_values_and_gradients(keras, kwargs):
    import jax
    import jax.numpy as jnp

    q = RNG.normal(size=(2, 4, 4, 3)).astype("float32")
    k = RNG.normal(size=(2, 4, 2, 3)).astype("float32")
    v = RNG.normal(size=(2, 4, 2, 3)).astype("float32")
    expected = keras.ops.dot_product_attention(q, k, v, **kwargs)
    np.testing.assert_allclose(nk.ops.dot_product_attention(q, k, v, **kwargs), np.asarray(expected),
                               rtol=1e-5, atol=1e-6)
    seed = RNG.normal(size=q.shape).astype("float32")
    theirs = jax.grad(lambda a, b, c: jnp.sum(keras.ops.dot_product_attention(a, b, c, **kwargs) * seed),
                      argnums=(0, 1, 2))(q, k, v)
    sources = [nk.Variable(a) for a in (q, k, v)]
    with nk.GradientTape() as tape:
        loss = nk.ops.sum(nk.ops.multiply(nk.ops.dot_product_attention(*sources, **kwargs), seed))
    for ours, reference in zip(tape.gradient(loss, sources), theirs):
        np.testing.assert_allclose(ours, np.asarray(reference), rtol=1e-4, atol=1e-5)


def test_activity_regularizer_applies_to_each_projection_as_keras(keras):
    def losses(lib):
        x = lib.Input((3, 4))
        layer = lib.layers.MultiHeadAttention(2, 2, activity_regularizer="l2", kernel_initializer="ones")
        model = lib.Model(x, layer(x, x))
        model(np.full((1, 3, 4), 0.1, "float32"))
        return sorted(float(np.asarray(loss)) for loss in model.losses)

    np.testing.assert_allclose(losses(nk), losses(keras), rtol=1e-5)
