"""relu6 of integers and bools computes in floatx() and hard_tanh of bools gives int32, as Keras's
eager ops do (both in keras.ops and keras.activations)."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.ops.tape import GradientTape


@pytest.mark.parametrize("fn", [keras.ops.relu6, keras.activations.relu6])
@pytest.mark.parametrize("dtype", ["int8", "int32", "int64", "uint8", "bool"])
def test_relu6_of_integers_and_bools_is_float32(fn, dtype):
    x = np.array([-3, 0, 2, 9]).astype(dtype) if dtype != "bool" else np.array([True, False, True, True])
    out = np.asarray(fn(x))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.clip(x.astype("float64"), 0, 6))


def test_relu6_keeps_float_dtypes_and_its_gradient():
    assert keras.ops.relu6(np.array([7.0], "float16")).dtype == np.float16
    x = keras.Variable(np.array([-1.0, 3.0, 7.0], "float32"))
    with GradientTape() as tape:
        y = keras.ops.sum(keras.ops.relu6(x))
    np.testing.assert_array_equal(np.asarray(tape.gradient(y, x)), [0.0, 1.0, 0.0])


@pytest.mark.parametrize("fn", [keras.ops.hard_tanh, keras.activations.hard_tanh])
def test_hard_tanh_of_bools_is_int32(fn):
    for x in (np.array([True, False]), [True, False]):
        out = np.asarray(fn(x))
        assert out.dtype == np.int32
        assert out.tolist() == [1, 0]
    assert np.asarray(fn(np.array([-5, 4], "int8"))).dtype == np.int8  # integers keep theirs
