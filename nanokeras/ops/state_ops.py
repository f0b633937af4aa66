"""Changing a variable as part of a computation: the moving averages of BatchNormalization.

A layer that keeps running statistics updates them during its call. Done as an op,
the update is recorded (with no gradient) like any other, so a compiled training
step replays it for every batch; outside a tape it simply happens.
"""

import numpy as np

from nanokeras.ops.gradient_utils import is_tracked, record, value_of

__all__ = []  # used by layers; not part of `keras.ops`


def _moving_average(variable, value, momentum):
    current = variable.value
    current[...] = current * momentum + value_of(value).astype(current.dtype) * (1.0 - momentum)
    return current


def assign_moving_average(variable, value, momentum):
    """`variable = variable * momentum + value * (1 - momentum)`, in place; returns the variable.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> v = keras.Variable(np.zeros(2))
        >>> _ = assign_moving_average(v, np.array([1.0, 2.0]), 0.5)
        >>> v.numpy().tolist()
        [0.5, 1.0]
    """
    _moving_average(variable, value, momentum)
    if is_tracked(value):
        # Recorded for the replay of a compiled step; nothing flows back through an update.
        record(variable.value, (variable, value), lambda g: (None, None),
               lambda: _moving_average(variable, value, momentum))
    return variable
