"""`keras.datasets.cifar10`: 60,000 32x32 color images in 10 classes."""

from nanokeras.datasets._cifar import load_members, read_records

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
MD5 = "c32a1d4ab5d03f1284b67883e8d87530"

__all__ = ["load_data"]  # its star import, as Keras's


def load_data():
    """`(x_train, y_train), (x_test, y_test)`: uint8 images `(50000, 32, 32, 3)`/`(10000, 32, 32, 3)`,
    uint8 labels `(50000, 1)`/`(10000, 1)` -- the same arrays as Keras.

    Read from the CIFAR *binary* archive `~/.keras/datasets/cifar-10-binary.tar.gz`
    (downloaded when missing), because Keras's python archive holds pickles.

    Example:
        >>> # (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    """
    members = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
    blobs = load_members("cifar-10-binary.tar.gz", ORIGIN, MD5, "cifar-10-batches-bin", members)
    x_train, y_train = read_records(blobs[:5], 1)
    x_test, y_test = read_records(blobs[5:], 1)
    return (x_train, y_train.copy()), (x_test, y_test.copy())
