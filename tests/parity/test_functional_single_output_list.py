"""Parity with real Keras 3.15: a functional model with `outputs=[x]` (a one-element list or
tuple) returns the array itself from a call, `predict` and `predict_on_batch`."""

import numpy as np
import pytest

import nanokeras as nk


@pytest.mark.parametrize("wrap", [list, tuple])
def test_one_element_output_structure_runs_to_one_array(keras, wrap):
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    results = []
    for lib in (keras, nk):
        inputs = lib.Input((3,))
        model = lib.Model(inputs, wrap([lib.layers.Dense(2, kernel_initializer="ones")(inputs)]))
        results.append([model.predict(x, verbose=0), model.predict_on_batch(x), model(x)])
    for theirs, ours in zip(*results):
        assert not isinstance(ours, (list, tuple))
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-6)
