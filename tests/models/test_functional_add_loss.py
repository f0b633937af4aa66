"""Keras 2's variational-autoencoder pattern: a `Lambda` sampling layer, and `model.add_loss` of a
loss built from the functional model's symbolic tensors (recomputed in every forward pass)."""

import numpy as np
import pytest

import nanokeras as keras
from tests.utils.keras2_helpers import fresh_notes, recorded_notes, strict_keras3  # noqa: F401

DIM, LATENT = 5, 2


def build_vae():
    inputs = keras.Input(shape=(DIM,))
    hidden = keras.layers.Dense(4, activation="relu")(inputs)
    z_mean = keras.layers.Dense(LATENT)(hidden)
    z_log_sigma = keras.layers.Dense(LATENT)(hidden)

    def sampling(args):
        mean, log_sigma = args
        epsilon = keras.ops.ones_like(mean) * 0.5  # fixed "noise", so the test can recompute it
        return mean + keras.ops.exp(log_sigma) * epsilon

    z = keras.layers.Lambda(sampling)([z_mean, z_log_sigma])
    outputs = keras.layers.Dense(DIM, activation="sigmoid")(z)
    vae = keras.Model(inputs, outputs)
    reconstruction = keras.losses.binary_crossentropy(inputs, outputs)
    reconstruction *= DIM
    kl = 1 + z_log_sigma - keras.ops.square(z_mean) - keras.ops.exp(z_log_sigma)
    kl = keras.ops.sum(kl, axis=-1)
    kl *= -0.5
    parts = keras.Model(inputs, [outputs, z_mean, z_log_sigma])
    return vae, keras.ops.mean(reconstruction + kl), parts


def expected_loss(parts, x):
    outputs, mean, log_sigma = [np.asarray(a, "float64") for a in parts.predict(x, verbose=0)]
    eps = 1e-7
    clipped = np.clip(outputs, eps, 1 - eps)
    bce = -np.mean(x * np.log(clipped) + (1 - x) * np.log(1 - clipped), axis=-1) * DIM
    kl = -0.5 * np.sum(1 + log_sigma - mean ** 2 - np.exp(log_sigma), axis=-1)
    return np.mean(bce + kl)


def data(n=16):
    return np.random.default_rng(0).random((n, DIM)).astype("float32")


def test_symbolic_add_loss_is_the_training_loss(fresh_notes):
    vae, loss, parts = build_vae()
    with recorded_notes() as notes:
        vae.add_loss(loss)
    assert len(notes) == 1 and "add_loss" in notes[0]
    vae.compile(optimizer=keras.optimizers.SGD(0.01))
    x = data()
    np.testing.assert_allclose(vae.evaluate(x, verbose=0), expected_loss(parts, x), rtol=1e-5)
    np.testing.assert_allclose(vae.evaluate(x, x, verbose=0), expected_loss(parts, x), rtol=1e-5)


def test_a_training_step_follows_the_gradient_of_that_loss(fresh_notes):
    vae, loss, parts = build_vae()
    with recorded_notes():
        vae.add_loss(loss)
    vae.compile(optimizer=keras.optimizers.SGD(0.1))
    x = data(8)
    weights = [w.numpy() for w in vae.trainable_weights]
    with keras.GradientTape() as tape:
        vae(x, training=True)
        total = vae.losses[0]
    gradients = tape.gradient(total, vae.trainable_weights)
    vae.fit(x, epochs=1, batch_size=8, verbose=0)  # no labels: the added loss is the whole loss
    for before, gradient, after in zip(weights, gradients, vae.trainable_weights):
        np.testing.assert_allclose(after.numpy(), before - 0.1 * np.asarray(gradient), rtol=1e-5, atol=1e-6)


def test_fit_with_validation_and_history(fresh_notes):
    vae, loss, _ = build_vae()
    with recorded_notes():
        vae.add_loss(loss)
    vae.compile(optimizer="adam")
    x = data()
    history = vae.fit(x, x, epochs=2, batch_size=4, verbose=0, validation_data=(x, x))
    assert set(history.history) == {"loss", "val_loss"}
    assert len(vae.losses) == 1  # one value per forward pass, not one per batch


def test_labels_are_still_required_when_a_loss_is_compiled(fresh_notes):
    vae, loss, _ = build_vae()
    with recorded_notes():
        vae.add_loss(loss)
    vae.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="`y` is required"):
        vae.fit(data(), verbose=0)


def test_strict_mode_refuses_and_changes_nothing(fresh_notes):
    vae, loss, _ = build_vae()
    plan = list(vae._plan)
    with strict_keras3(), pytest.raises(ValueError, match="self.add_loss"):
        vae.add_loss(loss)
    assert vae._plan == plan and vae.losses == []


def test_loss_functions_on_symbolic_tensors_are_graph_steps():
    inputs = keras.Input((3,))
    outputs = keras.layers.Dense(3)(inputs)
    per_sample = keras.losses.mean_squared_error(inputs, outputs)
    assert isinstance(per_sample, keras.KerasTensor) and per_sample.shape == (None,)
    model = keras.Model(inputs, per_sample)
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0),
                               np.mean((x - model.layers[1](x)) ** 2, axis=-1), rtol=1e-6)
    assert keras.losses.get("mse") is keras.losses.mean_squared_error
