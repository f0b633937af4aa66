"""The random number source behind initializers and dropout (`fit` shuffles with numpy's global
generator itself, as Keras on JAX does).

Until `keras.utils.set_random_seed(seed)` is called, randomness is drawn from
numpy's global generator, so the tutorial habit `np.random.seed(0)` alone makes
a run reproducible. `set_random_seed` seeds a dedicated generator (and Python's
and numpy's), so the same seed gives bit-identical training.
"""

import numpy as np

_generator = None  # a dedicated Generator once `seed_global_generator` was called
# The `keras.random.SeedGenerator` that random ops called with `seed=None` draw from; made on first
# use (by `nanokeras.random`), dropped by `keras.utils.set_random_seed` so it is made again from the seed.
global_seed_generator_slot = [None]


class _NumpyGlobalGenerator:
    """Generator-like view of numpy's global `np.random` state (the unseeded default)."""

    def integers(self, low, high=None, size=None, dtype=np.int64):
        return np.random.randint(low, high, size=size, dtype=dtype)

    def permutation(self, x):
        return np.random.permutation(x)

    def shuffle(self, x):
        np.random.shuffle(x)

    def random(self, size=None, dtype=np.float64):
        return np.random.random_sample(size).astype(dtype) if size is not None else np.random.random_sample()

    def uniform(self, low=0.0, high=1.0, size=None):
        return np.random.uniform(low, high, size)

    def normal(self, loc=0.0, scale=1.0, size=None):
        return np.random.normal(loc, scale, size)

    def beta(self, a, b, size=None):
        return np.random.beta(a, b, size)

    def standard_normal(self, size=None, dtype=np.float64):
        values = np.random.standard_normal(size)
        return values.astype(dtype) if size is not None else values


_numpy_global = _NumpyGlobalGenerator()


def global_generator():
    """The session's shared generator: the seeded one, or numpy's global state."""
    return _generator if _generator is not None else _numpy_global


def seed_global_generator(seed):
    global _generator
    _generator = np.random.default_rng(seed)
    global_seed_generator_slot[0] = None


def seeded():
    """True once `keras.utils.set_random_seed` was called."""
    return _generator is not None


def make_generator(seed=None):
    """A generator for `seed`: a fresh stream when `seed` is an int, the shared one when None."""
    if seed is None:
        return global_generator()
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def draw_seed(seed=None):
    """An integer seed: `seed` itself, or one drawn from the shared generator."""
    if seed is None:
        return int(global_generator().integers(0, 2**31 - 1))
    return int(seed)
