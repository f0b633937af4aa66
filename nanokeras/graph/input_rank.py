"""How a model's input takes data whose rank is one off: Keras's functional models squeeze a
trailing axis of size 1, or add one where the `Input` ends in size 1.

So the classic first tutorial, `Sequential([Dense(1, input_shape=[1])])` fitted on a plain
vector of Celsius values (shape `(7,)`), trains as in Keras: each value is one sample.
"""

import numpy as np

from nanokeras.ops import numpy as ops


def input_rank(value):
    """The rank of an array, Tensor, KerasTensor or nested Python list."""
    rank = getattr(value, "ndim", None)
    return np.ndim(value) if rank is None else rank


def match_input_rank(value, shape):
    """`value`, with its last axis dropped or added when that gives the rank of `shape` (an
    `Input`'s batch shape, batch axis included); otherwise `value` unchanged.

    Example:
        >>> match_input_rank(np.zeros(7), (None, 1)).shape
        (7, 1)
        >>> match_input_rank(np.zeros((2, 3, 1)), (None, 3)).shape
        (2, 3)
    """
    rank, wanted = input_rank(value), len(shape)
    if rank == wanted + 1 and (value.shape if hasattr(value, "shape") else np.shape(value))[-1] == 1:
        return ops.squeeze(value, axis=-1)
    if rank == wanted - 1 and shape[-1] == 1:
        return ops.expand_dims(value, axis=-1)
    return value
