"""The CTC (Connectionist Temporal Classification) loss, for sequences without alignments.

`y_true` holds each sample's label ids, padded with 0 (0 is the blank and never a
class); `y_pred` holds logits over time, `(batch, steps, classes)`. Every step of
`y_pred` counts; a label's length is its number of non-zero ids.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> y_true = np.array([[1, 2, 0]])
    >>> round(float(keras.losses.ctc(y_true, np.zeros((1, 4, 3), "float32"))[0]), 4)
    1.6864
"""

import numpy as np

from nanokeras import ops
from nanokeras.losses.symbolic import accepting_symbolic_tensors


@accepting_symbolic_tensors
def ctc(y_true, y_pred):
    """The CTC loss of each sample: `-log p(y_true | y_pred)`, with blank 0 and all of `y_pred`'s steps.

    Args:
        y_true: int labels, `(batch, max_length)`, padded with 0.
        y_pred: logits (not softmax outputs), `(batch, steps, classes)`.
    """
    true_shape, pred_shape = ops.shape(y_true), ops.shape(y_pred)
    if len(true_shape) != 2:
        raise ValueError(
            "`y_true` of the CTC loss must be integer labels of shape (batch_size, max_length), padded with 0; "
            f"got shape {tuple(true_shape)}."
        )
    if len(pred_shape) != 3:
        raise ValueError(
            "`y_pred` of the CTC loss must be logits of shape (batch_size, steps, num_classes); "
            f"got shape {tuple(pred_shape)}."
        )
    labels = ops.cast(y_true, "int32")
    label_length = ops.cast(ops.sum(ops.not_equal(labels, 0), axis=-1), "int32")
    steps = np.full((pred_shape[0],), pred_shape[1], dtype="int32")
    return ops.ctc_loss(labels, y_pred, label_length, steps, mask_index=0)
