"""BatchNormalization in training takes the batch's statistics over the unmasked positions only."""

import numpy as np
import pytest

import nanokeras as nk


def test_masked_steps_do_not_move_the_statistics():
    layer = nk.layers.BatchNormalization(momentum=0.0, epsilon=1e-12, center=False, scale=False)
    x = np.array([[[1.0], [2.0], [100.0]]], "float32")
    mask = np.array([[True, True, False]])
    out = np.asarray(layer(x, training=True, mask=mask))
    # mean and variance of [1, 2] (the count carries the fuzz factor 1e-7): 1.5 and 0.25.
    assert float(layer.moving_mean.numpy()[0]) == pytest.approx(1.5, rel=1e-6)
    assert float(layer.moving_variance.numpy()[0]) == pytest.approx(0.25, rel=1e-5)
    np.testing.assert_allclose(out[0, :2, 0], [-1.0, 1.0], rtol=1e-5)


def test_without_a_mask_or_at_inference_the_mask_changes_nothing():
    x = np.random.default_rng(0).normal(size=(2, 4, 3)).astype("float32")
    plain, masked = nk.layers.BatchNormalization(momentum=0.0), nk.layers.BatchNormalization(momentum=0.0)
    everything = np.ones((2, 4), bool)
    np.testing.assert_allclose(np.asarray(plain(x, training=True)), np.asarray(masked(x, training=True, mask=everything)),
                               rtol=1e-5, atol=1e-5)
    partial = np.array([[1, 1, 0, 0], [1, 0, 0, 0]], bool)
    np.testing.assert_allclose(np.asarray(masked(x, mask=partial)), np.asarray(masked(x)), rtol=1e-6)

