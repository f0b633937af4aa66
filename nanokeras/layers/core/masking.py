"""`Masking`: marks the time steps that are padding (every feature equal to `mask_value`)."""

import numbers

import numpy as np

from nanokeras.backend import masking
from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.layers.layer import Layer
from nanokeras.ops import masking as masking_ops
from nanokeras.ops import numpy as ops_numpy


class Masking(Layer):
    """Masks the steps whose features all equal `mask_value`, so later layers skip them.

    The output equals the input with masked steps set to 0, and carries a mask
    of shape `inputs.shape[:-1]` (False at the masked steps) that recurrent,
    attention and pooling layers use.

    Args:
        mask_value: the padding value (0.0 by default).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]], dtype="float32")
        >>> keras.layers.Masking()(x).shape
        (1, 3, 2)
        >>> keras.layers.Masking().compute_mask(x).tolist()
        [[True, False, True]]
    """

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    _replayable = True  # its call computes with recorded ops only

    def __init__(self, mask_value=0.0, **kwargs):
        if isinstance(mask_value, dict) and mask_value.get("config") is not None:
            from nanokeras.saving.serialization_lib import deserialize_keras_object

            mask_value = deserialize_keras_object(mask_value)
        if not isinstance(mask_value, (numbers.Number, np.generic)) or isinstance(mask_value, bool):
            raise ValueError(f"Masking: `mask_value` must be a number, got {mask_value!r}.")
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        masking.note_masks_in_use()
        self.built = True

    def compute_mask(self, inputs, mask=None):
        mask_value = self.mask_value
        if isinstance(inputs, KerasTensor):
            # Building a functional model: `not_equal` and `any` nodes of its graph, as in Keras.
            return ops_numpy.any(ops_numpy.not_equal(inputs, mask_value), axis=-1)
        return masking_ops.derived_mask(lambda x: np.any(np.not_equal(x, mask_value), axis=-1), inputs)

    def call(self, inputs):
        if inputs.dtype == bool:  # as Keras: bools come out as int32
            from nanokeras.ops.core import cast

            inputs = cast(inputs, "int32")
        outputs, mask = masking_ops.zero_masked_steps(inputs, self.mask_value)
        masking.set_keras_mask(outputs, mask)
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
