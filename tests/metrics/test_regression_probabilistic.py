"""Regression and probabilistic metrics against closed-form values."""

import math

import numpy as np
import pytest

from nanokeras import metrics

T = np.array([[0.0, 1.0], [0.0, 0.0]], dtype="float32")
P = np.array([[1.0, 1.0], [0.0, 0.0]], dtype="float32")


def test_mse_mae_rmse():
    assert float(metrics.MeanSquaredError()(T, P)) == 0.25
    assert float(metrics.MeanAbsoluteError()(T, P * 2)) == pytest.approx((1.5 + 0) / 2)
    m = metrics.RootMeanSquaredError()
    m.update_state(T, P)
    m.update_state([[2.0, 2.0]], [[0.0, 0.0]], sample_weight=[2.0])
    # Per-sample mean squared errors 0.5, 0 (weight 1) and 4 (weight 2).
    assert float(m.result()) == pytest.approx(math.sqrt((0.5 + 0 + 8) / 4))


def test_mse_weights_and_several_updates():
    m = metrics.MeanSquaredError()
    m.update_state(T, P, sample_weight=[1.0, 0.0])
    m.update_state([[3.0]], [[1.0]])
    assert float(m.result()) == pytest.approx((0.5 + 4.0) / 2)
    m.reset_state()
    assert float(m.result()) == 0.0


def test_mape_and_msle():
    assert float(metrics.MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 5.0]])) == pytest.approx(37.5)
    # A zero label divides by epsilon instead.
    assert float(metrics.mean_absolute_percentage_error([[0.0]], [[1e-7]])[0]) == pytest.approx(100.0)
    expected = (math.log(2.0) - math.log(1.0)) ** 2
    assert float(metrics.MeanSquaredLogarithmicError()([[0.0]], [[1.0]])) == pytest.approx(expected)


def test_log_cosh_and_cosine_similarity():
    x = np.array([[0.5, -2.0]], dtype="float32")
    expected = np.mean(np.log(np.cosh(x.astype(np.float64))))
    assert float(metrics.LogCoshError()(np.zeros_like(x), x)) == pytest.approx(expected, rel=1e-6)
    assert metrics.LogCoshError().name == "logcosh"
    m = metrics.CosineSimilarity()
    assert float(m([[0, 1], [1, 1]], [[1, 0], [1, 1]])) == pytest.approx(0.5)
    assert float(metrics.cosine_similarity([[0.0, 0.0]], [[1.0, 0.0]])[0]) == 0.0


def test_binary_crossentropy_matches_formula_and_clipping():
    t = np.array([[0, 1], [0, 0]], dtype="float32")
    p = np.array([[0.6, 0.4], [0.4, 0.6]], dtype="float32")
    per = -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(-1)
    assert float(metrics.BinaryCrossentropy()(t, p)) == pytest.approx(per.mean(), rel=1e-6)
    eps = 1e-7
    assert float(metrics.binary_crossentropy([[1.0]], [[0.0]])[0]) == pytest.approx(-math.log(eps), rel=1e-4)
    logits = np.array([[-1.0, 2.0]], dtype="float32")
    probs = 1 / (1 + np.exp(-logits))
    expected = -(np.array([0, 1]) * np.log(probs) + np.array([1, 0]) * np.log(1 - probs)).mean()
    got = metrics.BinaryCrossentropy(from_logits=True)([[0.0, 1.0]], logits)
    assert float(got) == pytest.approx(expected, rel=1e-6)


def test_binary_crossentropy_label_smoothing():
    got = metrics.binary_crossentropy([[1.0]], [[0.5]], label_smoothing=0.2)
    assert float(got[0]) == pytest.approx(math.log(2), rel=1e-6)


def test_categorical_crossentropy_variants():
    t = np.array([[0, 1, 0], [0, 0, 1]], dtype="float32")
    p = np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]], dtype="float32")
    expected = (-math.log(0.95) - math.log(0.1)) / 2
    assert float(metrics.CategoricalCrossentropy()(t, p)) == pytest.approx(expected, rel=1e-5)
    logits = np.log(p + 1e-3)
    soft = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    got = metrics.categorical_crossentropy(t, logits, from_logits=True)
    np.testing.assert_allclose(got, -np.log((soft * t).sum(-1)), rtol=1e-5)
    smoothed = t * 0.7 + 0.1
    got = metrics.categorical_crossentropy(t, p, label_smoothing=0.3)
    clipped = np.clip(p, 1e-7, 1 - 1e-7)
    np.testing.assert_allclose(got, -(smoothed * np.log(clipped)).sum(-1), rtol=1e-5)


def test_sparse_categorical_crossentropy_label_shapes_and_ignore_class():
    p = np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]], dtype="float32")
    expected = (-math.log(0.95) - math.log(0.1)) / 2
    for labels in ([1, 2], [[1], [2]]):
        assert float(metrics.SparseCategoricalCrossentropy()(labels, p)) == pytest.approx(expected, rel=1e-5)
    got = metrics.sparse_categorical_crossentropy([1, 2], p, ignore_class=2)
    np.testing.assert_allclose(got, [-math.log(0.95), 0.0], rtol=1e-5)
    # Without weights an ignored sample still counts (value 0); with weights it weighs 0.
    m = metrics.SparseCategoricalCrossentropy(ignore_class=2)
    assert float(m([1, 2], p)) == pytest.approx(-math.log(0.95) / 2, rel=1e-5)
    m = metrics.SparseCategoricalCrossentropy(ignore_class=2)
    assert float(m([1, 2], p, sample_weight=[1.0, 1.0])) == pytest.approx(-math.log(0.95), rel=1e-5)


def test_kl_divergence_and_poisson():
    # The zero label is clipped to epsilon, so it contributes eps * log(eps / 0.5).
    expected = math.log(2) + 1e-7 * math.log(1e-7 / 0.5)
    assert float(metrics.KLDivergence()([[0, 1]], [[0.5, 0.5]])) == pytest.approx(expected, rel=1e-6)
    t, p = np.array([[1.0, 2.0]]), np.array([[2.0, 1.0]])
    expected = np.mean(p - t * np.log(p + 1e-7))
    assert float(metrics.Poisson()(t, p)) == pytest.approx(expected, rel=1e-6)


def test_crossentropy_shape_mismatch_is_a_value_error():
    with pytest.raises(ValueError, match="same shape"):
        metrics.BinaryCrossentropy().update_state(np.zeros((4,)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="without the class axis"):
        metrics.SparseCategoricalCrossentropy().update_state([0, 1, 2], np.ones((2, 3)) / 3)


def test_configs_round_trip():
    m = metrics.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, name="cce")
    clone = metrics.CategoricalCrossentropy.from_config(m.get_config())
    assert clone.get_config() == m.get_config()
    assert metrics.SparseCategoricalCrossentropy(ignore_class=0).get_config()["ignore_class"] == 0
