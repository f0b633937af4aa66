"""The random number source behind initializers, shuffling and dropout.

`keras.utils.set_random_seed(seed)` reseeds it (and Python's and numpy's global
generators), so the same seed gives bit-identical training.
"""

import numpy as np

_generator = np.random.default_rng()


def global_generator():
    """The session's shared `numpy.random.Generator`."""
    return _generator


def seed_global_generator(seed):
    global _generator
    _generator = np.random.default_rng(seed)


def make_generator(seed=None):
    """A generator for `seed`: a fresh stream when `seed` is an int, the shared one when None."""
    if seed is None:
        return _generator
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def draw_seed(seed=None):
    """An integer seed: `seed` itself, or one drawn from the shared generator."""
    if seed is None:
        return int(_generator.integers(0, 2**31 - 1))
    return int(seed)
