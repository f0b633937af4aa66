"""The Circle loss (Sun et al., 2020) for metric learning: pulls embeddings of one class together
and pushes other classes away, on the cosine distances between L2-normalized embeddings.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> labels = np.array([0, 0, 1])
    >>> embeddings = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> keras.losses.circle(labels, embeddings).round(4).tolist()
    [0.0, 0.0, 0.0]
"""

import numpy as np

from nanokeras import ops
from nanokeras.losses.regression import _float_dtype, _cast
from nanokeras.losses.symbolic import accepting_symbolic_tensors
from nanokeras.ops.tensor import value_of


def _pair_masks(labels, reference_labels, remove_diagonal):
    """Which (sample, reference) pairs share a label (positives) and which do not (negatives)."""
    labels = ops.reshape(labels, (-1, 1))
    reference_labels = ops.reshape(reference_labels, (-1, 1))
    positive = ops.equal(labels, ops.transpose(reference_labels))
    negative = ops.logical_not(positive)
    if remove_diagonal:
        rows, columns = np.shape(value_of(labels))[0], np.shape(value_of(reference_labels))[0]
        positive = ops.logical_and(positive, np.logical_not(np.eye(rows, columns, dtype=bool)))
    return positive, negative


def circle_losses(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80,
                  margin=0.4):
    """The per-sample Circle losses, and the mask of those that count (loss > 0), as Keras masks them."""
    dtype = _float_dtype(y_pred)
    y_pred = _cast(y_pred, dtype)
    labels = ops.cast(y_true, "int32")
    ref_embeddings = y_pred if ref_embeddings is None else _cast(ref_embeddings, dtype)
    ref_labels = labels if ref_labels is None else ops.cast(ref_labels, "int32")
    distances = ops.maximum(ops.subtract(1.0, ops.matmul(y_pred, ops.transpose(ref_embeddings))), 0.0)
    positive, negative = _pair_masks(labels, ref_labels, remove_diagonal)
    positive_weights = ops.maximum(ops.multiply(ops.add(margin, distances), ops.cast(positive, dtype)), 0.0)
    negative_weights = ops.maximum(ops.multiply(ops.subtract(1.0 + margin, distances), ops.cast(negative, dtype)),
                                   0.0)
    positive_terms = ops.multiply(ops.multiply(-gamma, positive_weights), ops.subtract(margin, distances))
    negative_terms = ops.multiply(ops.multiply(gamma, negative_weights), ops.subtract(1.0 - margin, distances))
    # Keras leaves the other pairs out with -inf; a very negative finite number gives the same losses
    # (exp of it is 0, and a row without pairs still ends at softplus(-huge) = 0) without the NaNs
    # that -inf - (-inf) would make in the gradient.
    # (Small enough that summing a row of them cannot overflow either.)
    columns = max(np.shape(value_of(distances))[1], 1)
    left_out = dtype.type(-np.finfo(dtype).max / (4.0 * columns))
    positive_loss = ops.logsumexp(ops.where(positive, positive_terms, left_out), axis=1)
    negative_loss = ops.logsumexp(ops.where(negative, negative_terms, left_out), axis=1)
    losses = ops.softplus(ops.add(positive_loss, negative_loss))
    return losses, ops.greater(losses, 0.0)


@accepting_symbolic_tensors
def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80, margin=0.4):
    """The Circle loss of each sample.

    Args:
        y_true: integer class labels, shape `(batch,)`.
        y_pred: L2-normalized embeddings, shape `(batch, dim)`.
        ref_labels / ref_embeddings: the samples to compare with (default: the batch itself).
        remove_diagonal: leave out each sample's pair with itself.
        gamma: the scale of the loss (80).
        margin: the relaxation of the decision boundary (0.4).
    """
    return circle_losses(y_true, y_pred, ref_labels, ref_embeddings, remove_diagonal, gamma, margin)[0]
