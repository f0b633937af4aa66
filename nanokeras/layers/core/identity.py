"""`Identity`: a layer that returns its input (a placeholder where a layer is expected)."""

from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.layers.layer import Layer
from nanokeras.tree import map_structure


class Identity(Layer):
    """Returns `inputs` unchanged (any structure: an array, a list or a dict of them).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.Identity()(np.array([1.0, 2.0], dtype="float32")).tolist()
        [1.0, 2.0]
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    _replayable = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs):
        return map_structure(lambda x: KerasTensor(x.shape, dtype=self._autocast_dtype(x.dtype)), inputs)
