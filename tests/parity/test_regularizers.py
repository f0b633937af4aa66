"""Regularizer values and gradients, and constraint outputs, against real Keras 3."""

import numpy as np
import pytest

from nanokeras import constraints, regularizers
from nanokeras import GradientTape, Variable

RNG = np.random.default_rng(7)
W = RNG.normal(size=(5, 4)).astype("float32")
W3 = RNG.normal(size=(2, 3, 4)).astype("float32")

REGULARIZERS = [
    ("L1", {"l1": 0.3}), ("L2", {}), ("L2", {"l2": 0.25}), ("L1L2", {"l1": 0.1, "l2": 0.2}),
    ("L1L2", {"l2": 0.5}), ("OrthogonalRegularizer", {"factor": 0.2}),
    ("OrthogonalRegularizer", {"factor": 0.3, "mode": "columns"}),
]


def keras_value_and_grad(keras, reg, w):
    import jax

    value, grad = jax.value_and_grad(lambda x: reg(x))(w)
    return float(value), np.asarray(grad)


@pytest.mark.parametrize("name,kwargs", REGULARIZERS)
def test_regularizer_value_and_gradient(keras, name, kwargs):
    ours = getattr(regularizers, name)(**kwargs)
    theirs = getattr(keras.regularizers, name)(**kwargs)
    value, grad = keras_value_and_grad(keras, theirs, W)
    v = Variable(W)
    with GradientTape() as tape:
        loss = ours(v)
    assert float(loss) == pytest.approx(value, rel=1e-5)
    np.testing.assert_allclose(tape.gradient(loss, v), grad, rtol=1e-4, atol=1e-6)
    assert ours.get_config() == theirs.get_config()
    assert regularizers.serialize(ours) == keras.regularizers.serialize(theirs)


@pytest.mark.parametrize("name", ["l1", "l2", "L1L2", "l1l2", "orthogonal_regularizer"])
def test_string_identifiers(keras, name):
    assert regularizers.get(name).get_config() == keras.regularizers.get(name).get_config()


CONSTRAINTS = [
    ("MaxNorm", {}), ("MaxNorm", {"max_value": 1.0, "axis": 1}), ("NonNeg", {}), ("UnitNorm", {}),
    ("UnitNorm", {"axis": [0, 1]}), ("MinMaxNorm", {}), ("MinMaxNorm", {"min_value": 1.5, "max_value": 2.5, "rate": 0.6}),
    ("MaxNorm", {"max_value": 1.0, "axis": [0, 1]}),
]


@pytest.mark.parametrize("name,kwargs", CONSTRAINTS)
def test_constraint_outputs(keras, name, kwargs):
    w = W3 if isinstance(kwargs.get("axis"), list) else W
    expected = np.asarray(getattr(keras.constraints, name)(**kwargs)(w))
    got = np.asarray(getattr(constraints, name)(**kwargs)(Variable(w)))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-7)
    assert got.dtype == expected.dtype
    assert constraints.serialize(getattr(constraints, name)(**kwargs)) == keras.constraints.serialize(
        getattr(keras.constraints, name)(**kwargs)
    )
