"""Changing a variable as part of a computation: the moving averages of BatchNormalization.

A layer that keeps running statistics updates them during its call. Done as an op,
the update is recorded (with no gradient) like any other, so a compiled training
step replays it for every batch; outside a tape it simply happens.
"""

import numpy as np

from nanokeras.backend.state_scopes import stateless_slot
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
    if stateless_slot[0] is not None:  # a keras.StatelessScope keeps the old contents
        stateless_slot[0]._save(variable)
    _moving_average(variable, value, momentum)
    if is_tracked(value):
        # Recorded for the replay of a compiled step; nothing flows back through an update.
        record(variable.value, (variable, value), lambda g: (None, None),
               lambda: _moving_average(variable, value, momentum))
    return variable


def assign_state(variable, value):
    """`variable[...] = value`, in place, as a recorded op (no gradient flows through it); returns the variable.

    What a stateful layer does with its final states: recorded, a compiled step
    replays the update for every batch. Read the variable's old value (e.g. copy it)
    before: ops recorded earlier may still read it during the backward pass.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> v = keras.Variable(np.zeros(2))
        >>> _ = assign_state(v, np.array([1.0, 2.0]))
        >>> v.numpy().tolist()
        [1.0, 2.0]
    """
    if stateless_slot[0] is not None:
        stateless_slot[0]._save(variable)
    current = variable.value

    def update():
        np.copyto(current, value_of(value), casting="unsafe")

    update()
    if is_tracked(value):
        record(current, (variable, value), lambda g: (None, None), update)
    return variable
