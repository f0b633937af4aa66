"""`keras.backend.standardize_dtype` returns the dtype's name, as Keras does, and Python's types
stand for Keras's 32-bit dtypes wherever a dtype is taken."""

import numpy as np
import pytest

import nanokeras as keras


@pytest.mark.parametrize("given, name", [
    (None, "float32"), ("float16", "float16"), (np.int8, "int8"), (np.dtype("uint8"), "uint8"),
    (float, "float32"), (int, "int32"), ("int", "int32"), (bool, "bool"), ("float64", "float64"),
])
def test_standardize_dtype_gives_keras_names(given, name):
    out = keras.backend.standardize_dtype(given)
    assert isinstance(out, str) and out == name
    assert keras.utils.standardize_dtype(given) == name


def test_an_unknown_dtype_name_is_refused():
    with pytest.raises(ValueError, match="Invalid dtype"):
        keras.backend.standardize_dtype("floaty")


def test_python_types_as_dtype_arguments_are_32_bit():
    assert keras.ops.zeros(2, dtype=float).dtype == np.float32  # numpy would make float64
    assert keras.ops.full((2,), 1, dtype=int).dtype == np.int32
    assert keras.ops.cast(np.array([1.5]), float).dtype == np.float32
    assert keras.ops.arange(3, dtype=int).dtype == np.int32


@pytest.mark.parametrize("make", [
    lambda: keras.backend.standardize_dtype("float"), lambda: keras.ops.zeros(2, dtype="float"),
    lambda: keras.ops.cast(np.array([1.5]), "float"), lambda: keras.Variable(np.ones(2), dtype="float"),
])
def test_the_bare_name_float_is_refused_not_read_as_float64(make):
    with pytest.raises(ValueError, match="Invalid dtype.*`dtype`.*'float32'"):
        make()
