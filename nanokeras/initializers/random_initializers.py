"""Random initializers: `RandomNormal`, `RandomUniform`, `TruncatedNormal`, `Orthogonal`.

Seeding follows Keras 3: an initializer draws from a seed fixed when it is built,
so calling the same instance twice with the same shape gives the same values.
`seed=None` takes that seed from nanokeras's shared generator, so
`keras.utils.set_random_seed(n)` makes every later model reproducible. Pass a
`numpy.random.Generator` as `seed` to get fresh values on every call.

Example:
    >>> import nanokeras as keras
    >>> init = keras.initializers.RandomNormal(stddev=1.0, seed=7)
    >>> bool((init((3,)) == init((3,))).all())
    True
"""

import numbers

import numpy as np

from nanokeras.backend import random as backend_random
from nanokeras.initializers.initializer import (
    Initializer,
    standardize_float_dtype,
    standardize_shape,
)

# Keras truncates normal draws at two standard deviations.
TRUNCATION_BOUND = 2.0


def _check_number(value, argument, owner):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{owner} `{argument}` must be a number, got {value!r}.")
    return value


class RandomInitializer(Initializer):
    """Base for initializers that draw random numbers; owns the seed handling."""

    def __init__(self, seed=None):
        if seed is None:
            self._init_seed = None
            self.seed = backend_random.draw_seed(None)
        elif isinstance(seed, np.random.Generator):
            self._init_seed = None
            self.seed = seed
        elif isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
            if seed < 0:
                raise ValueError(f"{type(self).__name__} `seed` must be >= 0, got {seed}.")
            self._init_seed = int(seed)
            self.seed = int(seed)
        else:
            raise ValueError(
                f"{type(self).__name__} `seed` must be an integer, None, or a "
                f"numpy.random.Generator; got seed={seed!r} of type {type(seed).__name__}."
            )

    def _generator(self):
        # An int seed restarts the same stream on every call (Keras semantics).
        return backend_random.make_generator(self.seed)

    def get_config(self):
        return {"seed": self._init_seed}


def sample_normal(generator, shape, mean, stddev, dtype):
    return (generator.standard_normal(shape) * stddev + mean).astype(dtype)


def sample_truncated_normal(generator, shape, mean, stddev, dtype):
    """Standard normal draws beyond +-2 redrawn until inside, then scaled by `stddev`."""
    values = generator.standard_normal(shape)
    outside = np.abs(values) > TRUNCATION_BOUND
    while outside.any():
        values[outside] = generator.standard_normal(int(outside.sum()))
        outside = np.abs(values) > TRUNCATION_BOUND
    return (values * stddev + mean).astype(dtype)


def sample_uniform(generator, shape, minval, maxval, dtype):
    values = generator.uniform(minval, maxval, shape).astype(dtype)
    # Rounding to float32 can land exactly on maxval; keep the interval half-open.
    if maxval > minval:
        np.minimum(values, np.nextafter(np.asarray(maxval, dtype), np.asarray(minval, dtype)), out=values)
    return values


class RandomNormal(RandomInitializer):
    """Draws from a normal distribution N(mean, stddev**2).

    Args:
        mean: mean of the values.
        stddev: standard deviation (>= 0).
        seed: int for a fixed stream, None to take one from the global seed.

    Example:
        >>> import nanokeras as keras
        >>> keras.initializers.RandomNormal(stddev=1.0, seed=1)((2, 2)).shape
        (2, 2)
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = _check_number(mean, "mean", type(self).__name__)
        self.stddev = _check_number(stddev, "stddev", type(self).__name__)
        if stddev < 0:
            raise ValueError(
                f"{type(self).__name__} `stddev` must be >= 0, got stddev={stddev}."
            )
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        dtype = standardize_float_dtype(dtype, type(self).__name__)
        return sample_normal(self._generator(), shape, self.mean, self.stddev, dtype)

    def get_config(self):
        return {"seed": self._init_seed, "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomNormal):
    """Like `RandomNormal`, but values beyond 2 standard deviations are redrawn.

    The result's standard deviation is about `0.88 * stddev` because of the truncation.

    Example:
        >>> import nanokeras as keras
        >>> values = keras.initializers.TruncatedNormal(stddev=1.0, seed=0)((1000,))
        >>> bool(abs(values).max() <= 2.0)
        True
    """

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        dtype = standardize_float_dtype(dtype, type(self).__name__)
        return sample_truncated_normal(self._generator(), shape, self.mean, self.stddev, dtype)


class RandomUniform(RandomInitializer):
    """Draws uniformly from `[minval, maxval)`.

    Example:
        >>> import nanokeras as keras
        >>> values = keras.initializers.RandomUniform(0.0, 1.0, seed=2)((100,))
        >>> bool(((values >= 0) & (values < 1)).all())
        True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        name = type(self).__name__
        self.minval = _check_number(minval, "minval", name)
        self.maxval = _check_number(maxval, "maxval", name)
        if minval > maxval:
            raise ValueError(
                f"{name} needs `minval <= maxval`, got minval={minval}, maxval={maxval}."
            )
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        dtype = standardize_float_dtype(dtype, type(self).__name__)
        return sample_uniform(self._generator(), shape, self.minval, self.maxval, dtype)

    def get_config(self):
        return {"seed": self._init_seed, "minval": self.minval, "maxval": self.maxval}


class Orthogonal(RandomInitializer):
    """An orthogonal matrix (times `gain`) from the QR decomposition of normal draws.

    Shapes with more than 2 dimensions are flattened to
    `(prod(shape[:-1]), shape[-1])`, made orthogonal, and reshaped back.
    Rows are orthonormal when there are fewer rows than columns, else columns are.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> q = keras.initializers.Orthogonal(seed=0)((3, 3))
        >>> bool(np.allclose(q.T @ q, np.eye(3), atol=1e-5))
        True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = _check_number(gain, "gain", "Orthogonal")
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        if len(shape) < 2:
            raise ValueError(
                "The Orthogonal initializer needs a shape of rank >= 2, got "
                f"shape={shape} of rank {len(shape)}."
            )
        dtype = standardize_float_dtype(dtype, "Orthogonal")
        rows = int(np.prod(shape[:-1]))
        cols = shape[-1]
        if rows == 0 or cols == 0:
            return np.zeros(shape, dtype=dtype)
        flat = self._generator().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(flat)
        # Sign fix makes the distribution uniform over orthogonal matrices.
        q = q * np.where(np.diag(r) < 0, -1.0, 1.0)
        if rows < cols:
            q = q.T
        return (self.gain * q).reshape(shape).astype(dtype)

    def get_config(self):
        return {"seed": self._init_seed, "gain": self.gain}
