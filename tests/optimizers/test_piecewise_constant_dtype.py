"""PiecewiseConstantDecay returns its values' type, as Keras does: integer values stay integers."""

import numpy as np
import pytest

from nanokeras.optimizers.schedules import PiecewiseConstantDecay


@pytest.mark.parametrize("values, dtype", [
    ([3, 2, 1], "int32"), ([3, 2.5, 1], "float32"), ([3.0, 2, 1], "float32"), ([np.int64(3), 2, 1], "int32"),
    ([np.float64(3), 2, 1], "float32"), ([np.float16(3), 2, 1], "float16"), ([True, False, True], "bool"),
])
def test_result_has_the_values_type(values, dtype):
    schedule = PiecewiseConstantDecay([2, 5], values)
    for step, expected in [(1, values[0]), (3, values[1]), (9, values[2])]:
        out = schedule(step)
        assert out.dtype == dtype and out.shape == ()
        assert out == np.asarray(expected).astype(dtype)
