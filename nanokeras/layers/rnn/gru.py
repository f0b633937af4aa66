"""`GRUCell` and `GRU`: gated recurrent units, gates `[update z, reset r, candidate h]` as Keras."""

from nanokeras.layers.rnn.dropout_rnn_cell import BuiltinCell
from nanokeras.layers.rnn.rnn import RNN, CellWeightSettings, cell_arguments, cell_property
from nanokeras.ops.recurrent_reference import gru_step


class GRUCell(BuiltinCell):
    """One GRU step: `z, r = σ(·)`, `h = z h + (1 - z) tanh(·)`; run it with `RNN`.

    With `reset_after=True` (Keras 3's default, the cuDNN form) the reset gate
    multiplies `h U_h + b_h` after the matmul, and `bias` holds an input and a
    recurrent bias, shape (2, 3 units). With `reset_after=False` (Keras 2's
    original form) it multiplies `h` before the matmul, and `bias` is (3 units,).

    Args:
        units, activation, recurrent_activation, use_bias, initializers, regularizers,
        constraints, dropout, recurrent_dropout, seed: as `LSTMCell`.
        reset_after: see above.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> cell = keras.layers.GRUCell(4)
        >>> h, states = cell(np.ones((2, 3), "float32"), np.zeros((2, 4), "float32"))
        >>> h.shape, cell.bias.shape
        ((2, 4), (2, 12))
    """

    _fused_kind = "gru"
    _replayable = True  # recorded ops only; dropout masks drawn inside them

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 reset_after=True, seed=None, **kwargs):
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                         kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                         seed=seed, **kwargs)
        self.reset_after = bool(reset_after)
        if self.recurrent_dropout != 0.0:
            self.implementation = 1
        if self.implementation == 1:
            self.dropout_mask_count = 3

    def build(self, input_shape):
        self._add_kernels(self._check_input_dim(input_shape), 3)
        self._add_bias((2, 3 * self.units) if self.reset_after else (3 * self.units,))
        self.built = True

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        h = states[0] if nested else states
        input_masks, state_masks = self._step_masks(inputs, h, training)
        h = gru_step(inputs, h, self.kernel, self.recurrent_kernel, self.bias, self.activation,
                     self.recurrent_activation, self.reset_after, input_masks, state_masks)
        return h, ([h] if nested else h)

    def _fused_arguments(self):
        return {"kind": "gru", "reset_after": self.reset_after, "per_gate_dropout": self.implementation == 1}

    def get_config(self):
        config = super().get_config()
        config.update(self._weights_config())
        config["reset_after"] = self.reset_after
        config["seed"] = self.seed
        return config


class GRU(CellWeightSettings, RNN):
    """Gated recurrent unit layer (Cho et al., 2014).

    Args:
        units, activation, recurrent_activation, use_bias, initializers, regularizers,
        constraints, dropout, recurrent_dropout, reset_after, seed: as `GRUCell`.
        return_sequences, return_state, go_backwards, stateful, unroll: as `SimpleRNN`.
        use_cudnn: accepted for Keras compatibility (there is no GPU path).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.GRU(4, return_sequences=True)(np.ones((2, 5, 3), "float32")).shape
        (2, 5, 4)
    """

    _extra_keywords = ("implementation",)  # handed on to the cell

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, reset_after=True, use_cudnn="auto", **kwargs):
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"GRU: `use_cudnn` must be 'auto', True or False, got {use_cudnn!r}.")
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            reset_after=reset_after, seed=seed, name="gru_cell", **cell_arguments(kwargs))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = use_cudnn

    units = cell_property("units")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
    reset_after = cell_property("reset_after")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def get_config(self):
        return self._flat_config(include_seed=True)
