"""Variable: numpy interoperability and assignment checks."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops


def test_numpy_interop():
    w = keras.Variable(np.array([[1.0, 2.0], [3.0, 4.0]]), name="kernel")
    a = np.asarray(w)
    assert a.dtype == np.float32 and a.tolist() == [[1, 2], [3, 4]]
    a[0, 0] = 100  # a copy: the variable must not change
    assert w.numpy()[0, 0] == 1.0
    x = np.array([10.0, 20.0], "float32")
    np.testing.assert_allclose(w[0] * x, [10.0, 40.0])
    np.testing.assert_allclose(x - w, [[9, 18], [7, 16]])  # ndarray on the left
    np.testing.assert_allclose(np.exp(w), np.exp(np.asarray(w)), rtol=1e-6)
    np.testing.assert_allclose(x @ w, [70.0, 100.0])
    assert w.shape == (2, 2) and w.ndim == 2 and w.size == 4 and len(w) == 2
    assert float(keras.Variable(2.5)) == 2.5
    assert (w > 2).tolist() == [[False, False], [True, True]]


def test_operators_inside_tape_are_differentiable():
    w = keras.Variable([1.0, 2.0])
    x = np.array([3.0, 4.0], "float32")
    with keras.GradientTape() as tape:
        y = ops.sum((x - w) ** 2 / 2.0 + abs(-w) + np.tanh(w))
    expected = -(x - np.array([1.0, 2.0])) + 1 + (1 - np.tanh([1.0, 2.0]) ** 2)
    np.testing.assert_allclose(tape.gradient(y, w), expected, rtol=1e-6)


def test_assign_checks_shape_and_leaves_value_on_error():
    v = keras.Variable(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(3, 2\).*shape \(2, 3\)"):
        v.assign(np.ones((3, 2)))
    assert v.numpy().sum() == 0
    v.assign(np.ones((2, 3)))
    v.assign_add(np.ones((2, 3)))
    v.assign_sub(0.5 * np.ones((2, 3)))
    np.testing.assert_allclose(v.numpy(), 1.5)


def test_dtype_rules():
    assert keras.Variable([1.0]).dtype == np.float32
    assert keras.Variable(np.array([1.0])).dtype == np.float32
    assert keras.Variable([1, 2]).dtype.kind == "i"
    assert keras.Variable([1.0], dtype="float64").dtype == np.float64
    with pytest.raises(ValueError, match="shape"):
        keras.Variable(lambda shape, dtype: np.zeros(shape, dtype))
