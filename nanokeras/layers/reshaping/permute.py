"""`Permute`: reorders the non-batch axes."""

from nanokeras.layers.layer import Layer
from nanokeras.ops import numpy as ops


class Permute(Layer):
    """Permutes the axes of each sample; axes are numbered from 1 (0 is the batch).

    Args:
        dims: a permutation of `1..rank`; `(2, 1)` swaps the two axes of a sample.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.Permute((2, 1))(np.zeros((4, 10, 64), dtype="float32")).shape
        (4, 64, 10)
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    _replayable = True

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        try:
            dims = tuple(int(d) for d in dims)
        except (TypeError, ValueError):
            raise ValueError(f"Permute: `dims` must be a tuple of ints such as (2, 1), got {dims!r}.") from None
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Permute: `dims` must be a permutation of 1..n (axis 0 is the batch and cannot move), "
                f"got dims={dims}."
            )
        self.dims = dims
        self.built = True

    def call(self, inputs):
        if inputs.ndim != len(self.dims) + 1:
            raise ValueError(
                f"Permute {self.name!r} with dims={self.dims} expects inputs of rank {len(self.dims) + 1}, "
                f"got shape {tuple(inputs.shape)}."
            )
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_spec(self, inputs):
        return self._same_dtype_spec(inputs)  # integer inputs give integer outputs, as in Keras

    def compute_output_shape(self, input_shape):
        if len(input_shape) != len(self.dims) + 1:
            raise ValueError(
                f"Permute {self.name!r} with dims={self.dims} expects inputs of rank {len(self.dims) + 1}, "
                f"got shape {tuple(input_shape)}."
            )
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config
