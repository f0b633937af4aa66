"""`SimpleRNNCell` and `SimpleRNN`: `h_t = activation(x_t W + h_{t-1} U + b)`."""

from nanokeras.layers.rnn.dropout_rnn_cell import BuiltinCell
from nanokeras.layers.rnn.rnn import RNN, CellWeightSettings, cell_arguments, cell_property
from nanokeras.ops.recurrent_reference import simple_rnn_step


class SimpleRNNCell(BuiltinCell):
    """One step of a fully-connected recurrent network; run it over a sequence with `RNN`.

    Args:
        units: the size of the output and state.
        activation: `"tanh"` by default.
        use_bias, kernel_initializer (`"glorot_uniform"`), recurrent_initializer (`"orthogonal"`),
        bias_initializer (`"zeros"`), kernel/recurrent/bias regularizers and constraints: as Keras.
        dropout, recurrent_dropout: fractions of the inputs / of the state to drop while training
            (the same units at every step of a sequence).
        seed: an int for reproducible dropout.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> cell = keras.layers.SimpleRNNCell(4)
        >>> output, states = cell(np.ones((2, 3), "float32"), [np.zeros((2, 4), "float32")])
        >>> output.shape
        (2, 4)
    """

    _fused_kind = "simple_rnn"
    _replayable = True  # recorded ops only; dropout masks drawn inside them
    _has_recurrent_activation = False

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
                         recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)

    def build(self, input_shape):
        self._add_kernels(self._check_input_dim(input_shape), 1)
        self._add_bias((self.units,))
        self.built = True

    def call(self, sequence, states, training=False):
        previous = states[0] if isinstance(states, (list, tuple)) else states
        input_masks, state_masks = self._step_masks(sequence, previous, training)
        output = simple_rnn_step(sequence, previous, self.kernel, self.recurrent_kernel, self.bias, self.activation,
                                 input_masks, state_masks)
        return output, ([output] if isinstance(states, (list, tuple)) else output)

    def _fused_arguments(self):
        return {"kind": "simple_rnn", "recurrent_activation": "sigmoid", "reset_after": False,
                "per_gate_dropout": False}

    def get_config(self):
        config = super().get_config()
        config.update(self._weights_config())
        config["seed"] = self.seed
        return config


class SimpleRNN(CellWeightSettings, RNN):
    """A fully-connected recurrent layer: the output of each step is fed back at the next.

    Args:
        units, activation, use_bias, initializers, regularizers, constraints, dropout,
        recurrent_dropout, seed: as `SimpleRNNCell`.
        return_sequences: return the output of every step (batch, steps, units) rather than the last.
        return_state: also return the final state.
        go_backwards: process the sequence backwards (and return the outputs reversed).
        stateful: keep the final state of each batch as the initial state of the next
            (needs a fixed batch size; `reset_states()` zeroes it).
        unroll: accepted for Keras compatibility (the loop is the same either way).

    Call arguments: `sequences` (batch, steps, features), `initial_state`, `mask`
    (batch, steps) booleans (padding is False), `training`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.SimpleRNN(4)(np.ones((2, 5, 3), "float32")).shape
        (2, 4)
    """

    _extra_keywords = ("implementation",)  # handed on to the cell

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 return_sequences=False, return_state=False, go_backwards=False, stateful=False, unroll=False,
                 seed=None, **kwargs):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, name="simple_rnn_cell", **cell_arguments(kwargs))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)

    units = cell_property("units")
    activation = cell_property("activation")
    use_bias = cell_property("use_bias")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def get_config(self):
        return self._flat_config(include_seed=False)  # Keras writes no seed for SimpleRNN

