"""ops.normalize of all-zero rows: zeros in Keras and nanokeras (nanokeras without a RuntimeWarning)."""

import warnings

import numpy as np

import nanokeras as nk


def test_normalize_zero_rows(keras):
    x = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 2.0]], "float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = nk.ops.normalize(x)
    np.testing.assert_allclose(ours, np.asarray(keras.ops.normalize(x)), rtol=1e-6, atol=1e-7)
