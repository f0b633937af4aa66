"""Helpers every op's gradient uses: reading values and undoing broadcasting."""

import numpy as np

from nanokeras.backend.tape import _recording_tapes, record  # noqa: F401  (re-exported for ops)
from nanokeras.backend.tensor import value_of  # noqa: F401


def unbroadcast(gradient, shape):
    """Sums `gradient` down to `shape`, undoing numpy broadcasting.

    When `x` of shape (3, 1) is added to `y` of shape (2, 3, 4), the result has
    shape (2, 3, 4); each element of `x` was used 2*4 times, so its gradient is
    the sum over those axes.
    """
    from nanokeras.ops.numpy import reshape, sum as sum_

    gradient_shape = np.shape(value_of(gradient))
    shape = tuple(shape)
    if gradient_shape == shape:
        return gradient
    extra = len(gradient_shape) - len(shape)
    axes = tuple(range(extra)) + tuple(
        i + extra for i, size in enumerate(shape) if size == 1 and gradient_shape[i + extra] != 1
    )
    if axes:
        gradient = sum_(gradient, axis=axes)
    return reshape(gradient, shape)
