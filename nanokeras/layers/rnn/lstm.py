"""`LSTMCell` and `LSTM`: long short-term memory, gates `[input, forget, cell, output]` as Keras."""

import numpy as np

from nanokeras import initializers
from nanokeras.layers.rnn.dropout_rnn_cell import BuiltinCell
from nanokeras.layers.rnn.rnn import RNN, CellWeightSettings, cell_arguments, cell_property
from nanokeras.ops.recurrent_reference import lstm_step


class LSTMCell(BuiltinCell):
    """One LSTM step: `i, f, o = σ(·)`, `c = f c + i tanh(·)`, `h = o tanh(c)`; run it with `RNN`.

    The weights are `kernel` (features, 4 units), `recurrent_kernel` (units, 4 units) and
    `bias` (4 units), each with the gates in Keras's order `[i, f, c, o]`, so weights move
    to and from Keras unchanged.

    Args:
        units: the size of the output and of both states (`h`, `c`).
        activation: `"tanh"`; recurrent_activation: `"sigmoid"` (the gates').
        unit_forget_bias: start the forget gate's bias at 1 (Jozefowicz et al.).
        use_bias, initializers, regularizers, constraints, dropout, recurrent_dropout, seed:
            as `SimpleRNNCell`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> cell = keras.layers.LSTMCell(4)
        >>> h, (h2, c) = cell(np.ones((2, 3), "float32"), [np.zeros((2, 4), "float32")] * 2)
        >>> h.shape, c.shape
        ((2, 4), (2, 4))
    """

    _fused_kind = "lstm"
    _replayable = True  # recorded ops only; dropout masks drawn inside them

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                         kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                         seed=seed, **kwargs)
        self.unit_forget_bias = bool(unit_forget_bias)
        if self.recurrent_dropout != 0.0:
            self.implementation = 1
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.state_size = [self.units, self.units]

    def build(self, input_shape):
        self._add_kernels(self._check_input_dim(input_shape), 4)
        initializer = self.bias_initializer
        if self.unit_forget_bias:
            units, base, ones = self.units, self.bias_initializer, initializers.get("ones")

            def initializer(shape, dtype=None):
                return np.concatenate([np.asarray(base((units,), dtype=dtype)), np.asarray(ones((units,), dtype=dtype)),
                                       np.asarray(base((2 * units,), dtype=dtype))])
        self._add_bias((4 * self.units,), initializer)
        self.built = True

    def call(self, inputs, states, training=False):
        h, c = states[0], states[1]
        input_masks, state_masks = self._step_masks(inputs, h, training)
        h, c = lstm_step(inputs, h, c, self.kernel, self.recurrent_kernel, self.bias, self.activation,
                         self.recurrent_activation, input_masks, state_masks)
        return h, [h, c]

    def _fused_arguments(self):
        return {"kind": "lstm", "reset_after": False, "per_gate_dropout": self.implementation == 1}

    def get_config(self):
        config = super().get_config()
        config["unit_forget_bias"] = self.unit_forget_bias
        config.update(self._weights_config())
        config["seed"] = self.seed
        return config


class LSTM(CellWeightSettings, RNN):
    """Long short-term memory layer (Hochreiter & Schmidhuber, 1997).

    Args:
        units, activation, recurrent_activation, use_bias, unit_forget_bias, initializers,
        regularizers, constraints, dropout, recurrent_dropout, seed: as `LSTMCell`.
        return_sequences, return_state, go_backwards, stateful, unroll: as `SimpleRNN`
            (`return_state` returns `[output, h, c]`).
        use_cudnn: accepted for Keras compatibility (there is no GPU path).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> output, h, c = keras.layers.LSTM(4, return_state=True)(np.ones((2, 5, 3), "float32"))
        >>> output.shape, c.shape
        ((2, 4), (2, 4))
    """

    _extra_keywords = ("implementation",)  # handed on to the cell

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, use_cudnn="auto", **kwargs):
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"LSTM: `use_cudnn` must be 'auto', True or False, got {use_cudnn!r}.")
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, unit_forget_bias=unit_forget_bias,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, name="lstm_cell", **cell_arguments(kwargs))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = use_cudnn

    units = cell_property("units")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
    unit_forget_bias = cell_property("unit_forget_bias")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def get_config(self):
        config = self._flat_config(include_seed=True)
        # Keras's LSTM layer (not its cell) lists `unit_forget_bias` after the initializers:
        # a printed config reads the same.
        ordered = {}
        for key, value in config.items():
            if key != "unit_forget_bias":
                ordered[key] = value
            if key == "bias_initializer":
                ordered["unit_forget_bias"] = config["unit_forget_bias"]
        return ordered
