"""`keras.datasets.boston_housing`: 506 houses, 13 features, price targets (see Keras's ethics warning)."""

import numpy as np

from nanokeras.datasets._loading import ORIGIN, fetch, load_npz

SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"

__all__ = ["load_data"]  # its star import, as Keras's


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """`(x_train, y_train), (x_test, y_test)`, shuffled with `seed` then split (`test_split` for test).

    x has shape `(n, 13)`, y `(n,)` (prices in k$), both float64 as stored.

    Example:
        >>> # (x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()
        >>> # x_train.shape -> (404, 13)
    """
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be between 0 and 1 (exclusive of 1).")
    path = fetch(path, ORIGIN + "boston_housing.npz", SHA256 if path == "boston_housing.npz" else None)
    x, y = load_npz(path, ["x", "y"], "Boston housing")
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))
