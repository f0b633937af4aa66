"""`keras.datasets.cifar100`: 60,000 32x32 color images in 100 fine (20 coarse) classes."""

from nanokeras.datasets._cifar import load_members, read_records

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"
MD5 = "03b5dce01913d631647c71ecec9e9cb8"

__all__ = ["load_data"]  # its star import, as Keras's


def load_data(label_mode="fine"):
    """`(x_train, y_train), (x_test, y_test)`: uint8 images `(50000, 32, 32, 3)`/`(10000, 32, 32, 3)`,
    uint8 labels `(n, 1)`, fine (0-99) or coarse (0-19) per `label_mode`.

    Read from `~/.keras/datasets/cifar-100-binary.tar.gz` (downloaded when missing).

    Example:
        >>> # (x_train, y_train), _ = keras.datasets.cifar100.load_data(label_mode="coarse")
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.')
    blobs = load_members("cifar-100-binary.tar.gz", ORIGIN, MD5, "cifar-100-binary", ["train.bin", "test.bin"])
    column = 1 if label_mode == "fine" else 0  # each record starts with (coarse, fine)
    x_train, labels_train = read_records(blobs[:1], 2)
    x_test, labels_test = read_records(blobs[1:], 2)
    return (x_train, labels_train[:, column:column + 1].copy()), (x_test, labels_test[:, column:column + 1].copy())
