"""`keras.Function`: runs the recorded graph between symbolic inputs and outputs."""

import numpy as np
import pytest

import nanokeras as keras


def test_runs_layers_and_ops_in_dependency_order():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    dense = keras.layers.Dense(2, kernel_initializer="ones")
    h = dense(a) + dense(b)  # a shared layer
    out = {"sum": h, "exp": keras.ops.exp(h)}
    fn = keras.Function({"a": a, "b": b}, out)
    x = {"a": np.ones((4, 3), "float32"), "b": np.full((4, 3), 2.0, "float32")}
    result = fn(x)
    np.testing.assert_allclose(result["sum"], np.full((4, 2), 9.0))
    np.testing.assert_allclose(result["exp"], np.exp(np.full((4, 2), 9.0)), rtol=1e-6)
    assert [type(op).__name__ for op in fn.operations] == ["Dense", "Add", "Exp"]


def test_intermediate_tensors_can_be_inputs():
    x = keras.Input((2,))
    h = keras.layers.Dense(2, kernel_initializer="ones", use_bias=False)(x)
    y = h * 3.0
    fn = keras.Function(h, y)
    np.testing.assert_allclose(fn(np.ones((1, 2), "float32")), [[3.0, 3.0]])


def test_gradients_flow_through_a_function():
    x = keras.Input((2,))
    layer = keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)
    fn = keras.Function(x, keras.ops.square(layer(x)))
    with keras.GradientTape() as tape:
        y = keras.ops.sum(fn(np.array([[1.0, 2.0]], "float32")))
    np.testing.assert_allclose(tape.gradient(y, layer.kernel), [[6.0], [12.0]])


def test_bad_arguments_are_explained():
    x = keras.Input((2,))
    other = keras.Input((2,))
    with pytest.raises(TypeError, match="must be a KerasTensor"):
        keras.Function(x, np.ones(2))
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Function(x, x + other)
    fn = keras.Function([x, other], x + other)
    with pytest.raises(ValueError, match="takes 2 inputs"):
        fn(np.ones((1, 2)))
