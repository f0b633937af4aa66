"""Mean, Sum, MeanMetricWrapper and the Metric base against hand-computed values."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import metrics


def test_mean_accumulates_over_calls_and_resets():
    m = metrics.Mean()
    m.update_state([1, 3, 5, 7])
    m.update_state(2.0)
    assert m.result() == pytest.approx(18 / 5)
    assert m.result().dtype == np.float32
    m.reset_state()
    assert float(m.result()) == 0.0
    m.update_state([4.0])
    assert float(m.result()) == 4.0


def test_mean_with_sample_weight():
    m = metrics.Mean()
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert float(m.result()) == 2.0
    m.update_state([[1, 3], [5, 7]], sample_weight=[1, 3])  # per-sample means 2 and 6
    assert float(m.result()) == pytest.approx((4 + 2 + 18) / 6)
    assert float(m.count.numpy()) == 6.0


def test_mean_of_rank_2_values_averages_each_sample():
    m = metrics.Mean()
    m.update_state(np.array([[1.0, 3.0], [5.0, 9.0]]))
    assert float(m.result()) == 4.5
    assert float(m.count.numpy()) == 2.0


def test_sum_with_and_without_weights():
    m = metrics.Sum()
    m.update_state([1, 3, 5, 7])
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert float(m.result()) == 20.0
    m.reset_state()
    assert float(m.result()) == 0.0


def test_call_updates_then_returns_result():
    m = metrics.Mean()
    assert float(m([2.0, 4.0])) == 3.0
    assert float(m([6.0])) == 4.0


def test_state_is_float32_and_accumulates_like_float32():
    m = metrics.Sum()
    for _ in range(3):
        m.update_state(np.float32(0.1))
    expected = np.float32(0)
    for _ in range(3):
        expected = np.float32(expected + np.float32(0.1))
    assert m.result() == expected
    assert m.total.value.dtype == np.float32


def test_variables_are_non_trainable_and_named_by_path():
    m = metrics.Mean(name="loss")
    assert [v.path for v in m.variables] == ["loss/total", "loss/count"]
    assert not any(v.trainable for v in m.variables)
    assert all(isinstance(v, keras.Variable) for v in m.variables)


def test_default_names_and_uniquified_auto_names():
    assert metrics.Mean().name == "mean"
    assert metrics.Mean().name == "mean"  # explicit default names are not made unique
    assert metrics.AUC().name == "auc"
    assert metrics.AUC().name == "auc_1"


def test_mean_metric_wrapper_passes_kwargs_and_weights():
    m = metrics.MeanMetricWrapper(lambda t, p, scale: scale * np.abs(np.asarray(t) - np.asarray(p)),
                                  name="l1", scale=2.0)
    m.update_state([0.0, 1.0], [0.5, 1.0], sample_weight=[1.0, 3.0])
    assert m.name == "l1"
    assert float(m.result()) == pytest.approx(1.0 / 4)


def test_mean_metric_wrapper_config_round_trip():
    m = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="acc", threshold=0.3)
    config = m.get_config()
    assert config["threshold"] == 0.3 and config["fn"]["config"] == "binary_accuracy"
    clone = metrics.MeanMetricWrapper.from_config(config)
    assert float(clone([[1]], [[0.4]])) == 1.0


def test_rejected_update_changes_no_state():
    m = metrics.Mean()
    m.update_state([1.0, 2.0])
    with pytest.raises(ValueError, match="sample_weight"):
        m.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 2.0])
    assert float(m.result()) == 1.5
    acc = metrics.CategoricalAccuracy()
    with pytest.raises(ValueError, match="categorical_accuracy"):
        acc.update_state(np.eye(3)[:2], np.eye(3)[:3])
    assert float(acc.count.numpy()) == 0.0


def test_subclass_without_super_init_is_explained():
    class Broken(metrics.Metric):
        def __init__(self):
            self.v = self.add_variable((), "zeros")

    with pytest.raises(RuntimeError, match="super"):
        Broken()


def test_custom_subclass():
    class Positives(metrics.Metric):
        def __init__(self, name="positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.count = self.add_variable((), "zeros", name="count")

        def update_state(self, values):
            self.count.assign_add(np.sum(np.asarray(values) > 0))

        def result(self):
            return self.count.numpy()

    m = Positives()
    assert float(m([1, -2, 3])) == 2.0
    m.reset_state()
    assert float(m.result()) == 0.0
    assert m.get_config() == {"name": "positives", "dtype": "float32"}


def test_name_must_be_a_string():
    with pytest.raises(TypeError, match="name"):
        metrics.Mean(name=3)


def test_weighted_mean_and_sum_of_masked_values_leave_out_the_masked_steps():
    from nanokeras.backend.masking import set_keras_mask

    values = np.array([[1.0, 2.0, 9.0], [4.0, 9.0, 9.0]], "float32")
    mask = np.array([[True, True, False], [True, False, False]])
    weights = np.array([[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]], "float32")
    set_keras_mask(values, mask)
    m = metrics.Mean()
    m.update_state(values, sample_weight=weights)
    assert float(m.result()) == (1 + 2 + 2 * 4) / (1 + 1 + 2)  # the 9s are masked out
    s = metrics.Sum()
    s.update_state(values, sample_weight=weights)
    assert float(s.result()) == 1 + 2 + 2 * 4
    unweighted = metrics.Mean()
    unweighted.update_state(values)  # as Keras: without weights the mask is not applied
    assert float(unweighted.result()) == pytest.approx(34 / 6)


def test_mean_metric_wrapper_of_a_builtin_loss_goes_down():
    assert keras.metrics.MeanMetricWrapper(keras.losses.mean_squared_error)._direction == "down"
    assert keras.metrics.MeanMetricWrapper(keras.losses.Huber())._direction == "down"
    assert not hasattr(keras.metrics.MeanMetricWrapper(lambda t, p: t - p), "_direction")
