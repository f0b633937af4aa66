"""`keras.random`: random numbers, seeded as Keras seeds them.

An int `seed` gives the same numbers at every call; a `SeedGenerator` gives new
numbers at each call, reproducibly; `seed=None` draws from a global generator
that `keras.utils.set_random_seed` makes again from its seed. The numbers are
those real Keras gives on its numpy backend.

Example:
    >>> import nanokeras as keras
    >>> generator = keras.random.SeedGenerator(1337)
    >>> a = keras.random.uniform((2,), seed=generator)
    >>> b = keras.random.uniform((2,), seed=generator)
    >>> bool((a != b).all())
    True
"""

from nanokeras.ops import _accepting_symbolic_tensors
from nanokeras.random import dropout_and_shuffle as _tensor_ops
from nanokeras.random.sampling import beta, binomial, gamma, normal, randint, truncated_normal, uniform
from nanokeras.random.sampling import categorical as _categorical
from nanokeras.random.seed_generator import SeedGenerator

# The ops taking tensors also take the symbolic tensors of the functional API.
dropout = _accepting_symbolic_tensors(_tensor_ops.dropout)
shuffle = _accepting_symbolic_tensors(_tensor_ops.shuffle)
categorical = _accepting_symbolic_tensors(_categorical)

__all__ = ["SeedGenerator", "beta", "binomial", "categorical", "dropout", "gamma", "normal", "randint", "shuffle",
           "truncated_normal", "uniform"]
