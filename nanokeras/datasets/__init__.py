"""`keras.datasets`: small standard datasets, cached in `~/.keras/datasets` (`$KERAS_HOME`).

Files Keras already downloaded are reused; missing ones are downloaded and
checked against their hash. Nothing is ever unpickled: CIFAR is read from its
binary distribution, and the object arrays of IMDB/Reuters are parsed as data
(see `_object_arrays`).

Example:
    >>> import nanokeras as keras
    >>> callable(keras.datasets.mnist.load_data)
    True
"""

from nanokeras.datasets import (
    boston_housing, california_housing, cifar10, cifar100, fashion_mnist, imdb, mnist, reuters,
)

__all__ = ["boston_housing", "california_housing", "cifar10", "cifar100", "fashion_mnist", "imdb", "mnist",
           "reuters"]
