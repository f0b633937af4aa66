"""`GroupQueryAttention` and `ReversibleEmbedding` against real Keras 3: outputs, gradients, configs, `.keras` files."""

import json

import numpy as np
import pytest

import nanokeras as nk
from tests.parity.sequence_parity import compare_layer

RNG = np.random.default_rng(23)
Q = RNG.normal(size=(2, 4, 6)).astype("float32")
V = RNG.normal(size=(2, 5, 6)).astype("float32")
K = RNG.normal(size=(2, 5, 7)).astype("float32")
MASK = RNG.random((2, 4, 5)) > 0.4
MASK[0, 1] = False  # a query with nothing to attend to
IDS = RNG.integers(1, 12, size=(3, 6)).astype("int32")
IDS[0, -2:] = 0
IDS[2, -4:] = 0

GQA_CASES = [
    ("plain", {}, [Q, V], {}),
    ("scores", {}, [Q, V], {"return_attention_scores": True}),
    ("attention_mask", {}, [Q, V], {"attention_mask": MASK}),
    ("attention_mask_scores", {}, [Q, V], {"attention_mask": MASK, "return_attention_scores": True}),
    ("no_bias_gate", {"use_bias": False, "use_gate": True}, [Q, V], {}),
    ("causal_sliding_window", {"sliding_window": 2}, [Q, Q], {"use_causal_mask": True}),
    ("causal_scores", {}, [Q, Q], {"use_causal_mask": True, "return_attention_scores": True}),
    ("multi_query_separate_key", {"num_key_value_heads": 1}, [Q, V], {"key": K}),
    ("as_many_heads_dropout_inference", {"num_key_value_heads": 4, "dropout": 0.3}, [Q, V],
     {"attention_mask": MASK}),
]


@pytest.mark.parametrize("name,options,inputs,kwargs", GQA_CASES, ids=[c[0] for c in GQA_CASES])
def test_group_query_attention_outputs_and_gradients(keras, name, options, inputs, kwargs):
    options = {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2, **options}
    compare_layer(keras, lambda lib: lib.layers.GroupQueryAttention(**options), inputs, kwargs, perturb=0.1,
                  grad_atol=1e-5)


def test_group_query_self_attention_with_masks_from_embeddings(keras):
    def make(lib):
        class SelfAttention(lib.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embed = lib.layers.Embedding(12, 6, mask_zero=True)
                self.attention = lib.layers.GroupQueryAttention(2, 4, 2, use_gate=True)

            def build(self, shape):
                self.embed.build(shape)

            def call(self, x):
                h = self.embed(x)
                return self.attention(h, h, use_causal_mask=True, return_attention_scores=True)

        return SelfAttention()

    compare_layer(keras, make, [IDS], perturb=0.1, grad_atol=1e-5)


@pytest.mark.parametrize("options", [{}, {"tie_weights": False}, {"logit_soft_cap": 0.5},
                                     {"tie_weights": False, "logit_soft_cap": 2.0, "reverse_dtype": "float32"}],
                         ids=["tied", "untied", "soft_cap", "untied_soft_cap_dtype"])
def test_reversible_embedding_lookup_and_reverse_projection(keras, options):
    hidden = RNG.normal(size=(3, 6, 4)).astype("float32")

    def make(lib):
        class EmbedProject(lib.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embedding = lib.layers.ReversibleEmbedding(12, 4, mask_zero=True,
                                                                embeddings_initializer="random_normal", **options)

            def build(self, *shapes):
                self.embedding.build()

            def call(self, ids, extra):
                embedded = self.embedding(ids)
                return embedded, self.embedding(lib.ops.add(embedded, extra), reverse=True)

        return EmbedProject()

    compare_layer(keras, make, [IDS, hidden], perturb=0.1, grad_atol=1e-5)


def _serialized(lib, layer):
    return json.loads(json.dumps(lib.saving.serialize_keras_object(layer)))


@pytest.mark.parametrize("make,inputs", [
    (lambda lib: lib.layers.GroupQueryAttention(3, 4, 2), (Q, V)),
    (lambda lib: lib.layers.GroupQueryAttention(
        head_dim=2, num_query_heads=6, num_key_value_heads=3, dropout=0.25, use_bias=False, sliding_window=3,
        kernel_initializer="he_normal", bias_initializer="ones", kernel_regularizer="l2", bias_regularizer="l1",
        activity_regularizer="l1", kernel_constraint="non_neg", bias_constraint="max_norm", use_gate=True,
        seed=4, name="gqa"), (Q, V)),
    (lambda lib: lib.layers.ReversibleEmbedding(12, 4), (IDS,)),
    (lambda lib: lib.layers.ReversibleEmbedding(12, 4, tie_weights=False, mask_zero=True, reverse_dtype="float32",
                                                logit_soft_cap=30.0, embeddings_regularizer="l2",
                                                embeddings_constraint="unit_norm", name="tokens"), (IDS,)),
], ids=["gqa_defaults", "gqa_options", "embedding_defaults", "embedding_options"])
def test_configs_are_keras_configs(keras, make, inputs):
    theirs, ours = make(keras), make(nk)
    theirs(*inputs)
    ours(*inputs)
    expected = _serialized(keras, theirs)
    got = _serialized(nk, ours)
    assert json.dumps(got).replace(ours.name, "NAME") == json.dumps(expected).replace(theirs.name, "NAME")
    assert type(make(nk).from_config(theirs.get_config())) is type(ours)


def _language_model(lib, tie_weights):
    inputs = lib.Input((6,), dtype="int32")
    embedding = lib.layers.ReversibleEmbedding(12, 8, mask_zero=True, tie_weights=tie_weights, logit_soft_cap=5.0)
    h = embedding(inputs)
    attended = lib.layers.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2,
                                              use_gate=True)(h, h, use_causal_mask=True)
    h = lib.layers.LayerNormalization()(lib.layers.Add()([h, attended]))
    return lib.Model(inputs, embedding(h, reverse=True))


@pytest.mark.parametrize("tie_weights", [True, False], ids=["tied", "untied"])
def test_keras_files_load_in_both_directions_with_equal_predictions(keras, tmp_path, tie_weights):
    keras.utils.set_random_seed(0)
    theirs = _language_model(keras, tie_weights)
    theirs.save(tmp_path / "keras_made.keras")
    ours = nk.models.load_model(tmp_path / "keras_made.keras")
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    np.testing.assert_allclose(ours.predict(IDS, verbose=0), np.asarray(theirs.predict(IDS, verbose=0)),
                               rtol=1e-5, atol=1e-5)
    nk.utils.set_random_seed(1)
    made_here = _language_model(nk, tie_weights)
    made_here.save(tmp_path / "nanokeras_made.keras")
    loaded = keras.models.load_model(tmp_path / "nanokeras_made.keras")
    for a, b in zip(loaded.get_weights(), made_here.get_weights()):
        np.testing.assert_array_equal(np.asarray(a), b)
    np.testing.assert_allclose(np.asarray(loaded.predict(IDS, verbose=0)), made_here.predict(IDS, verbose=0),
                               rtol=1e-5, atol=1e-5)
