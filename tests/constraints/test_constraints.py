import numpy as np
import pytest

import nanokeras as keras
from nanokeras import constraints

W = np.array([[3.0, 0.1, -1.0], [4.0, 0.0, 1.0]], dtype="float32")


def test_max_norm_rescales_only_large_columns():
    out = np.asarray(constraints.MaxNorm(2.0)(W))
    norms = np.linalg.norm(out, axis=0)
    np.testing.assert_allclose(norms, [2.0, 0.1, np.sqrt(2)], rtol=1e-5)
    assert out.dtype == np.float32


def test_unit_norm_and_axis_list():
    out = np.asarray(constraints.UnitNorm(axis=1)(W))
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)
    w3 = np.arange(24, dtype="float32").reshape(2, 3, 4)
    out3 = np.asarray(constraints.UnitNorm(axis=[0, 1])(w3))
    np.testing.assert_allclose(np.sqrt((out3 ** 2).sum(axis=(0, 1))), 1.0, rtol=1e-5)


def test_min_max_norm_and_rate():
    out = np.asarray(constraints.MinMaxNorm(min_value=1.0, max_value=2.0)(W))
    np.testing.assert_allclose(np.linalg.norm(out, axis=0), [2.0, 1.0, np.sqrt(2)], rtol=1e-4)
    half = np.asarray(constraints.MinMaxNorm(0.0, 1.0, rate=0.5)(W[:, :1]))
    np.testing.assert_allclose(np.linalg.norm(half), 3.0, rtol=1e-5)  # 0.5*1 + 0.5*5


def test_non_neg():
    np.testing.assert_array_equal(constraints.NonNeg()(W), np.maximum(W, 0))


def test_get_serialize():
    assert constraints.get(None) is None
    assert constraints.get("max_norm").get_config() == {"max_value": 2, "axis": 0}
    assert isinstance(constraints.get("NonNeg"), constraints.NonNeg)
    assert isinstance(constraints.get(constraints.UnitNorm), constraints.UnitNorm)
    c = constraints.MinMaxNorm(0.5, 3.0, 0.7, axis=1)
    again = constraints.deserialize(constraints.serialize(c))
    assert type(again) is constraints.MinMaxNorm and again.get_config() == c.get_config()
    with pytest.raises(ValueError, match="Did you mean 'non_neg'"):
        constraints.get("non_negg")
    with pytest.raises(ValueError, match="Could not interpret"):
        constraints.get(1.5)


def test_optimizer_applies_constraint_after_each_update():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_constraint="non_neg",
                                                                   kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(10.0), "mse")
    x = np.ones((4, 2), "float32")
    y = np.full((4, 1), -100.0, "float32")  # pushes the kernel far below zero
    model.fit(x, y, epochs=2, verbose=0)
    assert np.all(model.layers[0].kernel.numpy() >= 0)
