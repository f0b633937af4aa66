"""Operators on variables against real Keras 3: values and dtypes of `==`, `!=`, `%`, `//`,
`&`, `|`, `^`, `~` and `round`."""

import numpy as np
import pytest

import nanokeras as nk

_CASES = [
    (6, lambda v: v == 6), (6, lambda v: v != 6), (6, lambda v: v % 4), (6, lambda v: v // 4),
    (6, lambda v: 13 % v), (6, lambda v: 13 // v), (True, lambda v: v & False), (True, lambda v: v | False),
    (True, lambda v: v ^ True), (True, lambda v: ~v), (np.int32(5), lambda v: ~v),
    (2.567, lambda v: round(v, 1)), ([6.0, 3.0], lambda v: v == 6), ([-7.5, 7.5], lambda v: v % 2),
    ([-7.5, 7.5], lambda v: v // 2), ([6.0, 3.0], lambda v: 6 != v),
]


@pytest.mark.parametrize("case", range(len(_CASES)))
def test_variable_operator_matches_keras(keras, case):
    value, fn = _CASES[case]
    ours = np.asarray(fn(nk.Variable(np.array(value))))
    theirs = np.asarray(fn(keras.Variable(np.array(value))))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert ours.dtype.kind == theirs.dtype.kind


@pytest.mark.parametrize("dtype", ["float16", "float32", "int32", "uint8", "bool"])
def test_variable_dtype_follows_its_value_as_keras(keras, dtype):
    value = np.ones(3, dtype)
    assert str(nk.Variable(value).dtype) == str(keras.Variable(value).dtype)


def test_float16_variable_trained_by_adam_as_keras(keras):
    rng = np.random.default_rng(0)
    start, grads = rng.normal(size=(3, 2)).astype("float16"), rng.normal(size=(2, 3, 2)).astype("float16")
    ours, theirs = nk.Variable(start), keras.Variable(start)
    opt_n, opt_k = nk.optimizers.Adam(0.01, epsilon=1e-3), keras.optimizers.Adam(0.01, epsilon=1e-3)
    for g in grads:
        opt_n.apply_gradients([(g, ours)])
        opt_k.apply_gradients([(g, theirs)])
    assert ours.dtype == "float16" and [str(v.dtype) for v in opt_n.variables] == [str(v.dtype) for v in opt_k.variables]
    np.testing.assert_allclose(ours.numpy(), np.asarray(theirs.value), rtol=1e-3, atol=1e-3)
