"""`TimeDistributed`: applies one layer (the same weights) to every time step of a sequence."""

import numpy as np

from nanokeras.layers.layer import Layer
from nanokeras.ops import numpy as np_ops
from nanokeras.ops.tensor import value_of


def _is_batch_norm(layer):
    return type(layer).__name__ == "BatchNormalization"


class TimeDistributed(Layer):
    """Applies `layer` to each slice `inputs[:, t]` along the time axis (axis 1).

    Dense, activations, dropout and other layers that treat each sample on its
    own see all steps at once (as one batch of `batch * steps` samples: the same
    numbers, far faster); a layer containing `BatchNormalization` is applied step
    by step, as Keras 3 does, since its batch statistics depend on what is batched.

    Args:
        layer: the layer to apply at every step.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.TimeDistributed(keras.layers.Dense(2))
        >>> layer(np.ones((4, 5, 3), "float32")).shape
        (4, 5, 2)
    """

    _replayable = True  # its call computes with recorded ops only

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Please initialize `TimeDistributed` layer with a `keras.layers.Layer` instance. Received: {layer!r}"
            )
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    @property
    def _passes_integer_inputs(self):
        # Integer inputs reach the wrapped layer as they are (as in Keras): it casts them if it computes in floats.
        return self.layer._passes_integer_inputs or self.layer._keeps_integer_inputs

    def _step_by_step(self):
        return any(_is_batch_norm(inner) for inner in [self.layer] + self.layer._flat_layers())

    def _child_input_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions "
                f"(batch, steps, ...), received: {input_shape}"
            )
        return (input_shape[0],) + tuple(input_shape[2:])

    def build(self, input_shape):
        child = self._child_input_shape(tuple(input_shape))
        if not self.layer.built:
            self.layer._build_for(child)
        self.built = True

    def compute_output_shape(self, input_shape):
        child_output = self.layer.compute_output_shape(self._child_input_shape(tuple(input_shape)))
        return (child_output[0], input_shape[1]) + tuple(child_output[1:])

    def call(self, inputs, training=None, mask=None):
        shape = tuple(np.shape(value_of(inputs)))
        if len(shape) < 3:
            raise ValueError(
                f"TimeDistributed {self.name!r} expects inputs with at least 3 dimensions (batch, steps, ...), "
                f"got shape {shape}."
            )
        if mask is not None:
            mask_shape = tuple(np.shape(value_of(mask)))
            if len(mask_shape) < 2 or mask_shape[:2] != shape[:2]:
                raise ValueError(
                    f"The `mask` passed to the `TimeDistributed` layer has a shape {mask_shape} that is incompatible "
                    f"with the input shape {shape}. The first two dimensions of the mask (batch size and timesteps) "
                    f"must match the input's first two dimensions. Expected mask shape prefix: {shape[:2]}."
                )
        kwargs = {}
        if self.layer._call_takes_training:
            kwargs["training"] = training
        takes_mask = self.layer._call_takes_mask and mask is not None
        if self._step_by_step():
            outputs = []
            for t in range(shape[1]):
                if takes_mask:
                    kwargs["mask"] = np_ops.getitem(mask, (slice(None), t))
                outputs.append(self.layer.call(np_ops.getitem(inputs, (slice(None), t)), **kwargs))
            return np_ops.stack(outputs, axis=1)
        batch, steps = shape[0], shape[1]
        flat = np_ops.reshape(inputs, (batch * steps,) + shape[2:])
        if takes_mask:
            kwargs["mask"] = np_ops.reshape(mask, (batch * steps,) + tuple(np.shape(value_of(mask)))[2:])
        outputs = self.layer.call(flat, **kwargs)
        out_shape = tuple(np.shape(value_of(outputs)))
        return np_ops.reshape(outputs, (batch, steps) + out_shape[1:])

    def get_config(self):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        config = super().get_config()
        config["layer"] = serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        if isinstance(config["layer"], dict):
            config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        return super().from_config(config)
