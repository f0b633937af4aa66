"""`GroupQueryAttention`: values against a numpy reference, masks, options, errors, gradients, configs, replay."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from nanokeras.backend.masking import get_keras_mask
from nanokeras.trainers.step_program import is_replayable

RNG = np.random.default_rng(11)
Q = RNG.normal(size=(2, 3, 6)).astype("float32")
V = RNG.normal(size=(2, 5, 6)).astype("float32")


def _softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _reference(layer, query, value, key=None, allowed=None, zero_masked=True):
    """Grouped-query attention written out in numpy from the layer's weights."""
    key = value if key is None else key
    weights = {w.path.split("/", 1)[1]: w.numpy() for w in layer.weights}  # "<layer>/query/kernel" 

    def project(x, name, equation):
        out = np.einsum(equation, x, weights[f"{name}/kernel"])
        return out + weights[f"{name}/bias"] if f"{name}/bias" in weights else out

    q = project(query, "query", "btd,dnh->btnh")
    k = project(key, "key", "bsd,dnh->bsnh")
    v = project(value, "value", "bsd,dnh->bsnh")
    k, v = np.repeat(k, layer.num_repeats, axis=2), np.repeat(v, layer.num_repeats, axis=2)
    logits = np.einsum("btnh,bsnh->bnts", q, k) / np.sqrt(layer.head_dim)
    if allowed is not None:
        allowed = np.broadcast_to(np.asarray(allowed, bool)[:, None], logits.shape)
        logits = np.where(allowed, logits, -1e9)
    scores = _softmax(logits)
    if allowed is not None and zero_masked:
        scores = np.where(allowed, scores, 0.0)
    out = np.einsum("bnts,bsnh->btnh", scores, v)
    if layer.use_gate:
        out = out * (1 / (1 + np.exp(-project(query, "gate", "btd,dnh->btnh"))))
    return project(out, "attention_output", "btnh,nhd->btd"), scores


def _perturbed(layer, scale=0.2):
    layer.set_weights([w + scale * np.sin(np.arange(w.size)).reshape(w.shape).astype(w.dtype)
                       for w in layer.get_weights()])


def test_values_weights_and_attention_mask():
    layer = layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
    attention_mask = RNG.random((2, 3, 5)) > 0.4
    attention_mask[0, 1] = False  # a query with nothing to attend to
    out, scores = layer(Q, V, attention_mask=attention_mask, return_attention_scores=True)
    _perturbed(layer)
    out, scores = layer(Q, V, attention_mask=attention_mask, return_attention_scores=True)
    expected, expected_scores = _reference(layer, Q, V, allowed=attention_mask)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(scores, expected_scores, rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(scores[0, :, 1], 0.0)  # with the scores asked for: Keras's Softmax, zeros
    # Without the scores (Keras's fused kernel) that query spreads its weight evenly instead.
    plain = layer(Q, V, attention_mask=attention_mask)
    np.testing.assert_allclose(plain, _reference(layer, Q, V, allowed=attention_mask, zero_masked=False)[0],
                               rtol=1e-4, atol=1e-5)
    assert layer.name.startswith("grouped_query_attention")
    assert [w.path.split("/", 1)[0] for w in layer.weights] == [layer.name] * 8  # as Keras's paths
    assert [w.path.split("/", 1)[1] for w in layer.weights] == ["query/kernel", "query/bias", "key/kernel", "key/bias",
                                               "value/kernel", "value/bias", "attention_output/kernel",
                                               "attention_output/bias"]
    assert [w.shape for w in layer.weights] == [(6, 4, 3), (4, 3), (6, 2, 3), (2, 3), (6, 2, 3), (2, 3),
                                                (4, 3, 6), (6,)]


def test_as_many_key_value_heads_as_query_heads_is_multi_head_attention():
    gqa = layers.GroupQueryAttention(head_dim=3, num_query_heads=2, num_key_value_heads=2)
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    gqa(Q, V), mha(Q, V)
    _perturbed(gqa)
    mha.set_weights(gqa.get_weights())
    np.testing.assert_allclose(gqa(Q, V, use_causal_mask=True), mha(Q, V, use_causal_mask=True), rtol=1e-6,
                               atol=1e-6)


def test_one_key_value_head_with_a_separate_key_gate_and_no_bias():
    key = RNG.normal(size=(2, 5, 7)).astype("float32")
    layer = layers.GroupQueryAttention(head_dim=2, num_query_heads=3, num_key_value_heads=1, use_bias=False,
                                       use_gate=True)
    out = layer(Q, V, key=key)
    assert [w.path.split("/", 1)[1] for w in layer.weights] == ["query/kernel", "key/kernel", "gate/kernel", "value/kernel",
                                               "attention_output/kernel"]
    assert layer.weights[1].shape == (7, 1, 2)
    np.testing.assert_allclose(out, _reference(layer, Q, V, key)[0], rtol=1e-4, atol=1e-5)


def test_masks_of_the_inputs_causal_mask_and_sliding_window():
    ids = np.array([[1, 2, 3, 0], [4, 5, 0, 0]])
    x = layers.Embedding(9, 6, mask_zero=True)(ids)
    layer = layers.GroupQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=1, sliding_window=2)
    out, scores = layer(x, x, use_causal_mask=True, return_attention_scores=True)
    real = ids != 0
    steps = np.arange(4)
    band = (steps[:, None] >= steps[None]) & (steps[:, None] - steps[None] < 2)
    allowed = real[:, :, None] & real[:, None, :] & band
    np.testing.assert_allclose(scores, _reference(layer, x, x, allowed=allowed)[1], rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(get_keras_mask(out), real)  # the query's mask is passed on


def test_dropout_only_while_training_and_seeded():
    layer = layers.GroupQueryAttention(2, 4, 2, dropout=0.5, seed=3)
    inference = layer(Q, V)
    np.testing.assert_array_equal(layer(Q, V, training=False), inference)
    assert not np.allclose(layer(Q, V, training=True), inference)
    twin = layers.GroupQueryAttention(2, 4, 2, dropout=0.5, seed=3)
    twin(Q, V)
    twin.set_weights(layer.get_weights())
    fresh = layers.GroupQueryAttention(2, 4, 2, dropout=0.5, seed=3)
    fresh(Q, V)
    fresh.set_weights(layer.get_weights())
    np.testing.assert_array_equal(twin(Q, V, training=True), fresh(Q, V, training=True))


def test_flash_attention_is_accepted_and_computes_the_same():
    flash = layers.GroupQueryAttention(2, 4, 2, flash_attention=True)
    plain = layers.GroupQueryAttention(2, 4, 2)
    flash(Q, V), plain(Q, V)
    plain.set_weights(flash.get_weights())
    np.testing.assert_array_equal(flash(Q, V, use_causal_mask=True), plain(Q, V, use_causal_mask=True))
    assert "flash_attention" not in flash.get_config()  # Keras does not save it either
    with pytest.raises(ValueError, match="return_attention_scores"):
        flash(Q, V, return_attention_scores=True)
    with pytest.raises(ValueError, match="dropout=0.1"):
        layers.GroupQueryAttention(2, 4, 2, dropout=0.1, flash_attention=True)


@pytest.mark.parametrize("kwargs, match", [
    ({"num_query_heads": 5, "num_key_value_heads": 2}, "num_query_heads=5, num_key_value_heads=2"),
    ({"num_key_value_heads": 0}, "num_key_value_heads=0"),
    ({"head_dim": 2.5}, "head_dim=2.5"),
    ({"num_query_heads": "4"}, "num_query_heads='4'"),
    ({"dropout": 1.5}, "dropout=1.5"),
    ({"sliding_window": 0}, "sliding_window=0"),
    ({"seed": "a"}, "seed"),
])
def test_bad_arguments_are_named(kwargs, match):
    arguments = {"head_dim": 2, "num_query_heads": 4, "num_key_value_heads": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        layers.GroupQueryAttention(**arguments)


def test_bad_inputs():
    layer = layers.GroupQueryAttention(2, 4, 2)
    with pytest.raises(ValueError, match="GroupQueryAttention needs `query` and `value`"):
        layer(Q)
    with pytest.raises(ValueError, match="rank 3"):
        layer(Q[0], V[0])
    with pytest.raises(ValueError, match="except the last one"):
        layer(Q, V, key=V[:, :4])
    with pytest.raises(ValueError, match="does not broadcast"):
        layers.GroupQueryAttention(2, 4, 2)(Q, V, attention_mask=np.ones((2, 4, 4), bool))
    with pytest.raises(ValueError, match="last dimension of `query_shape` and `value_shape`"):
        layers.GroupQueryAttention(2, 4, 2)(keras.Input((3, 6)), keras.Input((5, 7)))


def _finite_difference(f, array, eps=1e-6):
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        original = array[index]
        array[index] = original + eps
        plus = f()
        array[index] = original - eps
        minus = f()
        array[index] = original
        grad[index] = (plus - minus) / (2 * eps)
    return grad


@pytest.mark.parametrize("options, call", [
    ({}, {"use_causal_mask": True}),
    ({"use_gate": True}, {"return_attention_scores": True}),
], ids=["causal", "gate_scores"])
def test_gradients_match_finite_differences_in_float64(options, call):
    rng = np.random.default_rng(2)
    query, value = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4))
    mask = rng.random((2, 3, 3)) > 0.3
    layer = layers.GroupQueryAttention(2, 4, 2, dtype="float64", **options)
    layer(query, value)
    _perturbed(layer)
    seeds = [rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 4, 3, 3))]

    def loss_of(q, v):
        outputs = layer(q, v, attention_mask=mask, **call)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        return sum(keras.ops.sum(keras.ops.multiply(o, s)) for o, s in zip(outputs, seeds))

    with keras.GradientTape() as tape:
        tape.watch(query)
        tape.watch(value)
        loss = loss_of(query, value)
    sources = [w.value for w in layer.trainable_weights] + [query, value]
    gradients = tape.gradient(loss, list(layer.trainable_weights) + [query, value])
    value_now = lambda: float(np.asarray(loss_of(query, value)))  # noqa: E731
    names = [w.path for w in layer.trainable_weights] + ["query", "value"]
    for source, gradient, name in zip(sources, gradients, names):
        np.testing.assert_allclose(gradient, _finite_difference(value_now, source), rtol=1e-5, atol=1e-7,
                                   err_msg=name)


def test_symbolic_config_round_trip_and_save(tmp_path):
    inputs = keras.Input((5, 8))
    layer = layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2, use_gate=True,
                                       sliding_window=3, kernel_regularizer="l2", name="gqa")
    outputs, scores = layer(inputs, inputs, use_causal_mask=True, return_attention_scores=True)
    assert outputs.shape == (None, 5, 8) and scores.shape == (None, 4, 5, 5)
    model = keras.Model(inputs, outputs)
    config = layer.get_config()
    assert {"head_dim", "num_query_heads", "num_key_value_heads", "use_gate", "sliding_window", "dropout",
            "seed"} <= set(config)
    clone = layers.deserialize(layers.serialize(layer))
    assert type(clone) is type(layer) and clone.get_config() == config
    assert layers.serialize(layer)["class_name"] == "GroupQueryAttention"
    model.save(tmp_path / "gqa.keras")
    loaded = keras.models.load_model(tmp_path / "gqa.keras")
    x = RNG.normal(size=(3, 5, 8)).astype("float32")
    np.testing.assert_array_equal(loaded(x), model(x))


def test_activity_regularizer_applies_to_each_projection_and_the_output():
    layer = layers.GroupQueryAttention(2, 4, 2, activity_regularizer="l2")
    layer(Q, V)
    assert len(layer.losses) == 5  # query, key, value, attention_output and the layer itself, as in Keras


@pytest.fixture
def _no_tiny_path(monkeypatch):
    # The tiny-model path (generated scalar code) would take this small model; the compiled step is under test.
    from nanokeras.trainers import tiny_program

    monkeypatch.setattr(tiny_program, "TINY_LIMIT", 0)


@pytest.mark.usefixtures("_no_tiny_path")
def test_fit_with_the_compiled_step_equals_the_tape():
    rng = np.random.default_rng(0)
    ids = rng.integers(1, 12, size=(40, 6)).astype("int32")
    ids[::3, -2:] = 0
    y = rng.integers(0, 3, size=40).astype("int32")

    def build():
        inputs = keras.Input((6,), dtype="int32")
        x = layers.Embedding(12, 8, mask_zero=True)(inputs)
        x = layers.GroupQueryAttention(2, 4, 2, dropout=0.2, use_gate=True)(x, x, use_causal_mask=True)
        x = layers.GlobalAveragePooling1D()(x)
        return keras.Model(inputs, layers.Dense(3, activation="softmax")(x))

    results = []
    for jit_compile in (False, "auto"):
        keras.backend.clear_session()
        keras.utils.set_random_seed(7)
        model = build()
        model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", jit_compile=jit_compile)
        history = model.fit(ids, y, batch_size=8, epochs=2, verbose=0)
        results.append((model, history.history, model.compiled_step_reason))
    (tape_model, tape_history, tape_reason), (model, history, reason) = results
    assert reason == {} and tape_reason
    assert all(is_replayable(layer) for layer in model._flat_layers())
    for a, b in zip(tape_model.weights, model.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    assert history == tape_history
