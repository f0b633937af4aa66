"""`all_finite`, the data check `fit` runs on float inputs, answers as `np.isfinite(a).all()` does
for arrays bigger than one of its slices, wherever the bad value sits."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.trainers import data_adapter
from nanokeras.trainers.data_adapter import all_finite


@pytest.mark.parametrize("shape", [(7,), (200_001,), (3000, 50), (70_000, 3), (40, 50, 70), (5, 100_000)])
@pytest.mark.parametrize("bad", [None, np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_same_answer_as_isfinite_all(shape, bad, where):
    array = np.zeros(shape, "float32")
    if bad is not None:
        flat_index = {"first": 0, "middle": array.size // 2, "last": array.size - 1}[where]
        array[np.unravel_index(flat_index, shape)] = bad
    assert all_finite(array) is bool(np.isfinite(array).all())


def test_strided_views():
    base = np.zeros((4000, 60), "float64")
    base[3999, 1] = np.nan
    assert all_finite(base[:, ::2]) is True      # the NaN is in a column the view skips
    assert all_finite(base[:, 1::2]) is False
    assert all_finite(base.T) is False


def test_fit_refuses_a_nan_in_the_last_row_of_a_big_array():
    assert data_adapter._FINITE_CHECK_VALUES < 5000 * 20  # the data spans several slices
    x = np.zeros((5000, 20), "float32")
    x[-1, -1] = np.nan
    model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match=r"1 non-finite value\(s\).*index \(4999, 19\)"):
        model.fit(x, np.zeros((5000, 1), "float32"), verbose=0)
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)
