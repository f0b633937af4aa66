"""Mean and Sum of values that carry a mask (a Masking layer's output) against real Keras: the
mask zeroes the weights of padded steps when sample weights are given, and is ignored otherwise."""

import numpy as np
import pytest

import nanokeras as nk


@pytest.mark.parametrize("name", ["Mean", "Sum"])
@pytest.mark.parametrize("weighted", [False, True])
def test_masked_values_as_keras(keras, name, weighted):
    rng = np.random.default_rng(4)
    x = rng.uniform(size=(4, 5, 3)).astype("float32")
    x[rng.uniform(size=(4, 5)) > 0.6] = 0.0  # padded steps
    w = rng.uniform(0.5, 2, size=(4, 5)).astype("float32") if weighted else None
    results = []
    for lib in (keras, nk):
        m = getattr(lib.metrics, name)()
        m.update_state(lib.layers.Masking(0.0)(x), sample_weight=w)
        results.append(float(m.result()))
    np.testing.assert_allclose(results[1], results[0], rtol=1e-5)
