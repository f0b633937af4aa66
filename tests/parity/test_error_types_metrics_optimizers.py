"""Bad identifiers, names and loss inputs raise errors that Keras's `except` clauses catch."""

import numpy as np
import pytest

import nanokeras as nk


@pytest.mark.parametrize("make", [
    lambda lib: lib.metrics.get(3),
    lambda lib: lib.optimizers.SGD(name=5),
    lambda lib: lib.losses.MeanSquaredError()(np.ones((2, 2), "float32"), np.ones((2, 2), "float32"), sample_weight="x"),
])
def test_error_caught_by_the_type_keras_raises(keras, make):
    with pytest.raises(Exception) as theirs:
        make(keras)
    with pytest.raises(type(theirs.value)):
        make(nk)
