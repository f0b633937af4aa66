"""Accuracy metrics and functions against hand-computed values."""

import numpy as np
import pytest

from nanokeras import metrics

PROBS = np.array([[0.1, 0.6, 0.3], [0.05, 0.95, 0.0], [0.5, 0.2, 0.3]], dtype="float32")


def test_accuracy_exact_match():
    assert float(metrics.Accuracy()([[1], [2], [3], [4]], [[0], [2], [3], [4]])) == 0.75


def test_binary_accuracy_threshold_and_weights():
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    assert float(m.result()) == 0.75
    m.update_state([[1], [0]], [[0.4], [0.2]], sample_weight=[3.0, 1.0])
    assert float(m.result()) == pytest.approx((3 + 1) / (4 + 4))
    m = metrics.BinaryAccuracy(threshold=0.3)
    assert float(m([[1]], [[0.4]])) == 1.0


def test_binary_accuracy_prediction_at_threshold_is_negative():
    assert float(metrics.BinaryAccuracy()([[0]], [[0.5]])) == 1.0
    # 0.3 in float32 is slightly above 0.3: a float32 prediction equal to it is not above it.
    assert float(metrics.BinaryAccuracy(threshold=0.3)([[0]], np.float32([[0.3]]))) == 1.0


@pytest.mark.parametrize("y_true", [np.array([1.0]), np.array([[1.0]]), np.array(1.0), np.array([1])])
def test_binary_accuracy_single_sample_shapes(y_true):
    m = metrics.BinaryAccuracy()
    m.update_state(y_true, np.array([[0.7]], dtype="float32"))
    m.update_state(y_true, np.array([0.2], dtype="float32"))
    assert float(m.result()) == 0.5
    assert float(m.count.numpy()) == 2.0


def test_binary_accuracy_function_shapes():
    out = metrics.binary_accuracy(np.array([1.0, 0.0]), np.array([[0.9], [0.9]]))
    assert out.shape == (2, 1)
    np.testing.assert_array_equal(out[:, 0], [1.0, 0.0])


def test_categorical_accuracy():
    y_true = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    m = metrics.CategoricalAccuracy()
    assert float(m(y_true, PROBS)) == pytest.approx(2 / 3)
    m.update_state(y_true, PROBS, sample_weight=[0.0, 1.0, 0.0])
    assert float(m.result()) == pytest.approx(2 / 4)


@pytest.mark.parametrize("labels", [[1, 2, 0], [[1], [2], [0]], np.array([1.0, 2.0, 0.0], "float32")])
def test_sparse_categorical_accuracy_label_shapes(labels):
    m = metrics.SparseCategoricalAccuracy()
    assert float(m(labels, PROBS)) == pytest.approx(2 / 3)
    out = metrics.sparse_categorical_accuracy(labels, PROBS)
    assert out.shape == (3,)
    np.testing.assert_array_equal(out, [1.0, 0.0, 1.0])


def test_sparse_categorical_accuracy_single_samples_accumulate():
    m = metrics.SparseCategoricalAccuracy()
    for label, row in zip([1, 2, 0], PROBS):
        m.update_state(np.array([label]), row[None])
    m.update_state(np.array([[1]]), PROBS[:1])
    assert float(m.result()) == pytest.approx(3 / 4)
    m.reset_state()
    m.update_state([1, 2, 0], PROBS, sample_weight=[1.0, 2.0, 1.0])
    assert float(m.result()) == pytest.approx(2 / 4)


def test_sparse_categorical_accuracy_sequence_predictions():
    y_pred = np.stack([PROBS, PROBS[::-1]])  # (2, 3, 3)
    y_true = np.array([[1, 2, 0], [0, 1, 1]])
    out = metrics.sparse_categorical_accuracy(y_true, y_pred)
    np.testing.assert_array_equal(out, [[1, 0, 1], [1, 1, 1]])
    y_true[1, 2] = 2
    assert float(metrics.SparseCategoricalAccuracy()(y_true, y_pred)) == pytest.approx(4 / 6)


def test_top_k_categorical_accuracy():
    y_true = [[0, 0, 1], [0, 1, 0], [0, 0, 1]]
    np.testing.assert_array_equal(metrics.top_k_categorical_accuracy(y_true, PROBS, k=1), [0, 1, 0])
    np.testing.assert_array_equal(metrics.top_k_categorical_accuracy(y_true, PROBS, k=2), [1, 1, 1])
    assert float(metrics.TopKCategoricalAccuracy(k=1)(y_true, PROBS)) == pytest.approx(1 / 3)


def test_sparse_top_k_categorical_accuracy_and_ties():
    np.testing.assert_array_equal(
        metrics.sparse_top_k_categorical_accuracy([2, 1, 0], PROBS, k=2), [1, 1, 1])
    np.testing.assert_array_equal(
        metrics.sparse_top_k_categorical_accuracy([[0], [2], [1]], PROBS, k=1), [[0], [0], [0]])
    # Ties count in the label's favour: rank = 1 + number of strictly larger scores.
    assert metrics.sparse_top_k_categorical_accuracy([1], [[0.5, 0.5, 0.0]], k=1)[0] == 1.0
    m = metrics.SparseTopKCategoricalAccuracy(k=1)
    m.update_state([2, 1, 0], PROBS, sample_weight=[1, 1, 2])
    assert float(m.result()) == pytest.approx(3 / 4)


def test_sparse_top_k_from_sorted_ids():
    ids = np.array([[2, 0, 1], [1, 2, 0]])
    np.testing.assert_array_equal(
        metrics.sparse_top_k_categorical_accuracy([0, 0], ids, k=2, from_sorted_ids=True), [1, 0])


def test_out_of_range_labels_are_explained():
    with pytest.raises(ValueError, match="class indices"):
        metrics.SparseTopKCategoricalAccuracy(k=1).update_state([7, 0, 1], PROBS)


def test_configs():
    assert metrics.BinaryAccuracy(threshold=0.2).get_config() == {
        "name": "binary_accuracy", "dtype": "float32", "threshold": 0.2}
    assert metrics.SparseTopKCategoricalAccuracy(k=3).get_config()["k"] == 3
    m = metrics.TopKCategoricalAccuracy.from_config(metrics.TopKCategoricalAccuracy(k=2).get_config())
    assert m.k == 2
