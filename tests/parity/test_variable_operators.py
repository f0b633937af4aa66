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
