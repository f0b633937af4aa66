"""resolve_metric / check_metric_identifier: Keras 3's compile-time metric resolution."""

import numpy as np
import pytest

from nanokeras import metrics
from nanokeras.metrics.resolve import check_metric_identifier, resolve_metric, target_kind


def z(*shape):
    return np.zeros(shape, "float32")


@pytest.mark.parametrize("y_true,y_pred,cls", [
    (z(4, 1), z(4, 1), metrics.BinaryAccuracy),
    (z(4), z(4, 1), metrics.BinaryAccuracy),
    (z(4), z(4, 3), metrics.SparseCategoricalAccuracy),
    (z(4, 1), z(4, 3), metrics.SparseCategoricalAccuracy),
    (z(4, 3), z(4, 3), metrics.CategoricalAccuracy),
    (z(2, 5), z(2, 5, 7), metrics.SparseCategoricalAccuracy),
])
@pytest.mark.parametrize("identifier", ["accuracy", "acc", "ACC", "Accuracy"])
def test_accuracy_shortcut_picks_class_by_shapes_and_keeps_name(identifier, y_true, y_pred, cls):
    m = resolve_metric(identifier, y_true, y_pred)
    assert type(m) is cls and m.name == identifier


@pytest.mark.parametrize("y_true,y_pred,cls", [
    (z(4, 1), z(4, 1), metrics.BinaryCrossentropy),
    (z(4), z(4, 3), metrics.SparseCategoricalCrossentropy),
    (z(4, 3), z(4, 3), metrics.CategoricalCrossentropy),
])
def test_crossentropy_shortcut(y_true, y_pred, cls):
    for identifier in ("crossentropy", "ce"):
        m = resolve_metric(identifier, y_true, y_pred)
        assert type(m) is cls and m.name == identifier


@pytest.mark.parametrize("identifier,cls", [
    ("mae", metrics.MeanAbsoluteError), ("mse", metrics.MeanSquaredError),
    ("binary_accuracy", metrics.BinaryAccuracy), ("AUC", metrics.AUC),
    ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
])
def test_other_strings_keep_the_string_as_name(identifier, cls):
    m = resolve_metric(identifier, z(2, 1), z(2, 1))
    assert type(m) is cls and m.name == identifier


def test_instances_classes_functions_and_dicts():
    mine = metrics.Precision(name="prec")
    assert resolve_metric(mine, z(2, 1), z(2, 1)) is mine and mine.name == "prec"
    assert resolve_metric(metrics.AUC, z(2, 1), z(2, 1)).name == "auc"
    wrapped = resolve_metric(metrics.mean_squared_error, z(2, 1), z(2, 1))
    assert type(wrapped) is metrics.MeanMetricWrapper and wrapped.name == "mean_squared_error"

    def MyScore(y_true, y_pred):
        return np.abs(y_true - y_pred).mean(-1)

    m = resolve_metric(MyScore, z(2, 1), z(2, 1))
    assert m.name == "my_score"
    assert float(m(np.array([[1.0], [3.0]]), np.array([[0.0], [0.0]]))) == 2.0
    assert resolve_metric(lambda t, p: t, z(2, 1), z(2, 1)).name == "lambda"
    d = metrics.serialize(metrics.Recall(name="rec"))
    assert resolve_metric(d, z(2, 1), z(2, 1)).name == "rec"


def test_target_kind():
    assert target_kind(z(4, 1), z(4, 1)) == (True, False)
    assert target_kind(z(4), z(4, 3)) == (False, True)
    assert target_kind(z(4, 3), z(4, 3)) == (False, False)


def test_check_metric_identifier_accepts_and_rejects():
    for ok in ["acc", "accuracy", "ce", "mae", "AUC", metrics.AUC, metrics.AUC(), len,
               {"class_name": "Mean", "config": {}}]:
        assert check_metric_identifier(ok) is ok
    with pytest.raises(ValueError, match="Did you mean 'accuracy'"):
        check_metric_identifier("accuarcy")
    with pytest.raises(ValueError, match="None"):
        check_metric_identifier(None)
    with pytest.raises(TypeError, match="Unsupported metric"):
        check_metric_identifier(3.5)
    with pytest.raises(TypeError, match="not a keras.metrics.Metric"):
        check_metric_identifier(dict)
    with pytest.raises(TypeError, match="class_name"):
        check_metric_identifier({"config": {}})
    with pytest.raises(ValueError, match="Unknown metric"):
        resolve_metric("accuarcy", z(2, 1), z(2, 1))
