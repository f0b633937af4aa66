"""`Reshape`: gives each sample a new shape."""

import math

import numpy as np

from nanokeras.layers.layer import Layer
from nanokeras.ops import numpy as ops


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (the batch axis is kept).

    Args:
        target_shape: the new shape without the batch axis; one entry may be
            `-1`, inferred from the other sizes.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.Reshape((3, -1))(np.zeros((2, 12), dtype="float32")).shape
        (2, 3, 4)
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    _replayable = True

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            target_shape = tuple(target_shape)
        except TypeError:
            raise ValueError(
                f"Reshape: `target_shape` must be a tuple of ints, got {target_shape!r}. "
                "For a single axis write e.g. `(12,)`."
            ) from None
        for d in target_shape:
            if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or (d <= 0 and d != -1):
                raise ValueError(
                    f"Reshape: `target_shape` entries must be positive ints or a single -1, "
                    f"got target_shape={target_shape}."
                )
        if sum(1 for d in target_shape if d == -1) > 1:
            raise ValueError(
                f"Reshape: `target_shape` may contain at most one -1 (an inferred axis), got {target_shape}."
            )
        self.target_shape = tuple(int(d) for d in target_shape)
        self.built = True

    def _resolve(self, sample_shape):
        """The target shape for samples of `sample_shape`: -1 resolved when sizes are known."""
        known = [d for d in self.target_shape if d != -1]
        if any(d is None for d in sample_shape):
            return tuple(None if d == -1 else d for d in self.target_shape)
        size = math.prod(sample_shape)
        if -1 in self.target_shape:
            part = math.prod(known)
            if part == 0 or size % part:
                raise ValueError(self._mismatch(sample_shape))
            return tuple(size // part if d == -1 else d for d in self.target_shape)
        if math.prod(known) != size:
            raise ValueError(self._mismatch(sample_shape))
        return self.target_shape

    def _mismatch(self, sample_shape):
        return (
            f"Reshape {self.name!r}: cannot reshape samples of shape {tuple(sample_shape)} "
            f"({math.prod(sample_shape)} values) to target_shape={self.target_shape}."
        )

    def call(self, inputs):
        shape = inputs.shape
        return ops.reshape(inputs, (shape[0],) + self._resolve(shape[1:]))

    def compute_output_spec(self, inputs):
        return self._same_dtype_spec(inputs)  # integer inputs give integer outputs, as in Keras

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(tuple(input_shape[1:]))

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
