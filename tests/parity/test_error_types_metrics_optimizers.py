"""Bad identifiers and names raise errors that Keras's `except` clauses catch."""

import pytest

import nanokeras as nk


@pytest.mark.parametrize("make", [
    lambda lib: lib.metrics.get(3),
    lambda lib: lib.optimizers.SGD(name=5),
])
def test_error_caught_by_the_type_keras_raises(keras, make):
    with pytest.raises(Exception) as theirs:
        make(keras)
    with pytest.raises(type(theirs.value)):
        make(nk)
