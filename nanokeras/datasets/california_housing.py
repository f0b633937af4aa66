"""`keras.datasets.california_housing`: 20,640 California districts (1990 census), 8 features each,
median house values in dollars as targets.

The features are MedInc, HouseAge, AveRooms, AveBedrms, Population, AveOccup,
Latitude and Longitude. `version="small"` keeps the first 600 districts (a stand-in
for the retired Boston housing data).
"""

import numpy as np

from nanokeras.datasets._loading import ORIGIN, fetch, load_npz

SHA256 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"

__all__ = ["load_data"]  # its star import, as Keras's


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """`(x_train, y_train), (x_test, y_test)`, shuffled with `seed` then split (`test_split` for test).

    x has shape `(n, 8)`, y `(n,)`.

    Example:
        >>> # (x_train, y_train), (x_test, y_test) = keras.datasets.california_housing.load_data()
        >>> # x_train.shape -> (16512, 8)
    """
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be between 0 and 1 (exclusive of 1).")
    if version not in ("small", "large"):
        raise ValueError(f"Argument `version` must be one of 'small', 'large'. Received: version={version!r}")
    path = fetch(path, ORIGIN + "california_housing.npz", SHA256 if path == "california_housing.npz" else None)
    x, y = load_npz(path, ["x", "y"], "California housing")
    if version == "small":
        x, y = x[:600], y[:600]
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))
