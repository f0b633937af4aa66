"""`set_random_seed`: one call that makes a whole program reproducible.

Example:
    >>> import nanokeras as keras
    >>> keras.utils.set_random_seed(42)
"""

import numbers
import random

import numpy as np

from nanokeras.backend import random as backend_random


def set_random_seed(seed):
    """Seeds Python's `random`, numpy's global generator and nanokeras's shared generator.

    Unseeded initializers and dropout draw from the shared generator; `fit` shuffles with
    numpy's (and a `PyDataset`'s batches with Python's) global generator, as Keras on JAX
    does. So the same seed gives the same run, and `fit` visits the samples in Keras's order.

    Args:
        seed: an integer in `[0, 2**32)`.

    Example:
        >>> import nanokeras as keras
        >>> keras.utils.set_random_seed(1)
        >>> a = keras.initializers.GlorotUniform()((2, 2))
        >>> keras.utils.set_random_seed(1)
        >>> bool((a == keras.initializers.GlorotUniform()((2, 2))).all())
        True
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(
            "Expected `seed` argument to be an integer, "
            f"got seed={seed!r} (of type {type(seed).__name__})."
        )
    seed = int(seed)
    if not 0 <= seed < 2**32:
        raise ValueError(
            f"`seed` must be in [0, 2**32) (numpy's seed range), got seed={seed}."
        )
    random.seed(seed)
    np.random.seed(seed)
    backend_random.seed_global_generator(seed)
