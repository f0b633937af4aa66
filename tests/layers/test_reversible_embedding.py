"""`ReversibleEmbedding`: lookups and reverse projections (tied or not), soft cap, dtype, masks, configs, replay."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from nanokeras.backend.masking import get_keras_mask
from nanokeras.trainers.step_program import is_replayable

RNG = np.random.default_rng(5)
TABLE = RNG.normal(size=(6, 3)).astype("float32")
IDS = np.array([[1, 5, 0], [2, 0, 0]])


def test_tied_reverse_projection_is_the_transposed_table():
    layer = layers.ReversibleEmbedding(6, 3, weights=[TABLE])
    hidden = layer(IDS)
    np.testing.assert_array_equal(hidden, TABLE[IDS])
    logits = layer(hidden, reverse=True)
    assert logits.shape == (2, 3, 6) and logits.dtype == np.float32
    np.testing.assert_allclose(logits, TABLE[IDS] @ TABLE.T, rtol=1e-6)
    assert [w.name for w in layer.weights] == ["embeddings"]  # tied: no second matrix
    assert layer.compute_output_shape((None, 3)) == (None, 3, 3)
    assert layer.compute_output_shape((None, 3, 3), reverse=True) == (None, 3, 6)


def test_untied_weights_their_order_and_initial_weights():
    reverse = RNG.normal(size=(3, 6)).astype("float32")
    layer = layers.ReversibleEmbedding(6, 3, tie_weights=False, weights=[TABLE, reverse])
    assert [w.shape for w in layer.weights] == [(6, 3), (3, 6)]
    assert [w.name for w in layer.weights] == ["embeddings", "reverse_embeddings"]
    x = RNG.normal(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(layer(x, reverse=True), x @ reverse, rtol=1e-6)
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(x, reverse=True))
    grad_table, grad_reverse = tape.gradient(loss, layer.trainable_weights)
    assert grad_table is None or not np.any(grad_table)  # the table plays no part in an untied reverse call
    np.testing.assert_allclose(grad_reverse, np.broadcast_to(x.sum(0)[:, None], (3, 6)), rtol=1e-6)


def test_logit_soft_cap_and_reverse_dtype():
    layer = layers.ReversibleEmbedding(6, 3, weights=[TABLE], logit_soft_cap=0.5, reverse_dtype="float64")
    x = 10 * RNG.normal(size=(2, 3)).astype("float32")
    logits = layer(x, reverse=True)
    assert logits.dtype == np.float64
    np.testing.assert_allclose(logits, 0.5 * np.tanh((x.astype("float64") @ TABLE.T.astype("float64")) / 0.5),
                               rtol=1e-12)
    assert np.abs(logits).max() <= 0.5
    assert layer(IDS).dtype == np.float32  # lookups keep the layer's dtype
    inputs = keras.Input((3,))
    assert layer(inputs, reverse=True).dtype == "float64"


def test_mask_comes_from_forward_calls_only():
    layer = layers.ReversibleEmbedding(6, 3, mask_zero=True)
    hidden = layer(IDS)
    np.testing.assert_array_equal(get_keras_mask(hidden), IDS != 0)
    assert get_keras_mask(layer(hidden, reverse=True)) is None
    assert layer.compute_mask(IDS) is None  # the forward call marks its output itself, as in Keras
    with pytest.warns(UserWarning, match="does not support masking"):
        layers.ReversibleEmbedding(6, 3)(hidden, reverse=True)


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


@pytest.mark.parametrize("tie_weights", [True, False])
def test_gradients_of_embed_then_project_match_finite_differences_in_float64(tie_weights):
    rng = np.random.default_rng(1)
    layer = layers.ReversibleEmbedding(6, 3, tie_weights=tie_weights, logit_soft_cap=2.0, dtype="float64",
                                       embeddings_initializer="random_normal")
    seed = rng.normal(size=(2, 3, 6))
    x = rng.normal(size=(2, 3, 3))

    def loss_of(inputs):
        hidden = keras.ops.add(layer(IDS), inputs)
        return keras.ops.sum(keras.ops.multiply(layer(hidden, reverse=True), seed))

    with keras.GradientTape() as tape:
        tape.watch(x)
        loss = loss_of(x)
    weights = layer.trainable_weights
    gradients = tape.gradient(loss, list(weights) + [x])
    value_now = lambda: float(np.asarray(loss_of(x)))  # noqa: E731
    for source, gradient in zip([w.value for w in weights] + [x], gradients):
        np.testing.assert_allclose(gradient, _finite_difference(value_now, source), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("kwargs, match", [
    ({"input_dim": 0}, "input_dim"),
    ({"output_dim": 2.5}, "output_dim"),
    ({"logit_soft_cap": 0}, "logit_soft_cap=0"),
    ({"logit_soft_cap": "big"}, "logit_soft_cap='big'"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.ReversibleEmbedding(**{"input_dim": 6, "output_dim": 3, **kwargs})


def test_bad_shapes_are_refused():
    layer = layers.ReversibleEmbedding(6, 3)
    with pytest.raises(ValueError, match="id 6"):
        layer(np.array([[6]]))
    with pytest.raises(ValueError):
        layer(np.ones((2, 4), "float32"), reverse=True)  # 4 features, the table has 3


def test_config_round_trip_and_save_with_a_shared_layer(tmp_path):
    layer = layers.ReversibleEmbedding(6, 3, tie_weights=False, mask_zero=True, logit_soft_cap=30.0,
                                       reverse_dtype="float32", name="tokens")
    config = layer.get_config()
    assert {"tie_weights": False, "reverse_dtype": "float32", "logit_soft_cap": 30.0}.items() <= config.items()
    again = layers.deserialize(layers.serialize(layer))
    assert type(again) is layers.ReversibleEmbedding and again.get_config() == config
    inputs = keras.Input((3,), dtype="int32")
    hidden = layer(inputs)
    model = keras.Model(inputs, layer(layers.Dense(3)(hidden), reverse=True))
    model.save(tmp_path / "lm.keras")
    loaded = keras.models.load_model(tmp_path / "lm.keras")
    np.testing.assert_array_equal(loaded.predict(IDS, verbose=0), model.predict(IDS, verbose=0))
    assert len(loaded.weights) == len(model.weights) == 4


@pytest.fixture
def _no_tiny_path(monkeypatch):
    # The tiny-model path (generated scalar code) would take this small model; the compiled step is under test.
    from nanokeras.trainers import tiny_program

    monkeypatch.setattr(tiny_program, "TINY_LIMIT", 0)


@pytest.mark.usefixtures("_no_tiny_path")
@pytest.mark.parametrize("tie_weights", [True, False])
def test_fit_with_the_compiled_step_equals_the_tape(tie_weights):
    rng = np.random.default_rng(0)
    ids = rng.integers(1, 10, size=(40, 5)).astype("int32")
    ids[::4, -2:] = 0
    targets = np.roll(ids, -1, axis=1)

    def build():
        inputs = keras.Input((5,), dtype="int32")
        embedding = layers.ReversibleEmbedding(10, 6, tie_weights=tie_weights, mask_zero=True, logit_soft_cap=3.0)
        hidden = layers.LSTM(6, return_sequences=True)(embedding(inputs))
        return keras.Model(inputs, embedding(hidden, reverse=True))

    results = []
    for jit_compile in (False, "auto"):
        keras.backend.clear_session()
        keras.utils.set_random_seed(3)
        model = build()
        model.compile(keras.optimizers.Adam(0.01), keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      jit_compile=jit_compile)
        history = model.fit(ids, targets, batch_size=8, epochs=2, verbose=0)
        results.append((model, history.history, model.compiled_step_reason))
    (tape_model, tape_history, tape_reason), (model, history, reason) = results
    assert reason == {} and tape_reason
    assert all(is_replayable(layer) for layer in model._flat_layers())
    for a, b in zip(tape_model.weights, model.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    assert history == tape_history
