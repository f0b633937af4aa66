"""AUC and R2Score keep their state and result in float32 whatever `dtype` says, as Keras does
(the metric's `dtype` stays the one given)."""

import numpy as np
import pytest

import nanokeras as keras


def _auc(**kwargs):
    m = keras.metrics.AUC(dtype="float16", **kwargs)
    m.update_state([0, 1, 1, 0], [0.2, 0.8, 0.4, 0.6])
    return m


def _r2():
    m = keras.metrics.R2Score(dtype="float16")
    m.update_state(np.array([[0.0], [1.0], [3.0]]), np.array([[0.2], [0.8], [2.5]]))
    return m


@pytest.mark.parametrize("make", [_auc, lambda: _auc(curve="PR"), lambda: _auc(summation_method="minoring"), _r2])
def test_state_and_result_stay_float32(make):
    m = make()
    assert m.dtype == "float16"
    assert [v.dtype for v in m.variables] == ["float32"] * len(m.variables)
    assert m.result().dtype == np.float32


def test_unbuilt_results_are_float32():
    assert keras.metrics.R2Score(dtype="float16").result().dtype == np.float32
    assert keras.metrics.AUC(dtype="float16", multi_label=True).result().dtype == np.float32


def test_r2_value_is_unchanged_by_the_dtype():
    m = _r2()
    ref = keras.metrics.R2Score()
    ref.update_state(np.array([[0.0], [1.0], [3.0]]), np.array([[0.2], [0.8], [2.5]]))
    np.testing.assert_allclose(float(m.result()), float(ref.result()), rtol=1e-3)
