"""More activations of `keras.ops.nn`: the shrink family, `threshold`, the sparse activations
(`sparse_plus`, `sparse_sigmoid`, `sparsemax`) and `squareplus`.

Each is written with differentiable ops, following JAX's definitions (and so its
gradients at the kinks).

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.soft_shrink(np.array([-1.0, 0.2, 2.0], "float32")).tolist()
    [-0.5, 0.0, 1.5]
    >>> ops.sparsemax(np.array([2.0, 1.0, -1.0], "float32")).tolist()
    [1.0, 0.0, 0.0]
"""

import numpy as np

from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.op_builders import as_float, normalize_axis

__all__ = []
NN_NAMES = ["hard_shrink", "soft_shrink", "tanh_shrink", "threshold", "sparse_plus", "sparse_sigmoid", "sparsemax",
            "squareplus"]


def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0."""
    x = as_float(x)
    return ops.where(ops.greater(ops.abs(x), threshold), x, 0.0)


def soft_shrink(x, threshold=0.5):
    """`x` moved towards 0 by `threshold` (0 within `[-threshold, threshold]`)."""
    x = as_float(x)
    return ops.where(ops.greater(x, threshold), ops.subtract(x, threshold),
                     ops.where(ops.less(x, -threshold), ops.add(x, threshold), 0.0))


def tanh_shrink(x):
    """`x - tanh(x)`."""
    x = as_float(x)
    return ops.subtract(x, ops.tanh(x))


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""
    x = as_float(x)
    return ops.where(ops.greater(x, threshold), x, default_value)


def sparse_plus(x):
    """0 below -1, `(x + 1)**2 / 4` between -1 and 1, `x` above 1: a smooth, sparse softplus."""
    x = as_float(x)
    return ops.where(ops.less_equal(x, -1.0), 0.0,
                     ops.where(ops.greater_equal(x, 1.0), x, ops.divide(ops.square(ops.add(x, 1.0)), 4.0)))


def sparse_sigmoid(x):
    """0 below -1, `(x + 1) / 2` between -1 and 1, 1 above 1."""
    x = as_float(x)
    # As JAX: a clip, so exactly at -1 or 1 the gradient is halved.
    return ops.multiply(ops.clip(ops.add(x, 1.0), 0.0, 2.0), 0.5)


def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`, a smooth ReLU."""
    x = as_float(x)
    return ops.multiply(ops.add(x, ops.sqrt(ops.add(ops.square(x), float(b)))), 0.5)


def sparsemax(x, axis=-1):
    """Keras's sparsemax along `axis`: `maximum(x - tau, 0)`, many outputs exactly 0.

    With `s` the values sorted in decreasing order and `c` their running sums, the
    support is where `s - (c - 1) / rank > 0` and `tau = (sum of c over the support - 1) / size`,
    as Keras 3 computes it. (Martins and Astudillo's sparsemax takes `c` at the last rank
    of the support, which makes the outputs sum to 1; the two agree when the support holds
    one value. nanokeras gives Keras's numbers.)

    Example:
        >>> sparsemax(np.array([2.0, 1.0, -1.0])).tolist()
        [1.0, 0.0, 0.0]
    """
    x = as_float(x)
    a = to_array(x)
    axis = normalize_axis(axis, a.ndim)
    ordered = ops.negative(ops.sort(ops.negative(x), axis=axis))  # descending
    running = ops.cumsum(ordered, axis=axis)
    shape = [1] * a.ndim
    shape[axis] = -1
    rank = np.arange(1, a.shape[axis] + 1, dtype=a.dtype).reshape(shape)
    support = ops.greater(ops.subtract(ordered, ops.divide(ops.subtract(running, 1.0), rank)), 0.0)
    size = ops.sum(ops._astype(support, a.dtype), axis=axis, keepdims=True)
    # As Keras 3 computes it: the running sums over the support, summed (see the docstring).
    tau = ops.divide(ops.subtract(ops.sum(ops.where(support, running, 0.0), axis=axis, keepdims=True), 1.0), size)
    return ops.maximum(ops.subtract(x, tau), 0.0)
