"""Calls that only look: before training, the trainer runs the model once on a sample to
learn its outputs (shapes and dtypes, for the loss and metrics). Within `outputs_only()`
layers that keep state between calls (a stateful RNN) neither read nor write it, so that
look changes nothing (Keras makes no such call).

Example:
    >>> with outputs_only():
    ...     active()
    True
    >>> active()
    False
"""

import contextlib

_depth = [0]


@contextlib.contextmanager
def outputs_only():
    """Within it, calls leave the states of stateful layers untouched (and start from zeros)."""
    _depth[0] += 1
    try:
        yield
    finally:
        _depth[0] -= 1


def active():
    """True inside `outputs_only()`."""
    return _depth[0] > 0
