"""Random samples from the usual distributions: normal, uniform, truncated normal, integers,
categorical, gamma, beta and binomial.

Each function draws with `np.random.default_rng(seed_pair)`, where `seed_pair`
comes from its `seed` argument (see `seed_generator.py`), so the numbers equal
those of real Keras on its numpy backend.

Inside a `GradientTape`, a draw from a `SeedGenerator` (or from the global one,
`seed=None`) is recorded: a compiled step that replays it draws again, the next
seed, as calling the function again would. A draw with an int seed is the same
at every call: a constant.

Example:
    >>> from nanokeras import random
    >>> random.normal((2,), seed=42).tolist() == random.normal((2,), seed=42).tolist()
    True
    >>> random.randint((3,), 0, 10, seed=1).dtype
    dtype('int32')
"""

import math

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.dtypes import is_float_dtype, is_int_dtype, standardize_dtype
from nanokeras.ops.gradient_utils import _recording_tapes, record, to_array
from nanokeras.ops.tensor import Constant
from nanokeras.random.seed_generator import draw_seed, stateful

__all__ = ["normal", "uniform", "truncated_normal", "randint", "categorical", "gamma", "beta", "binomial"]


def _shape(shape, op):
    values = (shape,) if isinstance(shape, (int, np.integer)) else shape
    try:
        values = tuple(int(d) for d in values)
    except (TypeError, ValueError):
        values = None
    if values is None or any(d < 0 for d in values) or isinstance(shape, (str, bool)):
        raise ValueError(f"`{op}`: `shape` must be a tuple of non-negative integers, got {shape!r}.")
    return values


def _float_dtype(dtype, op):
    dtype = config.floatx() if dtype is None else dtype
    if not is_float_dtype(dtype):
        raise ValueError(f"`keras.random.{op}` requires a floating point `dtype`, got dtype={dtype!r}.")
    return standardize_dtype(dtype)


def _drawn(seed, sample):
    """`sample(rng)` for the `seed` argument, recorded (with a replay that draws the next seed) when
    the seed comes from a generator and a tape records."""
    out = np.asarray(sample(np.random.default_rng(draw_seed(seed))))
    generator = stateful(seed)
    if not _recording_tapes or generator is None:
        return out
    # The generator's state is the node's input: a replay reads it, as a new call would.
    state = Constant(generator.state.value)

    def forward():
        np.copyto(out, sample(np.random.default_rng(draw_seed(seed))))

    return record(out, (state,), lambda g: (None,), forward)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from the normal distribution `N(mean, stddev**2)`.

    Args:
        shape: the shape of the result.
        mean, stddev: the distribution's mean and standard deviation.
        dtype: a float dtype (`floatx()` by default).
        seed: an int (the same numbers at each call), a `keras.random.SeedGenerator`
            (new numbers at each call), or None (the global generator).
    """
    shape, dtype = _shape(shape, "normal"), _float_dtype(dtype, "normal")
    return _drawn(seed, lambda rng: rng.normal(size=shape, loc=mean, scale=stddev).astype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from the uniform distribution on `[minval, maxval)` (arguments as `normal`)."""
    shape, dtype = _shape(shape, "uniform"), _float_dtype(dtype, "uniform")
    return _drawn(seed, lambda rng: rng.uniform(size=shape, low=minval, high=maxval).astype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from `N(mean, stddev**2)` restricted to within two standard deviations of the mean.

    Draws are repeated (values outside the bounds dropped) until there are enough.
    """
    shape, dtype = _shape(shape, "truncated_normal"), _float_dtype(dtype, "truncated_normal")
    count = math.prod(shape)
    low, high = mean - 2 * stddev, mean + 2 * stddev

    def sample(rng):
        kept = np.empty(0)
        while kept.shape[0] < count:
            batch = rng.normal(loc=mean, scale=stddev, size=count)
            kept = np.append(kept, batch[(batch >= low) & (batch <= high)])
        return kept[:count].astype(dtype).reshape(shape)

    return _drawn(seed, sample)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers drawn uniformly from `[minval, maxval)`."""
    shape = _shape(shape, "randint")
    if dtype is None or not is_int_dtype(dtype):
        raise ValueError(f"`keras.random.randint` requires an integer `dtype`, got dtype={dtype!r}.")
    dtype = standardize_dtype(dtype)
    if not minval < maxval:
        raise ValueError(f"`randint` needs minval < maxval, got minval={minval!r} and maxval={maxval!r}.")
    return _drawn(seed, lambda rng: rng.integers(low=minval, high=maxval, size=shape, dtype=dtype))


def _softmax_rows(logits):
    shifted = logits - np.max(logits, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """`num_samples` class indices per row of `logits` (batch, classes), drawn with probabilities softmax(row).

    Example:
        >>> categorical(np.array([[0.0, -1e9], [-1e9, 0.0]]), 3, seed=0).tolist()
        [[0, 0, 0], [1, 1, 1]]
    """
    values = np.asarray(to_array(logits))
    if values.ndim != 2:
        raise ValueError(
            f"`logits` should be a 2-D tensor with shape [batch_size, num_classes], got shape {values.shape}."
        )
    if not isinstance(num_samples, (int, np.integer)) or num_samples < 0:
        raise ValueError(f"`num_samples` must be a non-negative integer, got {num_samples!r}.")
    dtype = standardize_dtype(dtype)
    classes = np.arange(values.shape[-1])
    probabilities = _softmax_rows(values.astype(np.float64) if values.dtype.kind != "f" else values)

    def sample(rng):
        rows = [rng.choice(classes, size=num_samples, p=p) for p in probabilities]
        return np.array(rows).reshape(values.shape[0], num_samples).astype(dtype)

    return _drawn(seed, sample)


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from the gamma distribution with concentration `alpha` (scale 1)."""
    shape, dtype = _shape(shape, "gamma"), _float_dtype(dtype, "gamma")
    return _drawn(seed, lambda rng: rng.gamma(alpha, scale=1.0, size=shape).astype(dtype))


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from the beta distribution with concentrations `alpha` and `beta`."""
    shape, dtype = _shape(shape, "beta"), _float_dtype(dtype, "beta")
    a, b = np.asarray(to_array(alpha)), np.asarray(to_array(beta))
    return _drawn(seed, lambda rng: rng.beta(a=a, b=b, size=shape).astype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Successes out of `counts` trials of probability `probabilities` (as floats by default)."""
    shape = _shape(shape, "binomial")
    dtype = standardize_dtype(config.floatx() if dtype is None else dtype)
    n, p = np.asarray(to_array(counts)), np.asarray(to_array(probabilities))
    return _drawn(seed, lambda rng: rng.binomial(n=n, p=p, size=shape).astype(dtype))
