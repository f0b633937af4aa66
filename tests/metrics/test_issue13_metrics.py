"""F-scores, R2, correlations, hinge, IoU and the at-precision/recall/sensitivity/specificity metrics:
closed-form values, state handling and argument errors."""

import numpy as np
import pytest

from nanokeras import metrics


def test_f_scores_closed_forms():
    y_true = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], "float32")
    y_pred = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], "float32")
    # threshold 0.5: predicted [[0,1,1],[0,1,1],[1,1,0]]; per class tp=[1,2,1], fp=[0,1,1], fn=[2,0,0]
    precision = np.array([1 / 1, 2 / 3, 1 / 2])
    recall = np.array([1 / 3, 2 / 2, 1 / 1])
    f1 = 2 * precision * recall / (precision + recall)
    np.testing.assert_allclose(metrics.F1Score(threshold=0.5)(y_true, y_pred), f1, rtol=1e-5)
    np.testing.assert_allclose(metrics.F1Score(average="macro", threshold=0.5)(y_true, y_pred), f1.mean(), rtol=1e-5)
    weights = y_true.sum(axis=0) / y_true.sum()
    np.testing.assert_allclose(metrics.F1Score(average="weighted", threshold=0.5)(y_true, y_pred),
                               (f1 * weights).sum(), rtol=1e-5)
    f2 = 5 * precision * recall / (4 * precision + recall)
    np.testing.assert_allclose(metrics.FBetaScore(beta=2.0, threshold=0.5)(y_true, y_pred), f2, rtol=1e-5)
    tp, fp, fn = 4, 2, 2
    micro = 2 * (tp / (tp + fp)) * (tp / (tp + fn)) / ((tp / (tp + fp)) + (tp / (tp + fn)))
    np.testing.assert_allclose(metrics.F1Score(average="micro", threshold=0.5)(y_true, y_pred), micro, rtol=1e-5)
    with pytest.raises(ValueError, match="average"):
        metrics.F1Score(average="mean")
    with pytest.raises(ValueError, match="beta"):
        metrics.FBetaScore(beta=2)
    with pytest.raises(ValueError, match="2D inputs"):
        metrics.F1Score()(np.ones(3), np.ones(3))


def test_r2_score_closed_form_and_adjustment():
    y_true = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 9.0], [4.0, 1.0]], "float32")
    y_pred = np.array([[1.5, 2.0], [2.0, 5.0], [2.5, 7.0], [4.5, 1.0]], "float32")
    ss_res = ((y_true - y_pred) ** 2).sum(axis=0)
    ss_tot = ((y_true - y_true.mean(axis=0)) ** 2).sum(axis=0)
    raw = 1 - ss_res / ss_tot
    np.testing.assert_allclose(metrics.R2Score(class_aggregation=None)(y_true, y_pred), raw, rtol=1e-5)
    np.testing.assert_allclose(metrics.R2Score()(y_true, y_pred), raw.mean(), rtol=1e-5)
    np.testing.assert_allclose(metrics.R2Score(class_aggregation="variance_weighted_average")(y_true, y_pred),
                               (raw * ss_tot).sum() / ss_tot.sum(), rtol=1e-5)
    n, p = 8, 2
    np.testing.assert_allclose(metrics.R2Score(num_regressors=p)(y_true, y_pred),
                               1 - (1 - raw.mean()) * (n - 1) / (n - p - 1), rtol=1e-5)
    with pytest.warns(UserWarning, match="More independent predictors"):
        metrics.R2Score(num_regressors=20)(y_true, y_pred)


def test_correlations_and_hinge_metrics():
    x = np.array([[1.0, 2.0, 4.0], [3.0, 1.0, 0.0]], "float32")
    y = np.array([[2.0, 4.0, 8.0], [0.0, 1.0, 3.0]], "float32")
    per_sample = [np.corrcoef(a, b)[0, 1] for a, b in zip(x, y)]
    np.testing.assert_allclose(metrics.PearsonCorrelation()(x, y), np.mean(per_sample), rtol=1e-5)
    assert float(metrics.ConcordanceCorrelation()(x, x)) == pytest.approx(1.0, abs=1e-5)
    np.testing.assert_allclose(metrics.Hinge()(np.array([[1.0], [0.0]]), np.array([[0.5], [0.5]])),
                               (0.5 + 1.5) / 2, rtol=1e-6)
    np.testing.assert_allclose(metrics.SquaredHinge()(np.array([[1.0]]), np.array([[0.5]])), 0.25, rtol=1e-6)
    np.testing.assert_allclose(metrics.CategoricalHinge()(np.array([[0.0, 1.0]]), np.array([[0.3, 0.6]])), 0.7,
                               rtol=1e-6)
    assert metrics.hinge is __import__("nanokeras").losses.hinge


def test_iou_family_closed_forms():
    m = metrics.MeanIoU(num_classes=2, dtype="float32")
    assert float(m([0, 0, 1, 1], [0, 1, 0, 1])) == pytest.approx(1 / 3, rel=1e-5)
    m.reset_state()
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[0.3, 0.3, 0.3, 0.1])
    # cm = [[0.3, 0.3], [0.3, 0.1]]: IoUs 0.3/0.9 and 0.1/0.7
    assert float(m.result()) == pytest.approx((0.3 / 0.9 + 0.1 / 0.7) / 2, rel=1e-5)
    y_true = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
    y_pred = np.array([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
    weights = [0.1, 0.2, 0.3, 0.4]
    one_hot = metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2], dtype="float32")
    assert float(one_hot(y_true, y_pred, sample_weight=weights)) == pytest.approx((0 + 0.1 / 0.7) / 2, rel=1e-5)
    mean = metrics.OneHotMeanIoU(num_classes=3, dtype="float32")
    assert float(mean(y_true, y_pred, sample_weight=weights)) == pytest.approx(0.1 / 0.7 / 3, rel=1e-5)
    binary = metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    assert float(binary([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])) == pytest.approx(1 / 3, rel=1e-5)
    ignoring = metrics.MeanIoU(num_classes=3, ignore_class=2)
    assert float(ignoring([0, 1, 2, 2], [0, 1, 0, 1])) == pytest.approx(1.0)
    with pytest.warns(UserWarning, match="weight as `float`"):
        metrics.MeanIoU(num_classes=2)([0, 1], [0, 1], sample_weight=np.array([0.5, 1.5]))
    with pytest.raises(ValueError, match="out of range"):
        metrics.IoU(num_classes=2, target_class_ids=[2])


def test_at_constraint_metrics_closed_forms():
    y_true = [0, 0, 0, 1, 1]
    y_pred = [0.0, 0.3, 0.8, 0.3, 0.8]
    assert float(metrics.SensitivityAtSpecificity(0.5)(y_true, y_pred)) == pytest.approx(0.5)
    assert float(metrics.SpecificityAtSensitivity(0.5)(y_true, y_pred)) == pytest.approx(2 / 3)
    assert float(metrics.PrecisionAtRecall(0.5)(y_true, y_pred)) == pytest.approx(0.5)
    assert float(metrics.RecallAtPrecision(0.8)([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9])) == pytest.approx(1.0)
    assert float(metrics.RecallAtPrecision(0.8)([1, 1, 0, 0], [0.1, 0.2, 0.7, 0.9])) == 0.0  # never reached
    with pytest.raises(ValueError, match=r"range \[0, 1\]"):
        metrics.PrecisionAtRecall(1.5)
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.SensitivityAtSpecificity(0.5, num_thresholds=0)


def test_new_metrics_in_compile_and_fit():
    import nanokeras as keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = np.eye(3, dtype="float32")[rng.integers(0, 3, 40)]
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile("adam", "categorical_crossentropy",
                  metrics=[metrics.F1Score(average="macro"), metrics.OneHotMeanIoU(3), "categorical_hinge",
                           metrics.R2Score()])
    history = model.fit(x, y, epochs=2, verbose=0, validation_split=0.25).history
    assert {"f1_score", "one_hot_mean_io_u", "categorical_hinge", "r2_score", "val_f1_score"} <= set(history)
