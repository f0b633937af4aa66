"""`Concatenate`: joins a list of tensors along one axis (and `keras.layers.concatenate`).

Example:
    >>> import numpy as np, nanokeras as keras
    >>> keras.layers.Concatenate()([np.ones((2, 3)), np.zeros((2, 1))]).shape
    (2, 4)
"""

import numpy as np

from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.layers.merging.base_merge import Merge
from nanokeras.ops import masking as masking_ops
from nanokeras.ops import numpy as ops


class Concatenate(Merge):
    """Concatenates inputs that match in every axis but `axis` (the last by default)."""

    _replayable = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"Concatenate: `axis` must be an int, got {axis!r}.")
        self.axis = axis

    def compute_mask(self, inputs, mask=None):
        """Each input's mask (all True for an unmasked one) joined along `axis`, reduced over the last axis."""
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)) or not isinstance(inputs, (list, tuple)) or len(mask) != len(inputs):
            raise ValueError(f"Concatenate: `mask` must be a list with one entry per input, got mask={mask!r:.200}.")
        if all(m is None for m in mask):
            return None
        axis = self.axis
        if any(isinstance(m, KerasTensor) for m in mask):
            return _symbolic_joined_mask(inputs, mask, axis)

        def joined(*values):
            arrays, masks = values[:len(values) // 2], values[len(values) // 2:]
            full = []
            for array, m in zip(arrays, masks):
                if m is None:
                    full.append(np.ones(np.shape(array), dtype=bool))
                elif np.ndim(m) < np.ndim(array):
                    full.append(np.broadcast_to(np.expand_dims(m, -1), np.shape(array)))
                else:
                    full.append(np.asarray(m, dtype=bool))
            return np.any(np.concatenate(full, axis=axis), axis=-1)

        return masking_ops.derived_mask(joined, *inputs, *mask)

    def build(self, input_shape):
        self._check_input_list(input_shape)
        self.compute_output_shape(input_shape)
        self.built = True

    def compute_output_shape(self, input_shape):
        self._check_input_list(input_shape)
        ranks = {len(s) for s in input_shape}
        message = (
            "A `Concatenate` layer requires inputs with matching shapes except for the concatenation "
            f"axis. Received: input_shape={[tuple(s) for s in input_shape]}"
        )
        if len(ranks) != 1:
            raise ValueError(message)
        rank = ranks.pop()
        if not -rank <= self.axis < rank:
            raise ValueError(f"Concatenate: `axis`={self.axis} is out of range for inputs of rank {rank}.")
        axis = self.axis % rank
        out = list(input_shape[0])
        for shape in input_shape[1:]:
            for i, (a, b) in enumerate(zip(out, shape)):
                if i == axis or i == 0:
                    continue
                if a is not None and b is not None and a != b:
                    raise ValueError(message)
                if a is None:
                    out[i] = b
        total = 0
        for shape in input_shape:
            if shape[axis] is None:
                total = None
                break
            total += shape[axis]
        out[axis] = total
        return tuple(out)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"A `Concatenate` layer should be called on a list of inputs, got {type(inputs).__name__}.")
        return ops.concatenate(list(inputs), axis=self.axis)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of `Concatenate`: `keras.layers.concatenate([x1, x2], axis=-1)`."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def _symbolic_joined_mask(inputs, masks, axis):
    """`Concatenate`'s mask while a functional model is built: the same steps as `ops` nodes of the
    graph (`ones_like`, `expand_dims`, `zeros_like`, `logical_or`, `concatenate`, `any`), as in Keras."""
    full = []
    for tensor, m in zip(inputs, masks):
        if m is None:
            full.append(ops.ones_like(tensor, dtype="bool"))
        elif len(m.shape) < len(tensor.shape):
            full.append(ops.logical_or(ops.expand_dims(m, -1), ops.zeros_like(tensor, dtype="bool")))
        else:
            full.append(m)
    return ops.any(ops.concatenate(full, axis=axis), axis=-1)
