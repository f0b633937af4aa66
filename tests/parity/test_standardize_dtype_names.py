"""`keras.backend.standardize_dtype` and Python types given as `dtype`, against real Keras."""

import numpy as np
import pytest

import nanokeras as nk


@pytest.mark.parametrize("given", [None, "float16", np.int8, np.dtype("uint8"), float, int, "int", bool, "bool"])
def test_standardize_dtype_as_keras(keras, given):
    assert nk.backend.standardize_dtype(given) == keras.backend.standardize_dtype(given)
    assert type(nk.utils.standardize_dtype(given)) is type(keras.utils.standardize_dtype(given))


@pytest.mark.parametrize("make", [
    lambda lib, dt: lib.ops.zeros((2,), dtype=dt), lambda lib, dt: lib.ops.full((2,), 1, dtype=dt),
    lambda lib, dt: lib.ops.cast(np.array([1.5, -2.5], "float32"), dt), lambda lib, dt: lib.ops.one_hot(np.array([0, 1]), 2, dtype=dt),
    lambda lib, dt: lib.ops.eye(2, dtype=dt), lambda lib, dt: lib.ops.convert_to_tensor([1, 2], dtype=dt),
])
@pytest.mark.parametrize("dtype", [float, int, bool])
def test_python_types_as_dtype_as_keras(keras, make, dtype):
    theirs, ours = np.asarray(make(keras, dtype)), np.asarray(make(nk, dtype))
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("make", [
    lambda lib: lib.backend.standardize_dtype("float"), lambda lib: lib.ops.cast(np.array([1.5]), "float"),
    lambda lib: lib.ops.convert_to_tensor([1], dtype="float"), lambda lib: lib.Variable(np.ones(2), dtype="float"),
])
def test_the_bare_name_float_is_refused_as_in_keras(keras, make):
    with pytest.raises(ValueError, match="Invalid dtype"):
        make(keras)
    with pytest.raises(ValueError, match="Invalid dtype"):
        make(nk)
