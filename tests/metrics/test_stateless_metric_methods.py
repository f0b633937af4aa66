"""Metric.stateless_update_state / stateless_result / stateless_reset_state: a step from given
state values, returning the new ones, without changing the metric."""

import numpy as np
import pytest

import nanokeras as keras


def test_stateless_update_state_returns_new_state_and_leaves_the_metric_alone():
    m = keras.metrics.MeanSquaredError()
    state = [np.array(v) for v in m.variables]
    state = m.stateless_update_state(state, np.ones(4), np.zeros(4))  # squared errors 1: total 1, count 1
    state = m.stateless_update_state(state, np.ones(4), np.full(4, 3.0))  # squared errors 4
    assert [float(v) for v in state] == [5.0, 2.0]
    assert float(m.stateless_result(state)) == 2.5
    assert [float(v.numpy()) for v in m.variables] == [0.0, 0.0] and float(m.result()) == 0.0


def test_stateless_update_state_with_sample_weight_matches_update_state():
    y, p, w = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[0.2, 0.9], [0.4, 0.3]]), np.array([1.0, 3.0])
    stateful, stateless = keras.metrics.Precision(thresholds=[0.3, 0.6]), keras.metrics.Precision(thresholds=[0.3, 0.6])
    stateful.update_state(y, p, sample_weight=w)
    state = stateless.stateless_update_state([np.array(v) for v in stateless.variables], y, p, sample_weight=w)
    for ours, theirs in zip(state, stateful.variables):
        np.testing.assert_array_equal(ours, theirs.numpy())
    np.testing.assert_allclose(stateless.stateless_result(state), stateful.result())


def test_stateless_reset_state_gives_zeros_and_keeps_the_metric_state():
    m = keras.metrics.Mean()
    m.update_state([1.0, 2.0])
    assert [float(v) for v in m.stateless_reset_state()] == [0.0, 0.0]
    assert float(m.result()) == 1.5


def test_wrong_number_of_state_values_is_refused():
    m = keras.metrics.MeanSquaredError()
    with pytest.raises(ValueError, match="one for each of .* 2 variables"):
        m.stateless_update_state([np.zeros(())], np.ones(2), np.ones(2))
    with pytest.raises(TypeError, match="must be a list of arrays"):
        m.stateless_result(3)
