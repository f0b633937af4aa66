"""`KerasTensor`: a symbolic tensor (shape and dtype, no values), as `keras.Input` returns.

It describes what will flow through a model before any data exists, so layers
can be built with the right weight shapes. `_keras_history` names the layer that
produced it.
"""

import numpy as np


class KerasTensor:
    """A placeholder for a tensor of known shape and dtype.

    Example:
        >>> import nanokeras as keras
        >>> x = keras.Input(shape=(2,))
        >>> x.shape
        (None, 2)
    """

    def __init__(self, shape, dtype="float32", name=None, sparse=False):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = np.dtype(dtype).name
        self.name = name
        self.sparse = bool(sparse)
        self._keras_history = None

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"
