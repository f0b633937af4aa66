"""ops.normalize of an all-zero slice (the gradients of a dead filter in DLWP's filter visualization)
gives zeros without numpy's divide-by-zero RuntimeWarning."""

import warnings

import numpy as np

import nanokeras as keras


def test_zero_rows_normalize_to_zeros_without_warning():
    x = np.array([[0.0, 0.0, 0.0], [3.0, 4.0, 0.0]], "float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = keras.ops.normalize(x)
    np.testing.assert_allclose(result, [[0.0, 0.0, 0.0], [0.6, 0.8, 0.0]], rtol=1e-6)


def test_gradient_ascent_step_with_zero_gradients_keeps_the_image():
    image = np.full((1, 4, 4, 1), 0.5, "float32")
    grads = np.zeros_like(image)  # a filter that never fires
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        step = image + 10.0 * keras.ops.normalize(grads)
    np.testing.assert_allclose(step, image)
