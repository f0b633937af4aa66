"""`Projection`: the dense projections inside `MultiHeadAttention` (Keras's `EinsumDense` ones).

`x (..., d) -> (..., heads, depth)` for queries, keys and values, and
`(..., heads, depth) -> (..., d)` for the output: a matmul over the last
`contract` axes with a kernel of shape `contracted axes + output axes`, plus a
bias over the output axes. The kernel's shape is Keras's, so weights transfer.
"""

from nanokeras import constraints, initializers, regularizers
from nanokeras.initializers.variance_scaling import VarianceScaling
from nanokeras.layers.layer import Layer
from nanokeras.ops import attention as attention_ops
from nanokeras.ops import nn


class Projection(Layer):
    """Projects the last `contract` axes of its input onto `output_shape` (no batch axis in it)."""

    _replayable = True

    def __init__(self, output_shape, contract=1, use_bias=True, activation=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        # Its input's mask (the query's, the value's) stays the attention layer's business: passed on quietly.
        self.supports_masking = True
        self.projected_shape = tuple(int(d) for d in output_shape)
        self.contract = int(contract)
        self.use_bias = bool(use_bias)
        self.activation = activation
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        contracted = tuple(input_shape[len(input_shape) - self.contract:])
        if any(d is None for d in contracted):
            raise ValueError(
                f"Layer {self.name!r}: the projected axes of the input must be known, got input shape "
                f"{tuple(input_shape)}."
            )
        initializer = self.kernel_initializer
        if isinstance(initializer, VarianceScaling) and (initializer.input_axes is None
                                                         or initializer.output_axes is None):
            # The fans of a multi-axis kernel: the contracted axes in, the projected axes out (as Keras).
            config = initializer.get_config()
            config["seed"] = initializer.seed
            config["input_axes"] = list(range(self.contract))
            config["output_axes"] = list(range(self.contract, self.contract + len(self.projected_shape)))
            initializer = type(initializer).from_config(config)
        self.kernel = self.add_weight(
            shape=contracted + self.projected_shape, initializer=initializer, name="kernel",
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self.projected_shape, initializer=self.bias_initializer, name="bias",
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs):
        outputs = attention_ops.project(inputs, self.kernel, self.bias, self.contract)
        if self.activation == "sigmoid":
            outputs = nn.sigmoid(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:len(input_shape) - self.contract]) + self.projected_shape
