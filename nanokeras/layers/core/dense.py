"""`Dense`: the fully connected layer, `activation(inputs @ kernel + bias)`."""

from nanokeras import activations, constraints, initializers, regularizers
from nanokeras.layers.core.lora import LoraMixin
from nanokeras.layers.layer import Layer, _is_builtin_function, saved_by_name
from nanokeras.ops import fused
from nanokeras.ops import numpy as ops


class Dense(LoraMixin, Layer):
    """A densely connected layer: `output = activation(dot(input, kernel) + bias)`.

    Args:
        units: the output size (a positive int).
        activation: a name (`"relu"`, `"sigmoid"`, ...) or a function; None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: defaults to `"glorot_uniform"`.
        bias_initializer: defaults to `"zeros"`.
        kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: optional, as in Keras.
        lora_rank, lora_alpha: LoRA fine-tuning from the start (see `enable_lora`).
        input_shape / input_dim: on the first layer of a `Sequential`, the shape of one
            sample, e.g. `input_shape=(2,)` or `input_dim=2` (Keras 2 style; the same as
            starting the model with `keras.Input((2,))`).
        name, dtype, trainable: as for every `Layer`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.Dense(3, activation="relu")
        >>> layer(np.ones((4, 2), dtype="float32")).shape
        (4, 3)
        >>> [w.shape for w in layer.weights]
        [(2, 3), (3,)]
        >>> keras.Sequential([keras.layers.Dense(1, input_shape=(2,), activation="sigmoid")]).input_shape
        (None, 2)
    """

    _replayable = True

    def _saved_variables(self):  # as Keras: only these, also in a subclass with more variables
        return saved_by_name(self, "kernel", "bias")

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, **kwargs):
        if isinstance(units, float) and units.is_integer():
            units = int(units)
        if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
            raise ValueError(f"Dense: `units` must be a positive integer, got {units!r}.")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        # Names ("l2", "max_norm") become objects here, as in Keras: the config then holds the
        # serialized object (with its default factor), which is what Keras writes and reads.
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._set_lora_arguments(lora_rank, lora_alpha)
        self.supports_masking = True

    def build(self, input_shape):
        _check_rank(self, input_shape)
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"Dense {self.name!r}: the last axis of the input must be known, got shape {input_shape}.")
        self.kernel = self.add_weight(
            shape=(input_dim, self.units), initializer=self.kernel_initializer, name="kernel",
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,), initializer=self.bias_initializer, name="bias",
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            )
        self.built = True
        self._build_lora()

    def call(self, inputs):
        if len(inputs.shape) < 2:
            _check_rank(self, inputs.shape)
        if inputs.shape[-1] != self.kernel.shape[0]:
            raise ValueError(
                f"Dense {self.name!r} expects inputs with last dimension {self.kernel.shape[0]}, "
                f"but received input of shape {tuple(inputs.shape)}."
            )
        kernel = self._lora_adapted(self.kernel)
        # Common activations run fused with the matmul (one tape node; see ops/fused.py),
        # decided from the activation the layer has now.
        fused_name = _FUSABLE_ACTIVATIONS.get(self.activation)
        if fused_name is not None:
            return fused.dense(inputs, kernel, self.bias, fused_name, self.activation)
        outputs = ops.matmul(inputs, kernel)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def _replay_blocker(self):
        if not _is_builtin_function(self.activation):
            return f"its activation {getattr(self.activation, '__name__', self.activation)!r} is a function of the user's"
        return super()._replay_blocker()  # LoRA's

    def get_config(self):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
            "quantization_config": None,
        })
        config.update(self._lora_config())
        return config

    @classmethod
    def from_config(cls, config):
        """Creates a Dense layer from its config (Keras 3's quantization must be unset)."""
        config = dict(config)
        if config.pop("quantization_config", None) is not None:
            raise ValueError(
                f"Dense.from_config: `quantization_config` is not supported by nanokeras; got "
                f"{config.get('name')!r} with a non-null value."
            )
        return super().from_config(config)


_FUSABLE_ACTIVATIONS = {
    activations.linear: "linear",
    activations.sigmoid: "sigmoid",
    activations.tanh: "tanh",
    activations.relu: "relu",
    activations.softmax: "softmax",
}


def _check_rank(layer, shape):
    # As Keras (its input spec asks for min_ndim=2): one sample without its batch axis is refused,
    # not multiplied as a vector (`model(x[0])` must fail as it does in Keras).
    if len(shape) < 2:
        raise ValueError(
            f"Dense {layer.name!r} expects inputs of rank 2 or more (batch, ..., features), got shape "
            f"{tuple(shape)}. For one sample, add the batch axis: `x[None]`."
        )
