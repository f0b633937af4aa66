"""metrics.get, serialize and deserialize."""

import numpy as np
import pytest

from nanokeras import metrics


@pytest.mark.parametrize("identifier,cls", [
    ("mse", metrics.MeanSquaredError), ("MSE", metrics.MeanSquaredError),
    ("mae", metrics.MeanAbsoluteError), ("mape", metrics.MeanAbsolutePercentageError),
    ("msle", metrics.MeanSquaredLogarithmicError), ("bce", metrics.BinaryCrossentropy),
    ("accuracy", metrics.Accuracy), ("binary_accuracy", metrics.BinaryAccuracy),
    ("BinaryAccuracy", metrics.BinaryAccuracy), ("auc", metrics.AUC), ("AUC", metrics.AUC),
    ("sparse_top_k_categorical_accuracy", metrics.SparseTopKCategoricalAccuracy),
    ("categorical_crossentropy", metrics.CategoricalCrossentropy),
    ("root_mean_squared_error", metrics.RootMeanSquaredError),
])
def test_get_strings_give_fresh_instances(identifier, cls):
    a, b = metrics.get(identifier), metrics.get(identifier)
    assert type(a) is cls and a is not b


def test_get_other_identifiers():
    m = metrics.Mean(name="m")
    assert metrics.get(m) is m
    assert metrics.get(metrics.mean_squared_error) is metrics.mean_squared_error
    assert isinstance(metrics.get(metrics.AUC), metrics.AUC)
    assert metrics.get(None) is None
    got = metrics.get({"class_name": "BinaryAccuracy", "config": {"threshold": 0.2, "name": "b"}})
    assert (got.threshold, got.name) == (0.2, "b")


def test_get_unknown_name_suggests_closest():
    with pytest.raises(ValueError, match="Did you mean 'accuracy'"):
        metrics.get("accuarcy")
    with pytest.raises(ValueError, match="(?i)Did you mean 'mse'"):
        metrics.get("msee")
    with pytest.raises(TypeError, match="Could not interpret"):
        metrics.get(3)


def test_serialize_round_trip():
    m = metrics.AUC(curve="PR", num_thresholds=20, name="pr")
    config = metrics.serialize(m)
    assert config["class_name"] == "AUC" and config["module"] == "keras.metrics"
    clone = metrics.deserialize(config)
    assert isinstance(clone, metrics.AUC) and clone.get_config() == m.get_config()
    assert metrics.serialize(metrics.binary_accuracy)["config"] == "binary_accuracy"
    assert metrics.deserialize(metrics.serialize(metrics.binary_accuracy)) is metrics.binary_accuracy
    assert isinstance(metrics.deserialize("mse"), metrics.MeanSquaredError)


def test_deserialize_custom_objects_and_errors():
    class Mine(metrics.Mean):
        pass

    got = metrics.deserialize({"class_name": "Mine", "config": {"name": "x"}}, custom_objects={"Mine": Mine})
    assert isinstance(got, Mine) and got.name == "x"
    with pytest.raises(ValueError, match="Unknown metric"):
        metrics.deserialize({"class_name": "Nope", "config": {}})
    with pytest.raises(TypeError, match="class_name"):
        metrics.deserialize(42)
    with pytest.raises(TypeError, match="serialize"):
        metrics.serialize(object())


def test_deserialized_metric_works():
    m = metrics.deserialize(metrics.serialize(metrics.SparseCategoricalAccuracy()))
    assert float(m([1], np.array([[0.2, 0.8]], "float32"))) == 1.0
