"""`multi_hot`: encodes sets of class ids (the rows of `x`) as 0/1 vectors.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> ops.multi_hot(np.array([[0, 2], [1, 1]]), 4).tolist()
    [[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0]]
"""

import numpy as np

from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.nn import one_hot
from nanokeras.ops.op_builders import values, without_gradient

__all__ = []
NN_NAMES = ["multi_hot"]


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """1 at the classes present in each row of `inputs` (the whole input when it is 1-D), else 0."""
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)  # Keras's older name
    if kwargs:
        raise TypeError(f"multi_hot() got unexpected keyword argument(s): {', '.join(sorted(kwargs))}.")
    if num_classes is None:
        raise ValueError("`multi_hot` needs `num_classes`.")
    if sparse:
        raise ValueError("nanokeras has dense arrays only: `sparse` must be False.")
    reduction_axis = 1 if np.ndim(to_array(inputs)) > 1 else 0

    def compute():
        encoded = one_hot(values(inputs)[0].astype(np.int32), num_classes, axis=axis, dtype=dtype)
        return np.max(encoded, axis=reduction_axis)

    return without_gradient(compute, (inputs,))
