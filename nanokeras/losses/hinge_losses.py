"""Hinge losses (maximum-margin classification) as functions.

`hinge` and `squared_hinge` expect labels -1/1; labels that are all 0/1 are
converted to -1/1 first, as Keras does.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> keras.losses.hinge(np.array([[1.0, 0.0]]), np.array([[0.5, -2.0]]))
    array([0.25])
"""

import numpy as np

from nanokeras import ops
from nanokeras.ops.tensor import TensorOperators, value_of
from nanokeras.losses.regression import prepare
from nanokeras.losses.symbolic import accepting_symbolic_tensors


def convert_binary_labels_to_hinge(y_true):
    """Maps labels to -1/1 when every label is 0 or 1; leaves other labels unchanged."""
    if isinstance(y_true, TensorOperators):
        # Chosen by ops, not by Python: a replayed step checks the next batch's labels.
        is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
        return ops.where(is_binary, ops.subtract(ops.multiply(y_true, 2.0), 1.0), y_true)
    values = value_of(y_true)
    if not np.all((values == 0) | (values == 1)):
        return y_true
    return 2.0 * values - 1.0


@accepting_symbolic_tensors
def hinge(y_true, y_pred):
    """`mean(maximum(1 - y_true * y_pred, 0), axis=-1)`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.hinge(np.array([[-1.0, 1.0]]), np.array([[0.5, 2.0]]))
        array([0.75])
    """
    y_true, y_pred = prepare(y_true, y_pred, match_ranks=False)
    y_true = convert_binary_labels_to_hinge(y_true)
    return ops.mean(ops.maximum(ops.subtract(1.0, ops.multiply(y_true, y_pred)), 0.0), axis=-1)


@accepting_symbolic_tensors
def squared_hinge(y_true, y_pred):
    """`mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.squared_hinge(np.array([[-1.0, 1.0]]), np.array([[0.5, 2.0]]))
        array([1.125])
    """
    y_true, y_pred = prepare(y_true, y_pred, match_ranks=False)
    y_true = convert_binary_labels_to_hinge(y_true)
    margin = ops.maximum(ops.subtract(1.0, ops.multiply(y_true, y_pred)), 0.0)
    return ops.mean(ops.square(margin), axis=-1)


@accepting_symbolic_tensors
def categorical_hinge(y_true, y_pred):
    """`maximum(neg - pos + 1, 0)` with `pos = sum(y_true * y_pred)` and `neg = max((1 - y_true) * y_pred)`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.losses.categorical_hinge(np.array([[0.0, 1.0]]), np.array([[0.3, 0.6]]))
        array([0.7])
    """
    y_true, y_pred = prepare(y_true, y_pred, match_ranks=False)
    pos = ops.sum(ops.multiply(y_true, y_pred), axis=-1)
    neg = ops.max(ops.multiply(ops.subtract(1.0, y_true), y_pred), axis=-1)
    return ops.maximum(ops.add(ops.subtract(neg, pos), 1.0), 0.0)
