"""`EinsumDense`: a dense layer whose product with the kernel is any einsum equation.

`Dense` computes `x @ kernel`; `EinsumDense("abc,cde->abde", output_shape=(None, 4, 8))`
contracts the last input axis with a kernel of shape `(c, d, e)` and keeps the others,
the building block of multi-head attention projections.
"""

import re

from nanokeras import activations, constraints, initializers, regularizers
from nanokeras.initializers import VarianceScaling
from nanokeras.layers.input_spec import InputSpec
from nanokeras.layers.core.lora import LoraMixin
from nanokeras.layers.layer import Layer, _is_builtin_function, saved_by_name
from nanokeras.ops import numpy as ops


def analyze_equation(equation, bias_axes, input_shape, output_shape):
    """`(kernel_shape, bias_shape, full_output_shape, kernel_input_axes, kernel_output_axes)`.

    `output_shape` is the output without its batch axis (None for sizes taken from the
    input); `...` (on the left, or on the right after two or more letters) stands for
    axes carried over from the input.
    """
    plain = equation.replace("...", "0")
    for pattern, left_elided in (("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", False),
                                 ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", True),
                                 ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", False)):
        match = re.match(pattern, plain)
        if match:
            break
    else:
        raise ValueError(
            f"Invalid einsum equation '{equation}'. Equations must be in the form "
            "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
        )
    input_spec, weight_spec, output_spec = match.groups()
    input_shape = list(input_shape)
    elided = len(input_shape) - len(input_spec)
    output_shape = [input_shape[0]] + ([output_shape] if isinstance(output_shape, int) else list(output_shape))
    if elided > 0 and left_elided:
        output_shape[1:1] = input_shape[1:elided]
    elif elided > 0:
        output_shape += input_shape[len(input_shape) - elided:]
    offset = elided if left_elided else 0
    # Where each letter sits: in the input (counted from the end when the left is elided) and output.
    input_position = {d: (i + elided - len(input_shape) if left_elided else i) for i, d in enumerate(input_spec)}
    output_position = {d: i + offset for i, d in enumerate(output_spec)}
    for d in input_spec:
        if d in output_position:
            given, wanted = input_shape[input_position[d]], output_shape[output_position[d]]
            if wanted is not None and wanted != given:
                raise ValueError(f"Input shape and output shape do not match at shared dimension '{d}'. "
                                 f"Input shape is {given}, and output shape is {wanted}.")
    for d in output_spec:
        if d not in input_spec and d not in weight_spec:
            raise ValueError(f"Dimension '{d}' was specified in the output '{output_spec}' but has no "
                             f"corresponding dim in the input spec '{input_spec}' or weight spec '{weight_spec}'")
    kernel_shape, input_axes, output_axes = [], [], []
    for i, d in enumerate(weight_spec):
        if d in output_position:
            kernel_shape.append(output_shape[output_position[d]])
            output_axes.append(i)
        elif d in input_position:
            kernel_shape.append(input_shape[input_position[d]])
            input_axes.append(i)
        else:
            raise ValueError(f"Weight dimension '{d}' did not have a match in either the input spec "
                             f"'{input_spec}' or the output spec '{output_spec}'. For this layer, the weight "
                             "must be fully specified.")
    bias_shape = None
    if bias_axes is not None:
        for d in bias_axes:
            if d not in output_spec:
                raise ValueError(f"Bias dimension '{d}' was requested, but is not part of the output spec "
                                 f"'{output_spec}'")
        first = min(output_spec.find(d) for d in bias_axes)
        bias_shape = [output_shape[output_position[d]] if d in bias_axes else 1 for d in output_spec[first:]]
        if not left_elided:
            bias_shape += [1] * max(elided, 0)
    return kernel_shape, bias_shape, output_shape, input_axes, output_axes


class EinsumDense(LoraMixin, Layer):
    """`activation(einsum(equation, inputs, kernel) + bias)`.

    Args:
        equation: an einsum equation `"input,kernel->output"`, e.g. `"ab,bc->ac"` (a `Dense`),
            `"abc,cd->abd"` (a `Dense` on the last axis of 3-D inputs), `"...b,bc->...c"`.
        output_shape: the output shape without the batch axis (an int for one axis); None
            entries take the input's size.
        activation: applied to the output (None: linear).
        bias_axes: the output letters the bias varies along (None: no bias).
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        kernel_constraint, bias_constraint: as for `Dense`.
        lora_rank, lora_alpha: LoRA fine-tuning from the start (`enable_lora`, as for `Dense`).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4), bias_axes="de")
        >>> layer(np.ones((1, 3, 5), dtype="float32")).shape
        (1, 3, 2, 4)
        >>> [w.shape for w in layer.weights]
        [(5, 2, 4), (2, 4)]
    """

    _replayable = True

    def _saved_variables(self):  # as Keras: only these, also in a subclass with more variables
        return saved_by_name(self, "kernel", "bias")

    def __init__(self, equation, output_shape, activation=None, bias_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, gptq_unpacked_column_size=None,
                 quantization_config=None, **kwargs):
        for argument, value in (("quantization_config", quantization_config),
                                ("gptq_unpacked_column_size", gptq_unpacked_column_size)):
            if value is not None:
                raise ValueError(f"EinsumDense: `{argument}` (quantization) is not supported by nanokeras; "
                                 "leave it None.")
        if not isinstance(equation, str):
            raise TypeError(f"EinsumDense: `equation` must be a string such as 'ab,bc->ac', got {equation!r}.")
        super().__init__(**kwargs)
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._set_lora_arguments(lora_rank, lora_alpha)
        self.quantization_config = None

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = analyze_equation(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        if any(d is None for d in kernel_shape) or (bias_shape is not None and any(d is None for d in bias_shape)):
            raise ValueError(f"EinsumDense {self.name!r}: the weights need known sizes, got kernel shape "
                             f"{tuple(kernel_shape)} for input shape {tuple(input_shape)}; give them in "
                             "`output_shape` or the input's shape.")
        self.input_spec = InputSpec(ndim=len(input_shape))
        initializer = self.kernel_initializer
        if isinstance(initializer, VarianceScaling) and (initializer.input_axes is None
                                                          or initializer.output_axes is None):
            # The fans of a kernel with several input/output axes are counted over those axes.
            config = initializer.get_config()
            config.update(seed=initializer.seed, input_axes=input_axes, output_axes=output_axes)
            initializer = type(initializer).from_config(config)
        self.kernel = self.add_weight(name="kernel", shape=tuple(kernel_shape), initializer=initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(name="bias", shape=tuple(bias_shape), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        self.built = True
        self._build_lora()

    def call(self, inputs, training=None):
        outputs = ops.einsum(self.equation, inputs, self._lora_adapted(self.kernel))
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return tuple(analyze_equation(self.equation, self.bias_axes, input_shape, self.partial_output_shape)[2])

    def _replay_blocker(self):
        if not _is_builtin_function(self.activation):
            return f"its activation {getattr(self.activation, '__name__', self.activation)!r} is a function of the user's"
        return super()._replay_blocker()  # LoRA's

    def get_config(self):
        config = super().get_config()
        config.update({
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": None,
        })
        config.update(self._lora_config())
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("activity_regularizer"), dict):
            config["activity_regularizer"] = regularizers.get(config["activity_regularizer"])
        return super().from_config(config)
