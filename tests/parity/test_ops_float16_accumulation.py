"""float16 running sums and variances against real Keras (JAX), which accumulate beyond float16."""

import numpy as np
import pytest

import nanokeras as nk


@pytest.mark.parametrize("name, x, kwargs", [
    ("cumsum", np.ones(5000, "float16"), {}),
    ("var", np.random.default_rng(0).normal(size=(3, 40)).astype("float16"), {}),
    ("var", np.random.default_rng(1).normal(size=(3, 40)).astype("float16"), {"axis": 1}),
    ("std", np.random.default_rng(2).normal(size=(3, 40)).astype("float16"), {"axis": 0}),
    ("sum", np.ones((3000, 2), "float16"), {"axis": 0}),
    ("sum", np.random.default_rng(3).uniform(size=(500, 3)).astype("float16"), {"axis": 0}),
])
def test_float16_accumulation_as_keras(keras, name, x, kwargs):
    theirs = np.asarray(getattr(keras.ops, name)(x, **kwargs))
    ours = np.asarray(getattr(nk.ops, name)(x, **kwargs))
    assert ours.dtype == theirs.dtype == np.float16
    np.testing.assert_allclose(ours.astype("float32"), theirs.astype("float32"), rtol=1e-3)
