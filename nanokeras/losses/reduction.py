"""Keras 2's `keras.losses.Reduction`: names for the `reduction` argument of losses.

Keras 3 takes the strings themselves (`reduction="none"`); this class exists so Keras 2
code (`reduction=keras.losses.Reduction.NONE`) runs unchanged.

Example:
    >>> from nanokeras.losses.reduction import Reduction
    >>> Reduction.NONE, Reduction.AUTO
    ('none', 'sum_over_batch_size')
"""


class Reduction:
    """The reductions of a loss's per-sample values, as Keras 2 named them."""

    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"
    # Keras 2's AUTO meant SUM_OVER_BATCH_SIZE except under a distribution strategy.
    AUTO = "sum_over_batch_size"

    @classmethod
    def all(cls):
        """The reduction names, as Keras 2 listed them."""
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        """Raises a `ValueError` unless `key` is one of `all()`."""
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction key: {key!r}. Expected keys are {cls.all()}.")
