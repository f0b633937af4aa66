"""`keras.losses.CTC` / `ctc` against real Keras: values, reductions, sample weights, gradients, a training step."""

import numpy as np
import pytest

import nanokeras as nk

RNG = np.random.default_rng(3)
LOGITS = RNG.normal(size=(3, 7, 5)).astype("float32")
LABELS = np.array([[1, 2, 2, 0], [3, 0, 0, 0], [4, 1, 3, 2]], "int32")
WEIGHTS = np.array([0.5, 1.0, 2.0], "float32")


def test_function_values(keras):
    np.testing.assert_allclose(nk.losses.ctc(LABELS, LOGITS), keras.losses.ctc(LABELS, LOGITS), rtol=1e-5)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight", None])
@pytest.mark.parametrize("weights", [None, WEIGHTS], ids=["unweighted", "weighted"])
def test_class_values(keras, reduction, weights):
    theirs = keras.losses.CTC(reduction=reduction)(LABELS, LOGITS, sample_weight=weights)
    ours = nk.losses.CTC(reduction=reduction)(LABELS, LOGITS, sample_weight=weights)
    np.testing.assert_allclose(ours, np.asarray(theirs), rtol=1e-5)


def test_gradients(keras):
    import jax
    import jax.numpy as jnp

    theirs = jax.grad(lambda p: keras.losses.CTC()(LABELS, p, sample_weight=WEIGHTS))(jnp.asarray(LOGITS))
    w = nk.Variable(LOGITS)
    with nk.GradientTape() as tape:
        value = nk.losses.CTC()(LABELS, w, sample_weight=WEIGHTS)
    np.testing.assert_allclose(tape.gradient(value, w), np.asarray(theirs), rtol=1e-4, atol=1e-6)


def test_config_and_a_training_step_match(keras):
    assert nk.losses.CTC().get_config() == keras.losses.CTC().get_config()
    x = RNG.normal(size=(3, 7, 4)).astype("float32")

    def model(lib):
        return lib.Sequential([lib.Input((7, 4)), lib.layers.Dense(5)])

    ours, theirs = model(nk), model(keras)
    theirs.set_weights(ours.get_weights())
    for m, lib in ((ours, nk), (theirs, keras)):
        m.compile(lib.optimizers.Adam(0.01), loss=lib.losses.CTC())
    ours_history = ours.fit(x, LABELS, epochs=3, batch_size=3, shuffle=False, verbose=0).history["loss"]
    theirs_history = theirs.fit(x, LABELS, epochs=3, batch_size=3, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(ours_history, theirs_history, rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
