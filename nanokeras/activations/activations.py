"""Activation functions, as `keras.activations` defines them.

Each takes and returns an array (or a `Tensor` inside a `GradientTape`) and is
built from `nanokeras.ops`, so gradients flow through it.

Example:
    >>> import numpy as np
    >>> from nanokeras import activations
    >>> activations.relu(np.array([-10.0, -5.0, 0.0, 5.0, 10.0]), max_value=5.0).tolist()
    [0.0, 0.0, 0.0, 5.0, 5.0]
"""

import numpy as np

from nanokeras import ops


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with Keras' optional leak, cap and threshold.

    Returns `x` for `x > threshold` (capped at `max_value` when given) and
    `negative_slope * (x - threshold)` below it.

    Args:
        x: input array.
        negative_slope: slope below `threshold` (0 by default).
        max_value: the largest value returned, or None for no cap.
        threshold: values at or below it are damped (0 by default).

    Example:
        >>> import numpy as np
        >>> relu(np.array([-10.0, -5.0, 0.0, 5.0, 10.0]), negative_slope=0.5).tolist()
        [-5.0, -2.5, 0.0, 5.0, 10.0]
    """
    if negative_slope == 0.0 and _holds_integers(x) and max_value != 6:
        # As Keras: integers stay integers (bools become int32), a cap is cast to their dtype.
        if _dtype_of(x).kind == "b":
            x = ops.cast(x, "int32")
        if threshold != 0:
            out = ops.where(ops.greater(x, threshold), x, 0)
        else:
            out = ops.relu(x)
        if max_value is not None:
            out = ops.clip(out, 0, int(max_value))
        return out
    x = ops.nn._float_input(x)
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return ops.leaky_relu(x, negative_slope=negative_slope)
        if threshold != 0:
            negative_part = ops.relu(ops.add(ops.negative(x), threshold))
        else:
            negative_part = ops.relu(ops.negative(x))
    clip_max = max_value is not None
    if threshold != 0:
        out = ops.where(ops.greater(x, threshold), x, 0.0)
    elif max_value == 6:
        out = ops.relu6(x)
        clip_max = False
    else:
        out = ops.relu(x)
    if clip_max:
        out = ops.clip(out, 0.0, float(max_value))
    if negative_slope != 0.0:
        out = ops.subtract(out, ops.multiply(negative_part, negative_slope))
    return out


def _dtype_of(x):
    dtype = getattr(x, "dtype", None)
    return np.dtype(dtype) if isinstance(dtype, np.dtype) else np.asarray(x).dtype


def _holds_integers(x):
    """True for an array or Tensor of integers or bools (a KerasTensor never: symbolic calls
    give the layer's float dtype, as Keras's)."""
    dtype = getattr(x, "dtype", None)
    if isinstance(dtype, np.dtype):
        return dtype.kind in "iub"
    return isinstance(x, (list, tuple, int, bool, np.generic)) and np.asarray(x).dtype.kind in "iub"


def leaky_relu(x, negative_slope=0.2):
    """`x` for `x >= 0`, else `negative_slope * x`.

    Example:
        >>> import numpy as np
        >>> leaky_relu(np.array([-1.0, 1.0])).tolist()
        [-0.2, 1.0]
    """
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`."""
    return ops.relu6(x)


def softmax(x, axis=-1):
    """Turns each slice along `axis` into a probability distribution: `exp(x) / sum(exp(x))`.

    Example:
        >>> import numpy as np
        >>> softmax(np.zeros((1, 4))).tolist()
        [[0.25, 0.25, 0.25, 0.25]]
    """
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """`log(softmax(x, axis))`, computed stably."""
    return ops.log_softmax(x, axis=axis)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0`, else `alpha * (exp(x) - 1)`."""
    return ops.elu(x, alpha=alpha)


def selu(x):
    """Scaled ELU with the self-normalizing constants (use with `LecunNormal` weights)."""
    return ops.selu(x)


def softplus(x):
    """`log(exp(x) + 1)`, without overflow."""
    return ops.softplus(x)


def softsign(x):
    """`x / (abs(x) + 1)`."""
    return ops.softsign(x)


def silu(x):
    """Sigmoid linear unit, also called swish: `x * sigmoid(x)`.

    Example:
        >>> import numpy as np
        >>> silu(np.array([0.0])).tolist()
        [0.0]
    """
    return ops.silu(x)


def gelu(x, approximate=False):
    """Gaussian error linear unit: `0.5 * x * (1 + erf(x / sqrt(2)))`.

    Args:
        approximate: use the tanh approximation instead (False by default, as
            in `keras.activations.gelu`; note `keras.ops.gelu` defaults to True).
    """
    return ops.gelu(x, approximate=approximate)


def tanh(x):
    """Hyperbolic tangent."""
    return ops.tanh(x)


def sigmoid(x):
    """`1 / (1 + exp(-x))`, without overflow.

    Example:
        >>> import numpy as np
        >>> sigmoid(np.array([0.0])).tolist()
        [0.5]
    """
    return ops.sigmoid(x)


def exponential(x):
    """`exp(x)`."""
    return ops.exp(x)


def hard_sigmoid(x):
    """Piecewise-linear sigmoid: 0 for `x <= -3`, 1 for `x >= 3`, `x / 6 + 0.5` between."""
    return ops.hard_sigmoid(x)


def hard_silu(x):
    """`x * hard_sigmoid(x)` (also called hard_swish)."""
    return ops.hard_silu(x)


def linear(x):
    """The identity: returns `x` unchanged."""
    return x


def mish(x):
    """`x * tanh(softplus(x))`."""
    return ops.nn.mish(x)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `x` for `x > 0`, else `alpha * (exp(x / alpha) - 1)`."""
    return ops.celu(x, alpha=alpha)


def glu(x, axis=-1):
    """Gated linear unit: the first half of `axis` times the sigmoid of the second half.

    Example:
        >>> import numpy as np
        >>> glu(np.array([[2.0, 0.0]])).tolist()
        [[1.0]]
    """
    return ops.glu(x, axis=axis)


def hard_tanh(x):
    """`x` clipped to `[-1, 1]`."""
    return ops.hard_tanh(x)


def log_sigmoid(x):
    """`log(sigmoid(x))`, computed without overflow."""
    return ops.log_sigmoid(x)


def hard_shrink(x, threshold=0.5):
    """`x` where `abs(x) > threshold`, else 0.

    Example:
        >>> import numpy as np
        >>> hard_shrink(np.array([-1.0, 0.2, 0.7])).tolist()
        [-1.0, 0.0, 0.7]
    """
    x = ops.nn._float_input(x)
    return ops.where(ops.greater(ops.abs(x), threshold), x, 0.0)


def soft_shrink(x, threshold=0.5):
    """`x` moved `threshold` towards 0, and 0 within `[-threshold, threshold]`.

    Example:
        >>> import numpy as np
        >>> soft_shrink(np.array([-1.0, 0.2, 0.75])).tolist()
        [-0.5, 0.0, 0.25]
    """
    x = ops.nn._float_input(x)
    inner = ops.where(ops.less(x, -threshold), ops.add(x, threshold), 0.0)
    return ops.where(ops.greater(x, threshold), ops.subtract(x, threshold), inner)


def tanh_shrink(x):
    """`x - tanh(x)`."""
    x = ops.nn._float_input(x)
    return ops.subtract(x, ops.tanh(x))


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`.

    Example:
        >>> import numpy as np
        >>> threshold(np.array([-1.0, 2.0]), 0.0, -5.0).tolist()
        [-5.0, 2.0]
    """
    x = ops.nn._float_input(x)
    return ops.where(ops.greater(x, threshold), x, default_value)


def sparse_plus(x):
    """A smooth ReLU made of pieces: 0 for `x <= -1`, `x` for `x >= 1`, `(x + 1)**2 / 4` between.

    Example:
        >>> import numpy as np
        >>> sparse_plus(np.array([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.25, 2.0]
    """
    x = ops.nn._float_input(x)
    middle = ops.divide(ops.square(ops.add(x, 1.0)), 4.0)
    return ops.where(ops.less_equal(x, -1.0), 0.0, ops.where(ops.greater_equal(x, 1.0), x, middle))


def sparse_sigmoid(x):
    """A sigmoid made of pieces: 0 for `x <= -1`, 1 for `x >= 1`, `(x + 1) / 2` between.

    Example:
        >>> import numpy as np
        >>> sparse_sigmoid(np.array([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    x = ops.nn._float_input(x)
    return ops.multiply(ops.clip(ops.add(x, 1.0), 0.0, 2.0), 0.5)


def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`: a smooth ReLU; `b` sets how round it is near 0.

    Example:
        >>> import numpy as np
        >>> squareplus(np.array([0.0])).tolist()
        [1.0]
    """
    x = ops.nn._float_input(x)
    return ops.divide(ops.add(x, ops.sqrt(ops.add(ops.square(x), b))), 2.0)


def sparsemax(x, axis=-1):
    """Keras's sparsemax: `maximum(x - tau, 0)` along `axis`, where many outputs are exactly 0.

    The threshold is computed as Keras 3 computes it: with `s` the values sorted in
    decreasing order and `c` their running sums, the "support" is where
    `s - (c - 1) / rank > 0`, and `tau = (sum of c over the support - 1) / its size`.
    (Martins & Astudillo's sparsemax uses `c` at the last support rank instead, which
    makes the outputs sum to 1; Keras's formula does not, and nanokeras follows Keras.)

    Example:
        >>> import numpy as np
        >>> sparsemax(np.array([[0.0, 3.0]])).tolist()
        [[0.0, 1.0]]
    """
    x = ops.nn._float_input(x)
    ndim = len(ops.shape(x))
    axis = axis % ndim
    size = ops.shape(x)[axis]
    ordered = ops.negative(ops.sort(ops.negative(x), axis=axis))
    running = ops.cumsum(ordered, axis=axis)
    rank_shape = [1] * ndim
    rank_shape[axis] = size
    rank = np.arange(1, size + 1, dtype=ops.dtype(x)).reshape(rank_shape)
    support = ops.greater(ops.subtract(ordered, ops.divide(ops.subtract(running, 1.0), rank)), 0.0)
    count = ops.sum(ops.cast(support, ops.dtype(x)), axis=axis, keepdims=True)
    kept = ops.sum(ops.where(support, running, 0.0), axis=axis, keepdims=True)
    tau = ops.divide(ops.subtract(kept, 1.0), count)
    return ops.maximum(ops.subtract(x, tau), 0.0)


swish = silu
hard_swish = hard_silu
