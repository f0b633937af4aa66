"""float16 inputs to running sums and variances are accumulated in float32 and rounded back to
float16, as Keras does: float16 accumulation loses whole units past 2048."""

import numpy as np

import nanokeras as keras
from nanokeras import ops


def test_cumsum_of_float16_ones_counts_past_2048():
    out = ops.cumsum(np.ones(5000, "float16"))
    assert out.dtype == np.float16 and float(out[-1]) == 5000.0 and float(out[2999]) == 3000.0


def test_var_and_std_of_float16_are_float16_computed_in_float32():
    x = np.array([1.0, 2.0, 3.0, 4.0], "float16")
    assert ops.var(x).dtype == np.float16 and float(ops.var(x)) == 1.25
    assert float(ops.std(x)) == np.float16(np.sqrt(1.25))
    big = np.array([0.0, 200.0], "float16")  # squares (40000) near float16's limit; mean of squares fine
    assert float(ops.var(big)) == 10000.0


def test_float16_var_and_cumsum_gradients_are_float16():
    v = keras.Variable(np.array([1.0, 2.0, 4.0], "float16"))
    with keras.GradientTape() as tape:
        y = ops.add(ops.var(v), ops.sum(ops.cumsum(v)))
    g = tape.gradient(y, v)
    assert g.dtype == np.float16
    # d var/dx_i = 2 (x_i - mean) / n; d sum(cumsum)/dx_i = n - i
    mean = 7.0 / 3.0
    np.testing.assert_allclose(g.astype("float64"), [2 * (x - mean) / 3 + k for x, k in zip([1, 2, 4], [3, 2, 1])],
                               rtol=2e-3)


def test_sum_of_float16_along_a_strided_axis_counts_past_2048():
    out = ops.sum(np.ones((3000, 2), "float16"), axis=0)
    assert out.dtype == np.float16 and out.tolist() == [3000.0, 3000.0]
    v = keras.Variable(np.ones((3000, 2), "float16"))
    with keras.GradientTape() as tape:
        y = ops.sum(ops.sum(v, axis=0))
    assert float(y) == 6000.0 and tape.gradient(y, v).dtype == np.float16


def test_cumprod_of_float16_multiplies_in_float32():
    x = np.full(3000, 1.001, "float16")  # 1.0009766 in float16
    out = ops.cumprod(x)
    assert out.dtype == np.float16
    expected = np.float16(np.exp(3000 * np.log(np.float64(x[0]))))  # 18.69; float16 products drift to 14.9
    assert abs(float(out[-1]) - float(expected)) <= 0.02
