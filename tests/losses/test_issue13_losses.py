"""Dice, Tversky, Circle, categorical focal and generalized cross-entropy: closed forms, gradients, errors."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import losses
from tests.ops.gradient_check import check_gradients

EPS = 1e-7


def test_dice_and_tversky_closed_forms():
    t = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    p = np.array([[0.8, 0.1, 0.6], [0.3, 0.9, 0.2]])
    inter = (t * p).sum()
    assert losses.dice(t, p) == pytest.approx(1 - 2 * inter / (t.sum() + p.sum() + EPS))
    per_row = 1 - 2 * (t * p).sum(1) / (t.sum(1) + p.sum(1) + EPS)
    np.testing.assert_allclose(losses.dice(t, p, axis=-1), per_row)
    fp, fn = ((1 - p) * t).sum(), (p * (1 - t)).sum()
    assert losses.tversky(t, p, alpha=0.2, beta=0.8) == pytest.approx(1 - inter / (inter + 0.2 * fp + 0.8 * fn + EPS))
    np.testing.assert_allclose(losses.tversky(t, p, axis=-1), per_row, rtol=1e-6)  # 0.5/0.5 is Dice
    assert float(losses.Dice(axis=-1)(t, p)) == pytest.approx(per_row.mean(), rel=1e-6)


def test_categorical_focal_and_generalized_cross_entropy_closed_forms():
    t = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    p = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
    expected = -(0.25 * (1 - p) ** 2 * t * np.log(p)).sum(axis=1)
    np.testing.assert_allclose(losses.categorical_focal_crossentropy(t, p), expected, rtol=1e-6)
    np.testing.assert_allclose(losses.categorical_focal_crossentropy(t, p, gamma=0.0, alpha=1.0),
                               losses.categorical_crossentropy(t, p), rtol=1e-6)
    labels = np.array([1, 0])
    np.testing.assert_allclose(losses.categorical_generalized_cross_entropy(labels, p, q=0.5),
                               (1 - np.array([0.5, 0.6]) ** 0.5) / 0.5, rtol=1e-6)
    with pytest.raises(ValueError, match="q must be in the interval"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.0)


def test_circle_loss_is_zero_for_separated_classes_and_counts_only_positive_losses():
    labels = np.array([0, 0, 1, 1])
    separated = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    np.testing.assert_allclose(losses.circle(labels, separated), 0.0, atol=1e-6)
    mixed = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.6, 0.8]])
    values = losses.circle(labels, mixed, gamma=5.0)
    assert np.all(values > 0)
    lonely = np.array([0, 1, 1, 2])  # samples 0 and 3 have no positive pair: loss 0, left out of the mean
    values = losses.circle(lonely, mixed, gamma=5.0)
    assert values[0] == 0 and values[3] == 0
    reduced = float(losses.Circle(gamma=5.0)(lonely, mixed))
    assert reduced == pytest.approx(values[1:3].mean(), rel=1e-6)


@pytest.mark.parametrize("loss", [
    lambda t, p: losses.dice(t, p, axis=-1),
    lambda t, p: losses.tversky(t, p, alpha=0.3, beta=0.7),
    lambda t, p: losses.categorical_focal_crossentropy(t, p, gamma=1.5, from_logits=True, label_smoothing=0.1),
])
def test_gradients_match_finite_differences(loss):
    rng = np.random.default_rng(0)
    t = (rng.random((3, 4)) > 0.5).astype("float64")
    check_gradients(lambda p: loss(t, p), rng.uniform(0.1, 0.9, size=(3, 4)))


def test_circle_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    labels = np.array([0, 0, 1, 1, 2])
    check_gradients(lambda e: losses.circle(labels, e, gamma=4.0), rng.normal(size=(5, 3)) * 0.5, rtol=1e-4)


def test_names_configs_and_get():
    for name, cls in (("dice", losses.Dice), ("tversky", losses.Tversky), ("circle", losses.Circle),
                      ("categorical_focal_crossentropy", losses.CategoricalFocalCrossentropy)):
        assert callable(losses.get(name))
        loss = cls()
        clone = losses.deserialize(losses.serialize(loss))
        assert type(clone) is cls and clone.get_config() == loss.get_config()
    assert losses.get("CategoricalGeneralizedCrossEntropy").q == 0.5
    assert losses.Tversky(alpha=0.1).get_config()["alpha"] == 0.1
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3, activation="softmax")])
    model.compile("adam", loss="categorical_focal_crossentropy")
    x = np.random.default_rng(2).normal(size=(8, 3)).astype("float32")
    assert np.isfinite(model.fit(x, np.eye(3)[np.arange(8) % 3], verbose=0).history["loss"][0])
