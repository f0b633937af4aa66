"""What the built-in cells share: arguments, weights' regularizers and constraints, dropout masks.

A cell computes one time step (`call(inputs, states) -> (output, new_states)`);
the `RNN` layer runs it over a sequence. Dropout in a recurrent cell uses the
SAME mask at every step of a sequence (Gal & Ghahramani): `get_dropout_mask`
draws it once and keeps it until the `RNN` layer resets it after the sequence.
"""

import numbers

import numpy as np

from nanokeras import activations, constraints, initializers, regularizers
from nanokeras.layers._argument_checks import check_seed
from nanokeras.layers.layer import Layer
from nanokeras.layers.regularization._noise import NoiseSource
from nanokeras.ops.recurrent import dropout_masks


def check_units(owner, units):
    if isinstance(units, float) and units.is_integer():
        units = int(units)
    if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
        raise ValueError(
            f"{owner}: received an invalid value for argument `units`, expected a positive integer, "
            f"got units={units!r}."
        )
    return int(units)


def check_rate(owner, argument, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise ValueError(f"{owner}: `{argument}` must be a float in [0, 1], got {argument}={value!r}.")
    return min(1.0, max(0.0, float(value)))


class DropoutRNNCell:
    """Mixin for cells with `dropout`/`recurrent_dropout`: one mask per sequence (or per gate)."""

    # Keras's `implementation=1` draws one mask per gate; None means one mask for all gates.
    dropout_mask_count = None

    def _draw_masks(self, like, rate):
        count = self.dropout_mask_count or 1
        noise = self._noise
        masks = dropout_masks(like, rate, count, lambda: noise.generator)
        if self.dropout_mask_count is None:
            return masks[0]
        return [masks[g] for g in range(count)]

    def get_dropout_mask(self, step_input):
        """The input dropout mask(s) of the current sequence (drawn at the first call)."""
        if getattr(self, "_dropout_mask", None) is None and self.dropout > 0:
            self._dropout_mask = self._draw_masks(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_state):
        """The state dropout mask(s) of the current sequence (drawn at the first call)."""
        if getattr(self, "_recurrent_dropout_mask", None) is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._draw_masks(step_state, self.recurrent_dropout)
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None


class BuiltinCell(Layer, DropoutRNNCell):
    """The arguments of `SimpleRNNCell`, `LSTMCell` and `GRUCell`, and their weights' options."""

    _has_recurrent_activation = True
    _extra_keywords = ("implementation",)  # read from **kwargs (Keras's gate-dropout layout switch)

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        owner = type(self).__name__
        self.units = check_units(owner, units)
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self.implementation = implementation
        self.activation = activations.get(activation)
        if self._has_recurrent_activation:
            self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = check_rate(owner, "dropout", dropout)
        self.recurrent_dropout = check_rate(owner, "recurrent_dropout", recurrent_dropout)
        self.seed = check_seed(owner, seed)
        self._noise = NoiseSource(self.seed)
        self.state_size = self.units
        self.output_size = self.units

    def _add_kernels(self, input_dim, gates):
        self.kernel = self.add_weight(
            shape=(input_dim, gates * self.units), name="kernel", initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, gates * self.units), name="recurrent_kernel", initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint)

    def _add_bias(self, shape, initializer=None):
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=shape, name="bias", initializer=initializer or self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)

    def _check_input_dim(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: the last axis of the input (features) must be known, "
                f"got input shape {tuple(input_shape)}."
            )
        return input_dim

    def _step_masks(self, inputs, state, training):
        """The dropout masks to apply this step (None when not training or no dropout)."""
        if not training:
            return None, None
        input_masks = state_masks = None
        if 0.0 < self.dropout < 1.0:
            mask = self.get_dropout_mask(inputs)
            input_masks = mask if isinstance(mask, list) else [mask]
        if 0.0 < self.recurrent_dropout < 1.0:
            mask = self.get_recurrent_dropout_mask(state)
            state_masks = mask if isinstance(mask, list) else [mask]
        return input_masks, state_masks

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        return [np.zeros((batch_size, size), dtype=self.dtype) for size in sizes]

    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        config["activation"] = activations.serialize(self.activation)
        if self._has_recurrent_activation:
            config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["use_bias"] = self.use_bias
        return config

    def _weights_config(self):
        """The initializer/regularizer/constraint/dropout entries, in Keras's order."""
        return {
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
        }
