import numpy as np
import pytest

import nanokeras as keras
from nanokeras import GradientTape
from nanokeras.utils.rng_utils import set_random_seed

X = np.ones((200, 50), dtype="float32")


def test_dropout_inference_is_identity_and_training_scales_kept_units():
    layer = keras.layers.Dropout(0.25, seed=0)
    assert layer(X) is X or np.array_equal(layer(X), X)
    np.testing.assert_array_equal(layer(X, training=False), X)
    y = np.asarray(layer(X, training=True))
    assert set(np.unique(y).tolist()) == {0.0, np.float32(1 / 0.75)}
    assert abs((y == 0).mean() - 0.25) < 0.02
    assert y.dtype == np.float32


def test_dropout_seed_determinism_and_global_seed():
    a, b = keras.layers.Dropout(0.5, seed=7), keras.layers.Dropout(0.5, seed=7)
    first = np.asarray(a(X, training=True))
    np.testing.assert_array_equal(first, b(X, training=True))
    assert not np.array_equal(first, a(X, training=True))  # the stream advances
    set_random_seed(3)
    u = np.asarray(keras.layers.Dropout(0.5)(X, training=True))
    set_random_seed(3)
    np.testing.assert_array_equal(u, keras.layers.Dropout(0.5)(X, training=True))


def test_dropout_noise_shape_broadcasts_mask():
    x = np.ones((4, 6, 8), dtype="float32")
    y = np.asarray(keras.layers.Dropout(0.5, noise_shape=(None, 1, 8), seed=1)(x, training=True))
    assert np.all(y == y[:, :1, :])
    with pytest.raises(ValueError, match="noise_shape"):
        keras.layers.Dropout(0.5, noise_shape=(4, 3, 8))(x, training=True)


def test_dropout_gradient_is_mask_over_keep():
    layer = keras.layers.Dropout(0.5, seed=2)
    v = keras.Variable(np.ones((3, 4), dtype="float32"))
    with GradientTape() as tape:
        y = layer(v, training=True)
        loss = keras.ops.sum(y)
    np.testing.assert_allclose(tape.gradient(loss, v), np.asarray(y.value) / 1.0)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, "0.5", None, float("nan")])
def test_dropout_rejects_bad_rate(rate):
    with pytest.raises(ValueError, match="rate"):
        keras.layers.Dropout(rate)


def test_gaussian_noise_and_dropout_statistics_and_modes():
    big = np.zeros((400, 100), dtype="float32")
    noisy = np.asarray(keras.layers.GaussianNoise(0.5, seed=1)(big, training=True))
    assert abs(noisy.std() - 0.5) < 0.01 and abs(noisy.mean()) < 0.01
    np.testing.assert_array_equal(keras.layers.GaussianNoise(0.5)(big), big)
    ones = np.ones((400, 100), dtype="float32")
    gd = np.asarray(keras.layers.GaussianDropout(0.2, seed=1)(ones, training=True))
    assert abs(gd.mean() - 1) < 0.01 and abs(gd.std() - np.sqrt(0.2 / 0.8)) < 0.01
    with pytest.raises(ValueError, match="stddev"):
        keras.layers.GaussianNoise(2.0)
    with pytest.raises(ValueError, match="rate"):
        keras.layers.GaussianDropout(1.0)


def test_alpha_dropout_closed_form_values():
    rate = 0.3
    layer = keras.layers.AlphaDropout(rate, seed=4)
    x = np.full((100, 100), 2.0, dtype="float32")
    y = np.asarray(layer(x, training=True))
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    b = -a * alpha_p * rate
    np.testing.assert_allclose(np.unique(y), sorted([a * alpha_p + b, a * 2 + b]), rtol=1e-6)
    np.testing.assert_array_equal(layer(x), x)


def test_activity_regularization_adds_batch_averaged_penalty():
    layer = keras.layers.ActivityRegularization(l1=0.1, l2=0.01)
    x = np.array([[1.0, -2.0], [3.0, 0.0]], dtype="float32")
    np.testing.assert_array_equal(layer(x), x)
    (loss,) = layer.losses
    np.testing.assert_allclose(float(loss), (0.1 * 6 + 0.01 * 14) / 2, rtol=1e-6)
    with pytest.raises(ValueError, match="l1"):
        keras.layers.ActivityRegularization(l1=-1)
    config = layer.get_config()
    assert (config["l1"], config["l2"]) == (0.1, 0.01) and "activity_regularizer" not in config
    assert keras.layers.ActivityRegularization.from_config(config).get_config() == config


@pytest.mark.parametrize(
    "make",
    [
        lambda: keras.layers.Dropout(0.2, noise_shape=(None, 1), seed=3),
        lambda: keras.layers.GaussianNoise(0.1, seed=1),
        lambda: keras.layers.GaussianDropout(0.1),
        lambda: keras.layers.AlphaDropout(0.1, seed=2),
    ],
)
def test_noise_layers_config_round_trip_and_shape(make):
    layer = make()
    assert type(layer).from_config(layer.get_config()).get_config() == layer.get_config()
    assert layer.compute_output_shape((None, 5)) == (None, 5)


def test_dropout_in_fit_is_active_and_predict_is_deterministic():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8), keras.layers.Dropout(0.5),
                              keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    model.fit(x, np.zeros((16, 1), "float32"), epochs=1, verbose=0)
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))


# ---------------------------------------------------------------- replayed steps

NOISE_LAYERS = {
    "dropout": lambda seed: keras.layers.Dropout(0.4, seed=seed),
    "dropout_noise_shape": lambda seed: keras.layers.Dropout(0.5, noise_shape=(None, 1, 3), seed=seed),
    "gaussian_noise": lambda seed: keras.layers.GaussianNoise(0.3, seed=seed),
    "gaussian_dropout": lambda seed: keras.layers.GaussianDropout(0.3, seed=seed),
    "alpha_dropout": lambda seed: keras.layers.AlphaDropout(0.2, seed=seed),
    "alpha_dropout_noise_shape": lambda seed: keras.layers.AlphaDropout(0.3, noise_shape=(2, 1, 3), seed=seed),
}
BATCHES = [np.random.default_rng(i).normal(size=(2, 4, 3)).astype("float32") for i in range(4)]


def _step(layer, x, w):
    with keras.GradientTape() as tape:
        y = layer(keras.ops.multiply(x, w), training=True)
        loss = keras.ops.sum(keras.ops.multiply(y, np.linspace(-1, 1, y.value.size, dtype="float32").reshape(y.shape)))
    return tape, y, loss


def _compiled_steps(layer, w):
    from nanokeras.ops.tensor import Constant
    from nanokeras.ops.trace import Trace

    x = Constant(BATCHES[0].copy())
    tape, y, loss = _step(layer, x, w)
    trace = Trace(tape)
    assert trace.replayable, trace.unreplayable_ops()
    results = [(np.array(y.value), np.array(tape.gradient(loss, [w])[0]))]
    for batch in BATCHES[1:]:
        x.value[...] = batch
        trace.forward()
        results.append((np.array(y.value), np.array(trace.gradients(loss, [w])[0])))
    return results


def _tape_steps(layer, w):
    results = []
    for batch in BATCHES:
        tape, y, loss = _step(layer, batch, w)
        results.append((np.array(y.value), np.array(tape.gradient(loss, [w])[0])))
    return results


@pytest.mark.parametrize("seed", [5, None])
@pytest.mark.parametrize("name", sorted(NOISE_LAYERS))
def test_noise_layers_replay_new_noise_bit_for_bit(name, seed):
    make = NOISE_LAYERS[name]
    assert make(seed)._replayable is True
    w = keras.Variable(np.linspace(0.5, 1.5, 3, dtype="float32"))
    set_random_seed(11)
    compiled = _compiled_steps(make(seed), w)
    set_random_seed(11)
    reference = _tape_steps(make(seed), w)
    for step, ((y, g), (y_ref, g_ref)) in enumerate(zip(compiled, reference)):
        assert y.tobytes() == y_ref.tobytes(), f"step {step}: outputs differ"
        assert g.tobytes() == g_ref.tobytes(), f"step {step}: gradients differ"
    # every step drew new noise
    masks = [np.asarray(y) / np.asarray(BATCHES[i] * w.value) for i, (y, _) in enumerate(compiled)]
    assert not np.allclose(masks[1], masks[2])


def test_noise_layers_draw_what_they_drew_before_they_were_replayable():
    # The same generator calls, in the same order and dtype: seeded results are unchanged.
    x = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")
    rng = np.random.default_rng(4)
    mask = (rng.random((3, 5), dtype=np.float32) < 0.75).astype("float32")
    expected = x * mask / np.float32(0.75)
    layer = keras.layers.Dropout(0.25, seed=4)
    np.testing.assert_array_equal(layer(x, training=True), expected)
    second = (rng.random((3, 5), dtype=np.float32) < 0.75).astype("float32")
    np.testing.assert_array_equal(layer(x, training=True), x * second / np.float32(0.75))
    rng = np.random.default_rng(4)
    noise = rng.standard_normal((3, 5), dtype=np.float32) * np.float32(0.2)
    np.testing.assert_array_equal(keras.layers.GaussianNoise(0.2, seed=4)(x, training=True), x + noise)
    rng = np.random.default_rng(4)
    noise = rng.standard_normal((3, 5), dtype=np.float32) * np.float32(np.sqrt(0.2 / 0.8)) + 1
    np.testing.assert_array_equal(keras.layers.GaussianDropout(0.2, seed=4)(x, training=True), x * noise)
