"""The playground's two-feature datasets, and the train/test split.

Each generator is plain numpy with no other dependency, because the code panel
pastes its source verbatim: the data a learner trains on in the page is, by
construction, the data their pasted code makes.

Example:
    >>> import numpy as np
    >>> from nanokeras.playground import datasets
    >>> x, y = datasets.moons(6, noise=0.1, rng=np.random.default_rng(0))
    >>> x.shape, x.dtype, y.tolist()
    ((6, 2), dtype('float32'), [0, 1, 0, 1, 0, 1])
"""

import numpy as np


def blobs(n, noise, rng):
    """Two round clouds of points, one per class: a straight line separates them."""
    y = np.arange(n) % 2
    centers = np.array([[-0.6, -0.6], [0.6, 0.6]])
    x = centers[y] + rng.normal(scale=0.25 + noise, size=(n, 2))
    return x.astype("float32"), y.astype("int32")


def moons(n, noise, rng):
    """Two interleaving half circles: the boundary has to bend."""
    y = np.arange(n) % 2
    angle = rng.uniform(0.0, np.pi, size=n)
    upper = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    lower = np.stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)], axis=1)
    x = np.where(y[:, None] == 0, upper, lower) - [0.5, 0.25]
    x = x + rng.normal(scale=noise, size=(n, 2))
    return x.astype("float32"), y.astype("int32")


def circles(n, noise, rng):
    """A disc of one class inside a ring of the other: no straight line can separate them."""
    y = np.arange(n) % 2
    radius = np.where(y == 0, rng.uniform(0.0, 0.5, size=n), rng.uniform(0.7, 1.0, size=n))
    angle = rng.uniform(0.0, 2.0 * np.pi, size=n)
    x = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    x = x + rng.normal(scale=noise, size=(n, 2))
    return x.astype("float32"), y.astype("int32")


def xor(n, noise, rng):
    """Class 1 where both features have the same sign: the classic problem a perceptron cannot solve."""
    x = rng.uniform(-1.0, 1.0, size=(n, 2))
    x = x + np.where(x > 0, 0.05, -0.05)  # a small gap along the axes
    y = (x[:, 0] * x[:, 1] > 0).astype("int32")
    x = x + rng.normal(scale=noise, size=(n, 2))
    return x.astype("float32"), y


def spiral(n, noise, rng):
    """Two arms winding around each other: hard, needs several layers."""
    y = np.arange(n) % 2
    radius = rng.uniform(0.05, 1.0, size=n)
    angle = 1.75 * 2.0 * np.pi * radius + np.pi * y
    x = radius[:, None] * np.stack([np.sin(angle), np.cos(angle)], axis=1)
    x = x + rng.normal(scale=noise, size=(n, 2))
    return x.astype("float32"), y.astype("int32")


# The names the page offers, in the order it shows them.
GENERATORS = {"blobs": blobs, "moons": moons, "circles": circles, "xor": xor, "spiral": spiral}


def split(x, y, test_fraction, rng):
    """`(x_train, y_train), (x_test, y_test)`: a random `test_fraction` of the rows held out.

    Example:
        >>> import numpy as np
        >>> (x_train, _), (x_test, _) = split(np.zeros((10, 2)), np.zeros(10), 0.3, np.random.default_rng(0))
        >>> len(x_train), len(x_test)
        (7, 3)
    """
    order = rng.permutation(len(x))
    n_test = round(len(x) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return (x[train], y[train]), (x[test], y[test])


def load(settings, table=None):
    """`(x_train, y_train), (x_test, y_test)` for `settings`; `table` is the uploaded CSV's, if any.

    The steps, and the order random numbers are drawn in, are those the code panel writes.
    """
    rng = np.random.default_rng(settings.seed)
    if settings.dataset == "uploaded":
        x, y = table.x, table.y
    else:
        x, y = GENERATORS[settings.dataset](settings.points, noise=settings.noise, rng=rng)
    return split(x, y, settings.test_fraction, rng)
