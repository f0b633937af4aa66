"""`RepeatVector`: repeats a vector `n` times, `(batch, f) -> (batch, n, f)`."""

import numpy as np

from nanokeras.layers.layer import Layer
from nanokeras.ops import numpy as ops


class RepeatVector(Layer):
    """Repeats each 1-D sample `n` times along a new axis 1.

    Args:
        n: the number of repetitions (a positive int).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.RepeatVector(3)(np.zeros((2, 5), dtype="float32")).shape
        (2, 3, 5)
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    _replayable = True

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"RepeatVector: `n` must be an int, got {n!r} ({type(n).__name__}).")
        if n <= 0:
            raise ValueError(f"RepeatVector: `n` must be a positive integer, got n={n}.")
        self.n = int(n)
        self.built = True

    def call(self, inputs):
        if inputs.ndim != 2:
            raise ValueError(
                f"RepeatVector {self.name!r} expects inputs of rank 2 (batch, features), "
                f"got shape {tuple(inputs.shape)}."
            )
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 2:
            raise ValueError(
                f"RepeatVector {self.name!r} expects inputs of rank 2, got shape {tuple(input_shape)}."
            )
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
