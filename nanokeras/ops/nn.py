"""`keras.ops` neural-network functions: activations, softmax, one_hot, moments.

Each matches the formula JAX uses (the backend real Keras runs on), including
its gradient at kinks: `relu'(0) = 0`, `relu6'(0) = relu6'(6) = 0`,
`leaky_relu'(0) = 1`. Smooth activations are written as compositions of
differentiable ops, so their gradients need no code of their own.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.softmax(np.array([0.0, 0.0], "float32")).tolist()
    [0.5, 0.5]
"""

import math

import numpy as np

from nanokeras.backend import config
from nanokeras.ops import numpy as _ops
from nanokeras.ops.gradient_utils import (
    TensorOperators,
    _recording_tapes,
    as_recordable,
    copy_forward,
    record,
    record_no_gradient,
    to_array,
    value_of,
)
from nanokeras.ops.math import erfc
from nanokeras.ops.numpy import tanh  # noqa: F401  (keras.ops.nn exposes tanh too)

__all__ = [
    "sigmoid", "relu", "relu6", "leaky_relu", "elu", "selu", "celu", "softplus", "softsign",
    "silu", "swish", "log_sigmoid", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh",
    "gelu", "glu", "mish", "softmax", "log_softmax", "one_hot", "moments", "batch_normalization",
]

_ndarray = np.ndarray
# From Klambauer et al. (2017), as used by JAX and Keras.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
# Python floats, not numpy float64 scalars: numpy 2 would upcast float32 results.
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_SQRT_HALF = math.sqrt(0.5)


def _float(x):
    a = x if type(x) is _ndarray else to_array(x)
    return a.astype(config.floatx()) if a.dtype.kind in "iub" else a


def _float_input(x):
    """`x` itself when already floating (keeps it tracked), else converted to `floatx()`
    (recorded for a tracked `x`, so a replay converts the new values)."""
    a = x if type(x) is _ndarray else to_array(x)
    if a.dtype.kind not in "iub":
        return x if isinstance(x, TensorOperators) else a
    return _ops._astype(x if isinstance(x, TensorOperators) else a, config.floatx())


def _float_forward(x, compute, out):
    """The replay of `compute(_float(x))` (a new value of `x`, converted again if it holds ints)."""
    a = x if type(x) is _ndarray else to_array(x)
    if a.dtype.kind in "iub":
        dtype = config.floatx()
        return copy_forward(out, lambda: compute(a.astype(dtype)))
    return copy_forward(out, lambda: compute(a))


def sigmoid_values(a, out=None):
    """The sigmoid of a float array, in numpy only (no recording): shared by `sigmoid` and fused ops.

    With `out` (an array of the result's shape), computed into it by the same numpy calls.
    """
    # exp(-x) overflows to inf for very negative x, and 1 / (1 + inf) = 0 is
    # the right answer, so the overflow is expected and silenced.
    with np.errstate(over="ignore"):
        e = np.exp(np.negative(a), out=out)
    if type(e) is _ndarray and (out is None or out.ndim):  # in place: two fewer allocations
        e += 1.0
        np.reciprocal(e, out=e)
        return e
    # numpy returns a scalar for 0-d input
    result = np.reciprocal(e[()] + 1)
    if out is not None:
        out[()] = result
        return out
    return result


def sigmoid(x):
    """`1 / (1 + exp(-x))`, computed without overflow for any `x`.

    Example:
        >>> sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    a = _float(x)
    out = sigmoid_values(a)
    if not _recording_tapes:
        return out
    out = as_recordable(out)

    def vjp(g):
        y = out if not _recording_tapes else sigmoid(x)
        return (_ops.multiply(g, _ops.multiply(y, _ops.subtract(1.0, y))),)

    if a is value_of(x):
        return record(out, (x,), vjp, lambda: sigmoid_values(a, out))
    return record(out, (x,), vjp, _float_forward(x, sigmoid_values, out))


def relu(x):
    """`max(x, 0)`; the gradient at 0 is 0 (as JAX).

    Example:
        >>> relu(np.array([-1.0, 0.0, 2.0])).tolist()
        [0.0, 0.0, 2.0]
    """
    a = x if type(x) is _ndarray else to_array(x)
    if a.dtype == np.bool_:
        a = a.astype(np.int32)  # as Keras on JAX (numpy would give int64)
    out = np.maximum(a, 0)
    if not _recording_tapes:
        return out
    out = as_recordable(out)
    return record(out, (x,), lambda g: (_ops.multiply(g, (a > 0).astype(out.dtype)),),
                  lambda: np.maximum(a, 0, out=out))


def relu6(x):
    """`min(max(x, 0), 6)`; the gradient is 0 at 0 and at 6 (as JAX). Integer and bool inputs give
    `floatx()`, as Keras's eager relu6 does (unlike `relu`, which keeps integers)."""
    a = _float(x)
    out = np.minimum(np.maximum(a, 0), 6)
    if not _recording_tapes:
        return out
    out = as_recordable(out)

    def vjp(g):
        a = _float(x)
        return (_ops.multiply(g, ((a > 0) & (a < 6)).astype(out.dtype)),)

    return record(out, (x,), vjp, _float_forward(x, lambda v: np.minimum(np.maximum(v, 0), 6), out))


def leaky_relu(x, negative_slope=0.2):
    """`x` for `x >= 0`, else `negative_slope * x`.

    Example:
        >>> leaky_relu(np.array([-1.0, 2.0])).tolist()
        [-0.2, 2.0]
    """
    a = _float(x)
    out = _leaky_relu_values(a, negative_slope)
    if not _recording_tapes:
        return out
    out = as_recordable(out)

    def vjp(g):
        a = _float(x)
        return (_ops.multiply(g, np.where(a >= 0, 1.0, negative_slope).astype(out.dtype)),)

    return record(out, (x,), vjp, _float_forward(x, lambda v: _leaky_relu_values(v, negative_slope), out))


def _leaky_relu_values(a, negative_slope):
    return np.where(a >= 0, a, a * negative_slope)


def elu(x, alpha=1.0):
    """`x` for `x > 0`, else `alpha * (exp(x) - 1)`."""
    a = _float(x)
    out = _elu_values(a, alpha)
    if not _recording_tapes:
        return out
    out = as_recordable(out)

    def vjp(g):
        negative_part = _ops.multiply(_ops.exp(_ops.minimum(x, 0.0)), alpha)
        return (_ops.multiply(g, _ops.where(_float(x) > 0, 1.0, negative_part)),)

    return record(out, (x,), vjp, _float_forward(x, lambda v: _elu_values(v, alpha), out))


def _elu_values(a, alpha):
    return np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0)))


def selu(x):
    """Scaled ELU: `scale * elu(x, alpha)` with the self-normalizing constants."""
    x = _float_input(x)
    return _ops.multiply(elu(x, _SELU_ALPHA), _SELU_SCALE)


def celu(x, alpha=1.0):
    """`x` for `x > 0`, else `alpha * (exp(x / alpha) - 1)`."""
    x = _float_input(x)
    positive = _ops.greater(x, 0)  # recorded: a replay compares the new values
    # The masked input keeps exp() finite on the branch `where` discards.
    safe = _ops.where(positive, 0.0, x)
    return _ops.where(positive, x, _ops.multiply(_ops.expm1(_ops.divide(safe, alpha)), alpha))


def softplus(x):
    """`log(1 + exp(x))`, computed without overflow."""
    a = _float(x)
    out = np.logaddexp(a, 0)
    if not _recording_tapes:
        return out
    out = as_recordable(out)
    return record(out, (x,), lambda g: (_ops.multiply(g, sigmoid(x)),), _float_forward(x, lambda v: np.logaddexp(v, 0), out))


def softsign(x):
    """`x / (|x| + 1)`."""
    x = _float_input(x)
    return _ops.divide(x, _ops.add(_ops.abs(x), 1.0))


def silu(x):
    """`x * sigmoid(x)` (also called swish)."""
    x = _float_input(x)
    return _ops.multiply(x, sigmoid(x))


swish = silu


def log_sigmoid(x):
    """`log(sigmoid(x))`, computed as `-softplus(-x)`."""
    x = _float_input(x)
    return _ops.negative(softplus(_ops.negative(x)))


def hard_sigmoid(x):
    """`relu6(x + 3) / 6`: 0 below -3, 1 above 3, linear between."""
    x = _float_input(x)
    return _ops.divide(relu6(_ops.add(x, 3.0)), 6.0)


def hard_silu(x):
    """`x * hard_sigmoid(x)` (also called hard_swish)."""
    return _ops.multiply(x, hard_sigmoid(x))


hard_swish = hard_silu


def hard_tanh(x):
    """`x` clipped to `[-1, 1]`; the gradient is 1 on the bounds (as JAX). Integers keep their dtype and
    bools become int32, as in Keras."""
    kind = to_array(x).dtype.kind
    if kind == "b":  # Keras gives bools as int32 (0 and 1 are already within the bounds)
        return _ops._astype(x, "int32")
    if kind == "u":
        return _ops.where(_ops.greater(x, 1), 1, x)
    if kind == "i":
        return _ops.where(_ops.greater(x, 1), 1, _ops.where(_ops.less(x, -1), -1, x))
    x = _float_input(x)
    # Comparisons as ops: recorded, so a replay compares the new values.
    return _ops.where(_ops.greater(x, 1), 1.0, _ops.where(_ops.less(x, -1), -1.0, x))


def gelu(x, approximate=True):
    """Gaussian error linear unit.

    `approximate=True` (the `keras.ops` default) uses the tanh form
    `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`; `False` uses the exact
    `0.5 x erfc(-x / sqrt(2))`.
    """
    x = _float_input(x)
    if approximate:
        inner = _ops.multiply(
            _ops.add(x, _ops.multiply(_ops.power(x, 3), 0.044715)), _SQRT_2_OVER_PI
        )
        return _ops.multiply(x, _ops.multiply(_ops.add(_ops.tanh(inner), 1.0), 0.5))
    return _ops.multiply(_ops.multiply(x, 0.5), erfc(_ops.multiply(x, -_SQRT_HALF)))


def glu(x, axis=-1):
    """Gated linear unit: the first half of `axis` times the sigmoid of the second half."""
    n = np.shape(value_of(x))[axis]
    if n % 2:
        raise ValueError(f"`glu` needs an even size along axis {axis}, got {n}.")
    first, second = _ops.split(x, 2, axis=axis)
    return _ops.multiply(first, sigmoid(second))


def mish(x):
    """`x * tanh(softplus(x))`."""
    x = _float_input(x)
    return _ops.multiply(x, _ops.tanh(softplus(x)))


def _check_axis(axis, ndim, name):
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    for ax in axes:
        if not -ndim <= ax < ndim:
            raise ValueError(f"`{name}`: axis {ax} is out of range for an input of rank {ndim}.")
    return axis if isinstance(axis, (int, np.integer)) else axes


def softmax_values(a, axis=-1, out=None):
    """The softmax of a float array, in numpy only (no recording): shared by `softmax` and fused ops.

    With `out` (an array of the result's shape), the result is written into it.
    """
    try:
        shifted = a - np.max(a, axis=axis, keepdims=True)
    except (np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError, TypeError):
        _check_axis(axis, a.ndim, "softmax")
        raise
    e = np.exp(shifted)
    return np.divide(e, np.sum(e, axis=axis, keepdims=True), out=out)


def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x), axis)`, shifted by the max so it never overflows.

    Example:
        >>> softmax(np.array([1.0, 1.0, 1.0, 1.0])).tolist()
        [0.25, 0.25, 0.25, 0.25]
    """
    a = _float(x)
    out = softmax_values(a, axis)
    if not _recording_tapes:
        return out
    out = as_recordable(out)

    def vjp(g):
        y = out if not _recording_tapes else softmax(x, axis)
        gy = _ops.multiply(g, y)
        return (_ops.subtract(gy, _ops.multiply(y, _ops.sum(gy, axis=axis, keepdims=True))),)

    if a is value_of(x):
        return record(out, (x,), vjp, lambda: softmax_values(a, axis, out))
    return record(out, (x,), vjp, _float_forward(x, lambda v: softmax_values(v, axis), out))


def log_softmax(x, axis=-1):
    """`x - logsumexp(x, axis)`, computed stably."""
    a = _float(x)
    out = _log_softmax_values(a, axis)
    if not _recording_tapes:
        return out
    out = as_recordable(out)

    def vjp(g):
        y = out if not _recording_tapes else log_softmax(x, axis)
        return (_ops.subtract(g, _ops.multiply(_ops.exp(y), _ops.sum(g, axis=axis, keepdims=True))),)

    return record(out, (x,), vjp, _float_forward(x, lambda v: _log_softmax_values(v, axis), out))


def _log_softmax_values(a, axis):
    try:
        shifted = a - np.max(a, axis=axis, keepdims=True)
    except (np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError, TypeError):
        _check_axis(axis, a.ndim, "log_softmax")
        raise
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes integer labels; labels outside `[0, num_classes)` give all zeros.

    Example:
        >>> one_hot(np.array([0, 2]), 3).tolist()
        [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    from nanokeras.backend.dtypes import standardize_dtype

    if sparse:
        raise ValueError("`one_hot(sparse=True)` is not supported: nanokeras has dense arrays only.")
    labels = np.asarray(value_of(x))
    if labels.dtype.kind not in "iub":
        if not (labels.dtype.kind == "f" and np.all(labels == np.floor(labels))):
            raise TypeError(f"`one_hot` expects integer labels, got dtype {labels.dtype}.")
    dtype = standardize_dtype(dtype)
    classes = np.arange(int(num_classes))

    def encode():
        as_ints = labels if labels.dtype.kind in "iub" else labels.astype(np.int64)
        out = (as_ints[..., None] == classes).astype(dtype)
        if axis != -1 and axis != out.ndim - 1:
            out = np.moveaxis(out, -1, axis)
        return out

    out = encode()
    if not _recording_tapes:
        return out
    # Labels in the data of a traced step: recorded, so a replay encodes the next batch.
    return record_no_gradient(out, (x,), encode)


def moments(x, axes, keepdims=False, synchronized=False):
    """`(mean, variance)` of `x` over `axes`.

    Example:
        >>> m, v = moments(np.array([1.0, 3.0]), axes=[0])
        >>> float(m), float(v)
        (2.0, 1.0)
    """
    mean = _ops.mean(x, axis=axes, keepdims=True)
    variance = _ops.var(x, axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = _ops.squeeze(mean, axes), _ops.squeeze(variance, axes)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, with 1-D stats along `axis`."""
    ndim = len(np.shape(value_of(x)))
    shape = [1] * ndim
    shape[axis] = np.shape(value_of(mean))[0]
    mean, variance = _ops.reshape(mean, shape), _ops.reshape(variance, shape)
    inv = _ops.divide(1.0, _ops.sqrt(_ops.add(variance, epsilon)))
    if scale is not None:
        inv = _ops.multiply(inv, _ops.reshape(scale, shape))
    res = _ops.multiply(_ops.negative(mean), inv)
    if offset is not None:
        res = _ops.add(res, _ops.reshape(offset, shape))
    return _ops.add(_ops.multiply(x, inv), res)


# `keras.ops.nn` holds more functions than this file: they live in files of their own, gathered here.
from nanokeras.ops import complex_numbers, ctc, multi_hot, nn_activations, normalization, patches  # noqa: E402
from nanokeras.ops.attention import dot_product_attention  # noqa: E402
from nanokeras.ops.convolution import conv, conv_transpose, depthwise_conv, separable_conv  # noqa: E402
from nanokeras.ops.crossentropy import (  # noqa: E402
    binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy,
)
from nanokeras.ops.op_builders import gather as _gather  # noqa: E402
from nanokeras.ops.pooling import average_pool, max_pool  # noqa: E402
from nanokeras.ops.adaptive_pooling import adaptive_average_pool, adaptive_max_pool  # noqa: E402

_gather(globals(), [complex_numbers, nn_activations, normalization, patches, multi_hot, ctc], "NN_NAMES")
__all__ += [n for n in ("conv", "conv_transpose", "depthwise_conv", "separable_conv", "average_pool", "max_pool",
                        "adaptive_average_pool", "adaptive_max_pool",
                        "dot_product_attention", "binary_crossentropy", "categorical_crossentropy",
                        "sparse_categorical_crossentropy") if n not in __all__]
