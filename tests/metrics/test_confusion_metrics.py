"""Confusion counts, Precision, Recall and AUC against hand-computed values."""

import numpy as np
import pytest

from nanokeras import metrics

Y_TRUE = [0, 1, 1, 1, 0]
Y_PRED = [0.7, 0.2, 0.6, 0.9, 0.1]  # at 0.5: tp 2, fp 1, tn 1, fn 1


@pytest.mark.parametrize("cls,expected", [
    (metrics.TruePositives, 2.0), (metrics.FalsePositives, 1.0),
    (metrics.TrueNegatives, 1.0), (metrics.FalseNegatives, 1.0),
])
def test_counts_at_default_threshold(cls, expected):
    m = cls()
    assert float(m(Y_TRUE, Y_PRED)) == expected
    m.update_state(Y_TRUE, Y_PRED, sample_weight=[2, 2, 2, 2, 2])
    assert float(m.result()) == 3 * expected
    m.reset_state()
    assert float(m.result()) == 0.0


def test_counts_at_several_thresholds():
    tp = metrics.TruePositives(thresholds=[0.15, 0.5, 0.95])
    np.testing.assert_array_equal(tp(Y_TRUE, Y_PRED), [3, 2, 0])
    # Evenly spaced thresholds take the bucket route; 0.0 predictions are above no threshold.
    fn = metrics.FalseNegatives(thresholds=[0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_array_equal(fn([1, 1, 1], [0.0, 0.5, 1.0]), [1, 1, 2, 2, 3])


def test_precision_recall():
    assert float(metrics.Precision()(Y_TRUE, Y_PRED)) == pytest.approx(2 / 3)
    assert float(metrics.Recall()(Y_TRUE, Y_PRED)) == pytest.approx(2 / 3)
    p = metrics.Precision(thresholds=[0.15, 0.5, 0.95])
    np.testing.assert_allclose(p(Y_TRUE, Y_PRED), [3 / 4, 2 / 3, 0.0])
    assert float(metrics.Recall()([0, 0], [0.9, 0.1])) == 0.0  # no positives: 0, not NaN


def test_precision_top_k_and_class_id():
    y_true = np.array([[0, 0, 1, 1], [1, 0, 0, 1]])
    y_pred = np.array([[0.1, 0.2, 0.3, 0.4], [0.9, 0.8, 0.1, 0.05]])
    # top 2 per row: {2, 3} (both right), {0, 1} (one right)
    assert float(metrics.Precision(top_k=2)(y_true, y_pred)) == pytest.approx(3 / 4)
    assert float(metrics.Recall(top_k=2)(y_true, y_pred)) == pytest.approx(3 / 4)
    assert float(metrics.Precision(class_id=3)(y_true, y_pred)) == 0.0  # 0.4 is not above 0.5
    assert float(metrics.Recall(class_id=0)(y_true, y_pred)) == 1.0


def test_precision_accumulates_over_calls():
    m = metrics.Precision()
    m.update_state([1, 0], [0.9, 0.9])
    m.update_state([1], [0.8])
    assert float(m.result()) == pytest.approx(2 / 3)


def test_auc_roc_small_example():
    assert float(metrics.AUC(num_thresholds=3)([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])) == 0.75


def test_auc_perfect_and_random_ranking():
    y = np.array([0] * 50 + [1] * 50)
    perfect = np.concatenate([np.linspace(0.0, 0.4, 50), np.linspace(0.6, 1.0, 50)])
    assert float(metrics.AUC()(y, perfect)) == pytest.approx(1.0, abs=1e-6)
    assert float(metrics.AUC()(y, np.full(100, 0.5))) == pytest.approx(0.5, abs=1e-6)


def test_auc_roc_close_to_exact_rank_statistic():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    p = np.clip(rng.normal(0.4 + 0.2 * y, 0.2), 0, 1)
    pos, neg = p[y == 1], p[y == 0]
    exact = ((pos[:, None] > neg[None]).mean() + 0.5 * (pos[:, None] == neg[None]).mean())
    assert float(metrics.AUC(num_thresholds=1000)(y, p)) == pytest.approx(exact, abs=5e-3)


def test_auc_summation_methods_bracket_interpolation():
    rng = np.random.default_rng(1)
    y, p = rng.integers(0, 2, 60), rng.uniform(size=60)
    lo = float(metrics.AUC(num_thresholds=10, summation_method="minoring")(y, p))
    mid = float(metrics.AUC(num_thresholds=10)(y, p))
    hi = float(metrics.AUC(num_thresholds=10, summation_method="majoring")(y, p))
    assert lo <= mid <= hi


def test_auc_pr_of_perfect_classifier_is_one():
    y = np.array([0, 0, 1, 1])
    for method in ("interpolation", "majoring"):
        got = float(metrics.AUC(curve="PR", summation_method=method)(y, [0.1, 0.2, 0.8, 0.9]))
        assert got == pytest.approx(1.0, abs=1e-6)


def test_auc_weights_reset_and_unbuilt_multilabel():
    m = metrics.AUC(num_thresholds=3)
    # Weighting out the positive at 0.3 (tied in a bucket with the negative at 0) leaves a
    # perfect ranking.
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 1, 0, 1])
    assert float(m.result()) == 1.0
    m.reset_state()
    assert float(m.result()) == 0.0
    multi = metrics.AUC(multi_label=True)
    assert multi.variables == [] and float(multi.result()) == 0.0
    multi.update_state([[0, 1], [1, 0]], [[0.2, 0.9], [0.8, 0.1]])
    assert multi.true_positives.shape == (200, 2)
    assert float(multi.result()) == pytest.approx(1.0)


def test_auc_from_logits_and_explicit_thresholds():
    a = metrics.AUC(num_thresholds=3, from_logits=True)([0, 0, 1, 1], [-10.0, 0.0, -0.8, 2.2])
    assert float(a) == 0.75
    m = metrics.AUC(thresholds=[0.5])
    assert m.num_thresholds == 3
    assert m.get_config()["thresholds"] == [0.5]


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="thresholds"):
        metrics.Precision(thresholds=[0.5, 1.5])
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="XYZ")
    with pytest.raises(ValueError, match="summation_method"):
        metrics.AUC(summation_method="sum")
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="class_id"):
        metrics.Precision(class_id=1).update_state([1, 0], [0.4, 0.6])
    m = metrics.Precision()
    with pytest.raises(ValueError, match="sample_weight"):
        m.update_state([1, 0, 1], [0.9, 0.9, 0.9], sample_weight=[1, 2])
    assert float(m.true_positives.numpy()[0]) == 0.0
