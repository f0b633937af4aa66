"""`ConvLSTM`: what `ConvLSTM1D`, `ConvLSTM2D` and `ConvLSTM3D` share.

The input convolution does not depend on the states, so it runs once for the whole
sequence: the steps are folded into the batch axis and convolved together. Only the
recurrent convolution (of the previous output `h`) runs step by step. Masks, dropout,
`go_backwards`, `stateful` and `unroll` behave as in `LSTM`.
"""

import numpy as np

from nanokeras.layers.rnn.conv_lstm_cell import ConvLSTMCell
from nanokeras.layers.rnn.rnn import RNN, CellWeightSettings, _reset_dropout_masks, cell_property
from nanokeras.ops import numpy as np_ops
from nanokeras.ops.state_ops import assign_state
from nanokeras.ops.tensor import value_of
from nanokeras.ops.variable import Variable

_AXES = {1: "rows", 2: "rows, cols", 3: "dim1, dim2, dim3"}


class ConvLSTM(CellWeightSettings, RNN):
    """A convolutional LSTM over `(batch, steps, *spatial, channels)` (or `(batch, steps, channels, *spatial)`).

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters, kernel_size, strides, padding, data_format, dilation_rate, activation,
        recurrent_activation, use_bias, initializers, unit_forget_bias, regularizers,
        constraints, dropout, recurrent_dropout, seed: as `ConvLSTMCell`.
        activity_regularizer: applied to the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: as `LSTM`
            (`return_state` returns `[output, h, c]`, each state `(batch, *spatial, filters)`).
    """

    # Its own `call` checks the input and hands over to `RNN.call`; the loop is recorded ops,
    # the stateful update too (`assign_state`).
    _replayable = True

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, **kwargs):
        cell_kwargs = dict(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, name="conv_lstm_cell", dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True))
        try:
            cell = ConvLSTMCell(**cell_kwargs)
        except ValueError as error:  # the cell's checks: say the layer the user made
            raise ValueError(str(error).replace("ConvLSTMCell", type(self).__name__)) from None
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.rank = cell.rank

    filters = cell_property("filters")
    kernel_size = cell_property("kernel_size")
    strides = cell_property("strides")
    padding = cell_property("padding")
    data_format = cell_property("data_format")
    dilation_rate = cell_property("dilation_rate")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
    unit_forget_bias = cell_property("unit_forget_bias")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    # ------------------------------------------------------------- checks
    def _layout(self):
        spatial = _AXES[self.rank]
        if self.data_format == "channels_last":
            return f"(batch, steps, {spatial}, channels)"
        return f"(batch, steps, channels, {spatial})"

    def _check_rank(self, shape):
        if len(shape) != self.rank + 3:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} expects inputs of rank {self.rank + 3} {self._layout()} "
                f"(data_format={self.data_format!r}), got shape {tuple(shape)}."
            )

    def _check_built_for(self, shape):
        step = (shape[0],) + tuple(shape[2:])
        cell = self.cell
        if cell._spatial(step) != cell.spatial_dims or cell._channels(step) != cell.input_dim:
            built = cell._with_channels(None, cell.spatial_dims, cell.input_dim)
            raise ValueError(
                f"{type(self).__name__} {self.name!r} was built for steps of shape {built[1:]} "
                f"{self._layout()}, got inputs of shape {tuple(shape)}."
            )

    def _state_shape(self, batch):
        cell = self.cell
        return cell._with_channels(batch, cell.output_spatial(cell.spatial_dims), cell.filters)

    # ------------------------------------------------------------- shapes
    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        self._check_rank(sequences_shape)
        batch, steps = sequences_shape[0], sequences_shape[1]
        step_output = self.cell.compute_output_shape((batch,) + sequences_shape[2:])[0]
        output = (batch, steps) + step_output[1:] if self.return_sequences else step_output
        if self.return_state:
            return output, step_output, step_output
        return output

    def build(self, sequences_shape, initial_state_shape=None):
        self._check_rank(tuple(sequences_shape))
        super().build(sequences_shape, initial_state_shape)

    # --------------------------------------------------------------- call
    def call(self, sequences, initial_state=None, mask=None, training=False):
        shape = tuple(np.shape(value_of(sequences)))
        self._check_rank(shape)
        self._check_built_for(shape)
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def _checked_mask(self, mask, batch, steps, name):
        self._refuse_position_mask(mask, steps, name)
        return super()._checked_mask(mask, batch, steps, name)

    def _refuse_position_mask(self, mask, steps, name):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        shape = tuple(mask.shape) if hasattr(mask, "shape") else tuple(np.shape(mask))
        if len(shape) > 2 and shape[1] == steps:
            axes = tuple(range(2, len(shape)))
            raise ValueError(
                f"{name}: `mask` has one entry per position, shape {shape} (what `Masking` makes for inputs of "
                "rank > 3), but a ConvLSTM layer masks whole steps. Pass a `mask` of shape (batch, steps), "
                f"e.g. `mask=keras.ops.any(mask, axis={axes})` (a step is real when any of its positions is)."
            )

    def _checked_initial_state(self, initial_state, batch, name):
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        expected = self._state_shape(batch)
        if len(states) != 2:
            raise ValueError(
                f"{name} expects 2 initial states [h, c], each of shape {expected}, but `initial_state` has "
                f"{len(states)}."
            )
        checked = []
        for i, state in enumerate(states):
            if hasattr(state, "value") or isinstance(state, np.ndarray):
                state_shape = tuple(np.shape(value_of(state)))
            else:
                state = np.asarray(state, dtype=self.dtype)
                state_shape = state.shape
            if state_shape != expected:
                raise ValueError(
                    f"{name}: `initial_state[{i}]` must have shape {expected} (batch, *output spatial, filters in "
                    f"the data_format's order), got shape {state_shape}."
                )
            checked.append(state)
        return checked

    def _call_step_by_step(self, sequences, initial_state, mask, training, steps):
        cell = self.cell
        shape = tuple(np.shape(value_of(sequences)))
        batch = shape[0]
        # Stateful layers read their Variables here, before the update at the end overwrites them.
        states = [np_ops.copy(s) if isinstance(s, Variable) else s for s in initial_state]
        try:
            input_masks, _ = cell.dropout_masks_for(np_ops.getitem(sequences, (slice(None), 0)), None, training)
            if input_masks is not None:
                input_masks = [np_ops.expand_dims(m, 1) for m in input_masks]  # the same at every step
                sequences = [np_ops.multiply(sequences, m) for m in input_masks]
                folded = [np_ops.reshape(s, (batch * steps,) + shape[2:]) for s in sequences]
                projected = cell.input_projection(folded)
            else:
                projected = cell.input_projection(np_ops.reshape(sequences, (batch * steps,) + shape[2:]))
            projected = np_ops.reshape(projected, (batch, steps) + tuple(np.shape(value_of(projected)))[1:])
            # The state masks are drawn like one gate of the first step: an array of the states' shape
            # that is recorded (the zero initial states are not), so a replay draws new masks.
            gate = slice(0, cell.filters)
            like = (slice(None), 0) + ((Ellipsis, gate) if cell.data_format == "channels_last" else (gate,))
            _, state_masks = cell.dropout_masks_for(None, np_ops.getitem(projected, like), training)

            def step_at(t, states):
                h, c = cell.recurrent_step(np_ops.getitem(projected, (slice(None), t)), states[0], states[1],
                                           state_masks)
                return h, [h, c]

            return self._run_steps(step_at, states, mask, steps)
        finally:
            _reset_dropout_masks(cell)

    def _store_states(self, states):
        for variable, state in zip(self.states, states):
            assign_state(variable, state)

    def _replay_blocker(self):
        return None

    # -------------------------------------------------------------- config
    def get_config(self):
        return self._flat_config(include_seed=True)

