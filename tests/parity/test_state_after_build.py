"""A layer creating a weight or a Dense in `call()`: ValueError in Keras and in nanokeras."""

import numpy as np
import pytest

import nanokeras as nk


def _layer(lib, kind):
    class WeightInCall(lib.layers.Layer):
        def call(self, x):
            return x * self.add_weight(shape=(3,), initializer="ones")

    class DenseInCall(lib.layers.Layer):
        def call(self, x):
            self.dense = lib.layers.Dense(2)
            return self.dense(x)

    return WeightInCall() if kind == "weight" else DenseInCall()


@pytest.mark.parametrize("kind", ["weight", "dense"])
def test_state_created_in_call_is_refused(keras, kind):
    for lib in (keras, nk):
        with pytest.raises(ValueError):
            _layer(lib, kind)(np.ones((2, 3), "float32"))
