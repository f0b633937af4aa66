"""`keras.Operation`: user-defined ops, called on data and on symbolic tensors (in functional models)."""

import numpy as np
import pytest

import nanokeras as keras


class ScaleAndShift(keras.Operation):
    def __init__(self, scale, name=None):
        super().__init__(name=name)
        self.scale = scale

    def call(self, x, shift=0.0):
        return keras.ops.add(keras.ops.multiply(x, self.scale), shift)


class Split(keras.Operation):
    def call(self, x):
        return x[:, :1], x[:, 1:]

    def compute_output_spec(self, x):
        return (keras.KerasTensor((x.shape[0], 1), x.dtype), keras.KerasTensor((x.shape[0], x.shape[1] - 1), x.dtype))


def test_an_operation_computes_on_data_and_is_differentiable():
    op = ScaleAndShift(3.0)
    assert op(np.array([1.0, 2.0]), shift=1.0).tolist() == [4.0, 7.0]
    assert op.name == "scale_and_shift" and ScaleAndShift(1.0).name == "scale_and_shift_1"
    w = keras.Variable([2.0])
    with keras.GradientTape() as tape:
        y = op(w)
    assert tape.gradient(y, w).tolist() == [3.0]


def test_an_operation_in_a_functional_model():
    inputs = keras.Input((3,))
    first, rest = Split()(inputs)
    assert first.shape == (None, 1) and rest.shape == (None, 2)
    outputs = keras.layers.Dense(1)(ScaleAndShift(2.0)(rest, shift=1.0))
    model = keras.Model(inputs, [first, outputs])
    assert len(model.layers) == 2  # the input and the Dense layer: operations are steps, not layers
    a, b = model.predict(np.arange(6.0).reshape(2, 3), verbose=0)
    assert a.tolist() == [[0.0], [3.0]] and b.shape == (2, 1)
    with pytest.raises(NotImplementedError, match="cannot be saved"):
        ScaleAndShift(1.0).get_config()


def test_an_operation_without_call_says_so():
    with pytest.raises(NotImplementedError, match="must define `call`"):
        keras.Operation()(np.ones(2))
