"""Overlap losses for segmentation masks: Dice and Tversky, as functions.

Both compare the soft overlap of the predicted and true masks; `axis=None` measures
the overlap over everything (one number for the batch), `axis=(1, 2, 3)` per image.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> round(float(keras.losses.dice(np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]]))), 6)
    0.0
"""

from nanokeras import ops
from nanokeras.backend import config
from nanokeras.losses.regression import prepare
from nanokeras.losses.symbolic import accepting_symbolic_tensors


@accepting_symbolic_tensors
def dice(y_true, y_pred, axis=None):
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)` over `axis`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> round(float(keras.losses.dice(np.array([[1.0, 1.0]]), np.array([[1.0, 0.0]]))), 6)
        0.333333
    """
    y_true, y_pred = prepare(y_true, y_pred, match_ranks=False)
    intersection = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    total = ops.add(ops.add(ops.sum(y_true, axis=axis), ops.sum(y_pred, axis=axis)), config.epsilon())
    return ops.subtract(1.0, ops.divide(ops.multiply(2.0, intersection), total))


@accepting_symbolic_tensors
def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """`1 - TP / (TP + alpha * FP + beta * FN + epsilon)` with soft counts over `axis`.

    As in Keras, `alpha` weighs `sum((1 - y_pred) * y_true)` and `beta` weighs
    `sum(y_pred * (1 - y_true))`; 0.5 and 0.5 give the Dice loss.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> y_true, y_pred = np.array([[1.0, 1.0]]), np.array([[1.0, 0.0]])
        >>> round(float(keras.losses.tversky(y_true, y_pred, alpha=1.0, beta=0.0)), 6)
        0.5
    """
    y_true, y_pred = prepare(y_true, y_pred, match_ranks=False)
    true_positives = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    false_positives = ops.sum(ops.multiply(ops.subtract(1.0, y_pred), y_true), axis=axis)
    false_negatives = ops.sum(ops.multiply(y_pred, ops.subtract(1.0, y_true)), axis=axis)
    denominator = ops.add(ops.add(ops.add(true_positives, ops.multiply(false_positives, alpha)),
                                  ops.multiply(false_negatives, beta)), config.epsilon())
    return ops.subtract(1.0, ops.divide(true_positives, denominator))
