"""Random ops on a tensor: `dropout` (differentiable) and `shuffle` (along an axis).

They draw inside the recorded op: a compiled step replaying them draws again,
from the next seed, as calling them again would (see `nanokeras/ops/trace.py`).

Example:
    >>> import numpy as np
    >>> from nanokeras import random
    >>> x = np.ones((2, 4), "float32")
    >>> sorted(set(random.dropout(x, 0.5, seed=1).ravel().tolist()))
    [0.0, 2.0]
    >>> sorted(random.shuffle(np.arange(5), seed=3).tolist())
    [0, 1, 2, 3, 4]
"""

import numpy as np

from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import _recording_tapes, record, to_array
from nanokeras.random.seed_generator import draw_seed

__all__ = ["dropout", "shuffle"]


def _noise_shape(noise_shape, shape):
    if noise_shape is None:
        return shape
    noise_shape = tuple(shape[i] if n is None else int(n) for i, n in enumerate(noise_shape))
    try:
        np.broadcast_shapes(noise_shape, shape)
    except ValueError:
        raise ValueError(f"`noise_shape` {noise_shape} does not broadcast to the input shape {shape}.") from None
    return noise_shape


def dropout(inputs, rate, noise_shape=None, seed=None):
    """`inputs / (1 - rate)` where a random mask keeps them (each kept with probability `1 - rate`), else 0.

    Args:
        inputs: the tensor to drop entries of.
        rate: the fraction to drop, in `[0, 1]`.
        noise_shape: the mask's shape, broadcast over `inputs` (None entries take the
            input's size), e.g. `(batch, 1, features)` to drop the same features at every step.
        seed: an int, a `keras.random.SeedGenerator`, or None (the global generator).
    """
    a = to_array(inputs)
    if not 0 <= rate <= 1:
        raise ValueError(f"`rate` must be a fraction in [0, 1], got rate={rate!r}.")
    if rate == 1:
        return np.zeros_like(a)
    if rate == 0:
        return inputs
    shape = _noise_shape(noise_shape, a.shape)
    keep = 1.0 - rate
    zeros = np.zeros_like(a)
    scale = np.zeros(a.shape, a.dtype)  # mask / keep, broadcast: the gradient's factor

    def apply():
        mask = np.broadcast_to(np.random.default_rng(draw_seed(seed)).uniform(size=shape) < keep, a.shape)
        np.copyto(scale, np.where(mask, np.asarray(1.0 / keep, a.dtype), np.asarray(0, a.dtype)))
        return np.where(mask, (a / keep).astype(a.dtype), zeros)

    out = apply()
    if not _recording_tapes:
        return out
    return record(out, (inputs,), lambda g: (ops.multiply(g, scale),), lambda: np.copyto(out, apply()))


def shuffle(x, axis=0, seed=None):
    """`x` with the entries along `axis` shuffled, each slice on its own (as Keras does on JAX and numpy).

    Example:
        >>> shuffle(np.arange(4).reshape(2, 2), axis=1, seed=0).shape
        (2, 2)
    """
    a = to_array(x)
    if a.ndim == 0:
        raise ValueError("`shuffle` needs an input with at least one axis, got a scalar.")
    if not -a.ndim <= axis < a.ndim:
        raise ValueError(f"`axis` {axis} is out of range for an input of rank {a.ndim}.")
    axis = axis % a.ndim
    positions = np.arange(a.shape[axis]).reshape([-1 if i == axis else 1 for i in range(a.ndim)])
    positions = np.broadcast_to(positions, a.shape)
    # Shuffling the positions draws exactly what shuffling `x` would; gathering with them gives
    # the same values and a gradient (the gradient scatters back through the positions).
    indices = np.random.default_rng(draw_seed(seed)).permuted(positions, axis=axis)
    out = np.take_along_axis(a, indices, axis=axis)
    if not _recording_tapes:
        return out

    def forward():
        np.copyto(indices, np.random.default_rng(draw_seed(seed)).permuted(positions, axis=axis))
        np.copyto(out, np.take_along_axis(a, indices, axis=axis))

    def vjp(g):
        # The inverse permutation of each slice sends each gradient entry back where it came from.
        return (ops.take_along_axis(g, np.argsort(indices, axis=axis, kind="stable"), axis=axis),)

    return record(out, (x,), vjp, forward)
