"""Result dtypes of binary ops and small-integer sums against real Keras (32-bit cases: Keras on
JAX has no 64-bit types)."""

import numpy as np
import pytest

import nanokeras as nk

I32 = np.array([1, 2, 3], "int32")
F32 = np.array([0.5, 1.5, 2.5], "float32")
B = np.array([True, False, True])

CASES = [
    ("add", (I32, F32)), ("subtract", (F32, I32)), ("multiply", (I32, 1.5)), ("divide", (I32, I32)),
    ("divide", (I32, 2)), ("power", (I32, 0.5)), ("power", (I32, 2)), ("mod", (I32, 2.0)), ("maximum", (I32, F32)),
    ("minimum", (I32, 0.5)), ("matmul", (I32.reshape(1, 3), F32.reshape(3, 1))), ("dot", (I32, F32)),
    ("where", (B, I32, F32)), ("sum", (B,)), ("cumsum", (B,)), ("sum", (np.array([1, 2], "int8"),)),
    ("add", (np.array([1], "uint8"), np.array([1], "int8"))), ("true_divide", (F32, I32)),
    # Two Python numbers; Python ints outside an integer array's range; clip by Python floats; einsum.
    ("add", (1, 2)), ("add", (1, 2.5)), ("divide", (1, 2)), ("multiply", (2.0, 3.0)),
    ("multiply", (np.array([228, 95], "uint8"), -1)), ("add", (np.array([228, 95], "uint8"), 300)),
    ("subtract", (5, np.array([228, 95], "uint8"))), ("add", (np.array([1], "int8"), 200)),
    ("clip", (np.array([0, 3, -4], "int32"), -2.5, 2.5)), ("clip", (np.array([True, False]), 0, 1)),
    ("einsum", ("ij,jk->ik", np.ones((2, 3), "int32"), np.ones((3, 2), "float16"))),
    ("einsum", ("ij->j", np.ones((2, 2), "int8"))),
    ("einsum", ("ij,jk->ik", np.ones((2, 2), "int8"), np.ones((2, 2), "uint8"))),
]


@pytest.mark.parametrize("name, args", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_dtypes_and_values_as_keras(keras, name, args):
    theirs = np.asarray(getattr(keras.ops, name)(*args))
    ours = np.asarray(getattr(nk.ops, name)(*args))
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_integer_to_negative_power_error_type_as_keras(keras):
    with pytest.raises(TypeError):
        keras.ops.power(np.array([2, 3], "int32"), -1)
    with pytest.raises(TypeError):
        nk.ops.power(np.array([2, 3], "int32"), -1)
