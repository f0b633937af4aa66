"""`SeedGenerator`: the state random ops draw their seeds from, as Keras keeps it.

Random ops are stateless: `keras.random.normal(shape, seed=42)` gives the same
numbers at every call. To get new numbers at each call, pass a `SeedGenerator`:
its `state` (a non-trainable uint32 Variable `[seed, counter]`) advances at
each draw. `seed=None` uses a global `SeedGenerator`, which
`keras.utils.set_random_seed` makes again from its seed.

The numbers for a seed `[s, c]` are those of `np.random.default_rng([s, c])`,
so they equal, bit for bit, those of real Keras on its numpy backend (JAX and
TensorFlow have random generators of their own).

Example:
    >>> generator = SeedGenerator(seed=42)
    >>> generator.next().tolist(), generator.next().tolist()
    ([42, 0], [42, 1])
    >>> generator.state.numpy().tolist()
    [42, 2]
"""

import numbers
import random as python_random

import numpy as np

from nanokeras.backend import naming
from nanokeras.backend import random as backend_random
from nanokeras.ops.variable import Variable

SEED_DTYPE = np.dtype("uint32")
_STEP = np.array([0, 1], SEED_DTYPE)


class SeedGenerator:
    """Hands out a new seed at each `next()` call, from a state `[seed, counter]`.

    Args:
        seed: an integer; None draws one (reproducibly after `keras.utils.set_random_seed`,
            or after `np.random.seed` alone, see `make_default_seed`).
        name: the generator's name (`seed_generator`, `seed_generator_1`, ... by default).
    """

    def __init__(self, seed=None, name=None, **kwargs):
        kwargs.pop("backend", None)  # Keras's own backend override: there is one backend here
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments for SeedGenerator: {sorted(kwargs)}.")
        self.name = name or naming.auto_name(type(self).__name__)
        self._initial_seed = seed
        if seed is None:
            seed = make_default_seed()
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise ValueError(f"Argument `seed` must be an integer, got seed={seed!r}.")
        self.state = Variable(_seed_pair(int(seed), "seed"), dtype=SEED_DTYPE.name, trainable=False,
                              name="seed_generator_state")
        self.state.path = f"{self.name}/seed_generator_state"

    def next(self, ordered=True):
        """The current state (a new uint32 array `[seed, counter]`); then the state advances.

        `ordered=True` counts up (`[s, c] -> [s, c + 1]`); `ordered=False` scrambles the
        state to a new, near-unique pair, as Keras's global generator does.
        """
        state = self.state.value
        current = state.copy()
        if ordered:
            np.add(state, _STEP, out=state)
        else:
            with np.errstate(over="ignore"):  # uint32 wraps around, as in Keras
                np.copyto(state, (current + SEED_DTYPE.type(1)) * SEED_DTYPE.type(5387) % SEED_DTYPE.type(933199))
        return current

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name}, state={self.state.value.tolist()}>"


def make_default_seed():
    """A seed for a `SeedGenerator` made without one.

    After `keras.utils.set_random_seed(s)` it comes from Python's `random` (seeded with
    `s`), as in Keras, so a seeded program gives Keras's numbers; before, from numpy's
    global state, so `np.random.seed(s)` alone also makes a program reproducible.
    """
    if backend_random.seeded():
        return python_random.randint(1, int(1e9))
    return int(np.random.randint(1, int(1e9) + 1))


def global_seed_generator():
    """The generator random ops use for `seed=None`."""
    slot = backend_random.global_seed_generator_slot
    if slot[0] is None:
        slot[0] = SeedGenerator(name="global_seed_generator")
    return slot[0]


def _seed_pair(seed, argument):
    if not 0 <= seed < 2**32:
        raise ValueError(f"`{argument}` must be an integer in [0, 2**32), got {seed}.")
    return np.array([seed, 0], SEED_DTYPE)


def draw_seed(seed):
    """The uint32 pair `[seed, counter]` a random op draws with, for a `seed` argument.

    An int is used as is (the same numbers every call); a `SeedGenerator` hands out its
    next seed; None draws from the global generator.
    """
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if seed is None:
        return global_seed_generator().next(ordered=False)
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return _seed_pair(int(seed), "seed")
    raise ValueError(
        f"Argument `seed` must be an integer or a `keras.random.SeedGenerator`, got seed={seed!r} "
        f"(of type {type(seed).__name__})."
    )


def stateful(seed):
    """The SeedGenerator behind a `seed` argument (None: the global one), or None for an int seed."""
    if isinstance(seed, SeedGenerator):
        return seed
    if seed is None:
        return global_seed_generator()
    return None
