"""`keras.datasets.mnist`: 70,000 28x28 grayscale digits."""

from nanokeras.datasets._loading import ORIGIN, fetch, load_npz

SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

__all__ = ["load_data"]  # its star import, as Keras's


def load_data(path="mnist.npz"):
    """`(x_train, y_train), (x_test, y_test)`: uint8 images `(60000, 28, 28)`/`(10000, 28, 28)`, uint8 labels.

    `path` is relative to `~/.keras/datasets` (or `$KERAS_HOME/datasets`); the file is
    downloaded there (and checked) when missing.

    Example:
        >>> # (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        >>> # x_train.shape -> (60000, 28, 28)
    """
    # The hash identifies the official file; a file the user names is taken as it is.
    path = fetch(path, ORIGIN + "mnist.npz", SHA256 if path == "mnist.npz" else None)
    x_train, y_train, x_test, y_test = load_npz(path, ["x_train", "y_train", "x_test", "y_test"], "MNIST")
    return (x_train, y_train), (x_test, y_test)
