"""`keras.datasets.fashion_mnist`: 70,000 28x28 grayscale images of 10 clothing classes."""

import gzip
import os

import numpy as np

from nanokeras.datasets._loading import ORIGIN, fetch

FILES = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz")


def _read(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)

__all__ = ["load_data"]  # its star import, as Keras's


def load_data():
    """`(x_train, y_train), (x_test, y_test)`: uint8 `(60000, 28, 28)`/`(10000, 28, 28)` images, uint8 labels.

    Reads the four IDX files from `~/.keras/datasets/fashion-mnist/`, downloading them when missing.

    Example:
        >>> # (x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()
    """
    subdir = os.path.join("datasets", "fashion-mnist")
    paths = [fetch(name, ORIGIN + name, cache_subdir=subdir) for name in FILES]
    y_train = _read(paths[0], 8)
    x_train = _read(paths[1], 16).reshape(len(y_train), 28, 28)
    y_test = _read(paths[2], 8)
    x_test = _read(paths[3], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
