"""FGSM / saliency input gradients, nanokeras against real Keras 3 on JAX.

nanokeras: `tape.watch(x)` on a numpy batch, the loss computed inside the
`with GradientTape()` block, `tape.gradient(loss, x)` called AFTER the block (the
TensorFlow tutorials' pattern). Keras: `jax.grad` of the same loss through
`stateless_call`, with the same weights (`set_weights`). The input gradients, the
FGSM perturbation they give and the models' outputs on the perturbed batch agree
within 1e-5.
"""

import numpy as np
import pytest

import nanokeras as nk

TOL = dict(rtol=1e-5, atol=1e-5)
EPSILON = 0.05


def _cnn(lib):
    return lib.Sequential([
        lib.Input((8, 8, 2)),
        lib.layers.Conv2D(4, 3, activation="relu", padding="same"),
        lib.layers.MaxPooling2D(2),
        lib.layers.SeparableConv2D(4, 2, activation="tanh"),
        lib.layers.DepthwiseConv2D(2, activation="sigmoid"),
        lib.layers.AveragePooling2D(2, padding="same"),
        lib.layers.Flatten(),
        lib.layers.Dense(8, activation="relu"),
        lib.layers.Dense(3, activation="softmax"),
    ])


def _cnn_1d(lib):
    return lib.Sequential([
        lib.Input((9, 3)),
        lib.layers.Conv1D(4, 3, activation="relu"),
        lib.layers.Conv1DTranspose(3, 2, strides=2),
        lib.layers.MaxPooling1D(2),
        lib.layers.GlobalAveragePooling1D(),
        lib.layers.Dense(3),
    ])


def _keras_input_gradient(keras, model, x, labels, from_logits):
    import jax
    import jax.numpy as jnp

    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits)

    def loss(inputs):
        outputs, _ = model.stateless_call(trainable, non_trainable, inputs)
        return loss_fn(jnp.asarray(labels), outputs)

    return np.asarray(jax.grad(loss)(jnp.asarray(x)))


def _nanokeras_input_gradient(model, x, labels, from_logits):
    loss_fn = nk.losses.SparseCategoricalCrossentropy(from_logits=from_logits)
    with nk.GradientTape() as tape:
        tape.watch(x)
        loss = loss_fn(labels, model(x))
    return tape.gradient(loss, x)  # after the block


@pytest.mark.parametrize("build,shape,from_logits", [
    (_cnn, (4, 8, 8, 2), False),
    (_cnn_1d, (3, 9, 3), True),
], ids=["cnn2d_softmax", "cnn1d_logits"])
def test_fgsm_input_gradient_taken_after_the_tape_matches_keras(keras, build, shape, from_logits):
    rng = np.random.default_rng(7)
    x = rng.uniform(0.0, 1.0, shape).astype("float32")
    labels = np.arange(shape[0]) % 3
    ours, theirs = build(nk), build(keras)
    weights = [rng.standard_normal(w.shape).astype("float32") * 0.5 for w in theirs.weights]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), **TOL)

    grad = _nanokeras_input_gradient(ours, x, labels, from_logits)
    expected = _keras_input_gradient(keras, theirs, x, labels, from_logits)
    assert grad is not None, "the input gradient taken after the tape's block is None"
    assert grad.dtype == np.float32 and grad.shape == x.shape
    assert np.any(expected != 0)
    np.testing.assert_allclose(grad, expected, **TOL)

    # The FGSM step: the sign of the gradient (where Keras's is clearly away from 0).
    clear = np.abs(expected) > 1e-4
    np.testing.assert_array_equal(np.sign(grad)[clear], np.sign(expected)[clear])
    adversarial = np.clip(x + EPSILON * np.sign(grad), 0.0, 1.0).astype("float32")
    np.testing.assert_allclose(np.asarray(ours(adversarial)), np.asarray(theirs(adversarial)), **TOL)
