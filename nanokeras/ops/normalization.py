"""Normalization functions of `keras.ops.nn`: `normalize` (to unit norm), `layer_normalization`,
`rms_normalization`, and `psnr`.

They compute in at least float32 (float16 inputs are converted, and the result
converted back), as Keras does.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.normalize(np.array([[3.0, 4.0]], "float32")).tolist()
    [[0.6000000238418579, 0.800000011920929]]
"""

import warnings

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.math import norm, rsqrt
from nanokeras.ops.nn import moments
from nanokeras.ops.op_builders import cast_to, dtype_of

__all__ = []
NN_NAMES = ["normalize", "layer_normalization", "rms_normalization", "psnr"]


def normalize(x, axis=-1, order=2, epsilon=None):
    """`x` divided by its `order`-norm along `axis` (at least `epsilon`, `keras.backend.epsilon()` by default)."""
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1, got order={order!r}.")
    if to_array(x).ndim == 0:
        x = ops.expand_dims(x, 0)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        # An all-zero slice (the gradients of a dead filter, DLWP's filter visualization) has rsqrt(0) =
        # inf, capped at 1/epsilon at once: numpy's divide-by-zero warning would only alarm.
        with np.errstate(divide="ignore"):
            inverse = ops.minimum(rsqrt(ops.sum(ops.square(x), axis=axis, keepdims=True)), 1.0 / epsilon)
        return ops.multiply(x, inverse)
    return ops.divide(x, ops.maximum(norm(x, ord=order, axis=axis, keepdims=True), epsilon))


def _compute_dtype(x):
    return result_type(dtype_of(x), "float32")


def _axes(axis):
    return sorted(axis) if isinstance(axis, (list, tuple)) else [axis]


def _broadcast(v, axes, shape):
    """`v` (shaped like the normalized axes) reshaped to broadcast against an input of `shape`."""
    if v is None or (np.ndim(to_array(v)) == len(shape)) or axes == [len(shape) - 1]:
        return v
    target = [1] * len(shape)
    for a in axes:
        target[a] = shape[a]
    return ops.reshape(v, target)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """`(x - mean) / sqrt(variance + epsilon) * gamma + beta`, statistics over `axis`.

    `rms_scaling=True` (deprecated in Keras, kept for its programs) scales by the
    variance alone, without centring.
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization() got unexpected keyword argument(s): {', '.join(sorted(kwargs))}.")
    if rms_scaling:
        warnings.warn("You passed `rms_scaling=True`, which is deprecated: it scales by the variance, not the root "
                      "mean square. Use `keras.ops.rms_normalization` instead.",
                      stacklevel=3)  # the caller's line, past the symbolic-dispatch wrapper
    epsilon = config.epsilon() if epsilon is None else epsilon
    original = to_array(x).dtype
    x = cast_to(x, _compute_dtype(x))
    dtype = to_array(x).dtype
    shape = to_array(x).shape
    axes = [a % len(shape) for a in _axes(axis)]
    gamma = None if gamma is None else _broadcast(cast_to(gamma, dtype), axes, shape)
    beta = None if beta is None else _broadcast(cast_to(beta, dtype), axes, shape)
    if rms_scaling:
        inverse = rsqrt(ops.add(ops.var(x, axis=tuple(axes), keepdims=True), epsilon))
        out = ops.multiply(x, inverse)
        if gamma is not None:
            out = ops.multiply(out, gamma)
        return cast_to(out, original)
    mean, variance = moments(x, axes=axes, keepdims=True)
    inverse = rsqrt(ops.add(variance, epsilon))
    if gamma is not None:
        inverse = ops.multiply(inverse, gamma)
    shift = ops.negative(ops.multiply(mean, inverse))
    if beta is not None:
        shift = ops.add(shift, beta)
    return cast_to(ops.add(ops.multiply(x, inverse), shift), original)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """`x / sqrt(mean(x**2) + epsilon) * scale`, the mean over `axis`."""
    epsilon = config.epsilon() if epsilon is None else epsilon
    original = to_array(x).dtype
    x = cast_to(x, _compute_dtype(x))
    if to_array(x).ndim == 0:
        x = ops.expand_dims(x, 0)
    axes = tuple(_axes(axis))
    out = ops.multiply(x, rsqrt(ops.add(ops.mean(ops.square(x), axis=axes, keepdims=True), epsilon)))
    if scale is not None:
        out = ops.multiply(out, cast_to(scale, to_array(x).dtype))
    return cast_to(out, original)


def psnr(x1, x2, max_val):
    """The peak signal-to-noise ratio of `x1` against `x2`, in decibels: `20 log10(max_val) - 10 log10(mse)`."""
    if np.shape(to_array(x1)) != np.shape(to_array(x2)):
        raise ValueError(f"Input shapes {np.shape(to_array(x1))} and {np.shape(to_array(x2))} must match for PSNR.")
    dtype = to_array(x2).dtype
    peak = 20.0 * np.log10(np.asarray(max_val, dtype=dtype))
    mse = ops.mean(ops.square(ops.subtract(x1, x2)))
    return ops.subtract(peak, ops.multiply(ops.log10(mse), 10.0))
