"""`RNN`: runs a cell (one time step) over every step of a sequence.

The built-in cells (`SimpleRNNCell`, `LSTMCell`, `GRUCell`) with the usual
activations run as ONE fused op over time (`nanokeras.ops.recurrent`): one
matmul per step for all gates, backward through time vectorised over the batch.
Any other cell (a custom one, stacked cells, an unusual activation) runs step by
step through its `call`, with the same masking, dropout and state semantics.
"""

import numpy as np

from nanokeras import activations, regularizers
from nanokeras.backend import probing
from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.layers.layer import Layer
from nanokeras.ops import numpy as np_ops
from nanokeras.ops.masking import derived_mask
from nanokeras.ops.recurrent import fusable_activation, recurrent_sequence
from nanokeras.ops.tensor import value_of
from nanokeras.ops.variable import Variable
from nanokeras.tree import flatten, pack_sequence_as

# Built-in activation functions the fused loop knows by name.
_ACTIVATION_NAMES = {
    activations.tanh: "tanh",
    activations.sigmoid: "sigmoid",
    activations.relu: "relu",
    activations.linear: "linear",
    activations.hard_sigmoid: "hard_sigmoid",
}


def cell_arguments(kwargs):
    """What a recurrent layer hands on to the cell it makes: dtype, trainable, implementation (as Keras)."""
    return {"dtype": kwargs.get("dtype"), "trainable": kwargs.get("trainable", True),
            "implementation": kwargs.pop("implementation", 2)}


def cell_property(name):
    """A read-only attribute of the layer that is the cell's (`lstm.units` is `lstm.cell.units`)."""
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`.")


class CellWeightSettings:
    """The cell's initializers, regularizers and constraints, read through the layer
    (`lstm.kernel_initializer`), as Keras's built-in recurrent layers offer them."""

    kernel_initializer = cell_property("kernel_initializer")
    recurrent_initializer = cell_property("recurrent_initializer")
    bias_initializer = cell_property("bias_initializer")
    kernel_regularizer = cell_property("kernel_regularizer")
    recurrent_regularizer = cell_property("recurrent_regularizer")
    bias_regularizer = cell_property("bias_regularizer")
    kernel_constraint = cell_property("kernel_constraint")
    recurrent_constraint = cell_property("recurrent_constraint")
    bias_constraint = cell_property("bias_constraint")


def _state_sizes(cell):
    state_size = getattr(cell, "state_size", None)
    if isinstance(state_size, (int, np.integer)):
        return [int(state_size)], True
    if isinstance(state_size, (list, tuple)) and state_size:
        return list(state_size), False
    raise ValueError(
        f"RNN: the cell's `state_size` must be an int or a list of ints (one per state), got {state_size!r}."
    )


class RNN(Layer):
    """Base class for recurrent layers: applies `cell` to each step of `(batch, steps, ...)` inputs.

    Args:
        cell: an RNN cell (`call(inputs, states) -> (output, new_states)` with a
            `state_size` attribute), or a list of cells (stacked with `StackedRNNCells`).
        return_sequences: return every step's output, not only the last.
        return_state: also return the final states.
        go_backwards: process the steps last to first (outputs come reversed).
        stateful: carry each batch's final states into the next batch (fixed batch size).
        unroll: Keras's unrolled loop: same numbers, except that a masked step outputs the
            previous OUTPUT (zeros before the first real step) instead of the previous state.
        zero_output_for_mask: masked steps output zeros (`Bidirectional` sets it with
            `return_sequences`).

    Call arguments: `sequences`, `initial_state` (a list of (batch, size) arrays),
    `mask` ((batch, steps) booleans, False at padding), `training`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> class MinimalCell(keras.layers.Layer):
        ...     def __init__(self, units, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.units = self.state_size = units
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight(shape=(input_shape[-1], self.units))
        ...     def call(self, inputs, states):
        ...         output = keras.ops.matmul(inputs, self.w) + states[0]
        ...         return output, [output]
        >>> keras.layers.RNN(MinimalCell(3))(np.ones((2, 4, 5), "float32")).shape
        (2, 3)
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            from nanokeras.layers.rnn.stacked_rnn_cells import StackedRNNCells

            cell = StackedRNNCells(cell)
        if not callable(getattr(cell, "call", None)):
            raise ValueError(f"RNN: argument `cell` should have a `call` method. Received: cell={cell!r}")
        if getattr(cell, "state_size", None) is None:
            raise ValueError(
                "RNN: the cell should have a `state_size` attribute (a single integer or a list of integers, "
                f"one per state). Received: cell={cell!r}"
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self.states = None
        self.state_size, self.single_state = _state_sizes(cell)

    # ------------------------------------------------------------- shapes
    def _flat_state_sizes(self):
        return [int(s) for s in flatten(self.state_size)]

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            output_size = self._flat_state_sizes()[0]
        output_shape = (batch, steps, output_size) if self.return_sequences else (batch, output_size)
        if not self.return_state:
            return output_shape
        states = [[(batch, s) for s in size] if isinstance(size, (list, tuple)) else (batch, size)
                  for size in self.state_size]
        return (output_shape, *states)

    def compute_mask(self, inputs, mask):
        mask = flatten(mask)[0] if isinstance(mask, (list, tuple)) else mask
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self._flat_state_sizes())
        return output_mask

    # -------------------------------------------------------------- build
    def build(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        if len(sequences_shape) < 3:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} expects inputs of rank 3 (batch, steps, features), "
                f"got shape {sequences_shape}."
            )
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell._build_for((sequences_shape[0],) + sequences_shape[2:])
        if self.stateful:
            if self.states is not None:
                self.reset_state()
            else:
                if sequences_shape[0] is None:
                    raise ValueError(
                        f"{type(self).__name__} {self.name!r}: with `stateful=True` the batch size must be fixed. "
                        f"Found a dynamic batch size: sequences shape {sequences_shape}. Give the input a batch size, "
                        "e.g. `keras.Input(shape, batch_size=32)`."
                    )
                self.states = [Variable(np.asarray(s), trainable=False, name="rnn_state")
                               for s in flatten(self.get_initial_state(sequences_shape[0]))]
        self.built = True

    def get_initial_state(self, batch_size):
        """The states a sequence starts from: the cell's `get_initial_state`, else zeros."""
        initial = getattr(self.cell, "get_initial_state", None)
        if initial is not None:
            states = initial(batch_size=batch_size)
            return list(states) if isinstance(states, (list, tuple)) else [states]
        return [np.zeros((batch_size, size), dtype=self.dtype) for size in self._flat_state_sizes()]

    def reset_state(self):
        """Zeroes the states of a stateful layer."""
        if self.states is not None:
            for variable in self.states:
                variable.assign(np.zeros(variable.shape, dtype=variable.dtype))

    def reset_states(self):
        self.reset_state()

    # --------------------------------------------------------------- call
    def call(self, sequences, initial_state=None, mask=None, training=False):
        name = f"{type(self).__name__} {self.name!r}"
        shape = tuple(np.shape(value_of(sequences)))
        if len(shape) < 3:
            raise ValueError(f"{name} expects inputs of rank 3 (batch, steps, features), got shape {shape}.")
        batch, steps = shape[0], shape[1]
        mask = self._checked_mask(mask, batch, steps, name)
        stateful = self.stateful and not probing.active()  # the trainer's look at the outputs keeps the states
        if initial_state is None:
            if stateful:
                if self.states is not None and self.states[0].shape[0] != batch:
                    raise ValueError(
                        f"{name}: a stateful RNN must be called on the batch size its states were made for. "
                        f"Expected batch size: {self.states[0].shape[0]}. Received batch size: {batch}."
                    )
                initial_state = list(self.states)
            else:
                initial_state = flatten(self.get_initial_state(batch))
        else:
            initial_state = self._checked_initial_state(initial_state, batch, name)
        fused = self._fused_spec()
        if fused is not None and len(shape) == 3:
            outputs, states = self._call_fused(fused, sequences, initial_state, mask, training, stateful)
        else:
            outputs, states = self._call_step_by_step(sequences, initial_state, mask, training, steps)
            if stateful:
                self._store_states(states)
        if not self.return_state:
            return outputs
        if any(isinstance(s, (list, tuple)) for s in self.state_size):
            # Stacked cells: one entry per cell, each as the cell's own initial state is (a list or not).
            layout = self.get_initial_state(batch)
            states = pack_sequence_as([list(s) if isinstance(s, (list, tuple)) else s for s in layout], states)
        return (outputs, *states)

    def _checked_mask(self, mask, batch, steps, name):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if mask is None:
            return None
        mask_shape = tuple(np.shape(value_of(mask)))
        if mask_shape != (batch, steps):
            raise ValueError(
                f"{name}: `mask` must have shape (batch, steps) = {(batch, steps)} (True at real steps, "
                f"False at padding), got shape {mask_shape}."
            )
        return mask

    def _checked_initial_state(self, initial_state, batch, name):
        states = flatten(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        sizes = self._flat_state_sizes()
        if len(states) != len(sizes):
            raise ValueError(
                f"{name} expects {len(sizes)} initial state(s) of sizes {sizes}, but `initial_state` has "
                f"{len(states)}. An LSTM needs [h, c]; a GRU or SimpleRNN needs [h]."
            )
        checked = []
        for i, (state, size) in enumerate(zip(states, sizes)):
            if isinstance(state, KerasTensor):
                checked.append(state)
                continue
            state_shape = tuple(np.shape(value_of(state)))
            if state_shape != (batch, size):
                raise ValueError(
                    f"{name}: `initial_state[{i}]` must have shape (batch, units) = {(batch, size)}, "
                    f"got shape {state_shape}."
                )
            if not hasattr(state, "value") and not isinstance(state, np.ndarray):
                state = np.asarray(state, dtype=self.dtype)
            checked.append(state)
        return checked

    # ---------------------------------------------------------- fused path
    def _fused_spec(self):
        """The fused loop's arguments for this cell, or None when the cell must run step by step."""
        cell = self.cell
        kind = type(cell).__dict__.get("_fused_kind")
        if kind is None:
            return None
        activation = _ACTIVATION_NAMES.get(cell.activation)
        spec = cell._fused_arguments()
        if activation is None or not fusable_activation(activation):
            return None
        if "recurrent_activation" not in spec:
            spec["recurrent_activation"] = _ACTIVATION_NAMES.get(cell.recurrent_activation)
            if spec["recurrent_activation"] is None:
                return None
        spec["activation"] = activation
        return spec

    # The fused op and the step-by-step loop are recorded ops only (see `_replay_blocker`).
    _replayable = True

    def _replay_blocker(self):
        if self.stateful and self._fused_spec() is None:
            return "a stateful RNN whose cell runs step by step keeps its states in Python"
        return None

    def _masked_output_mode(self):
        if self.unroll:
            return "previous_output"
        return "zeros" if self.zero_output_for_mask else "state"

    def _call_fused(self, spec, sequences, initial_state, mask, training, stateful):
        cell = self.cell
        spec = dict(spec)
        noise = cell._noise
        outputs, states = recurrent_sequence(
            spec.pop("kind"), sequences, cell.kernel, cell.recurrent_kernel, cell.bias, initial_state,
            activation=spec["activation"], recurrent_activation=spec["recurrent_activation"], mask=mask,
            go_backwards=self.go_backwards, return_sequences=self.return_sequences,
            masked_output=self._masked_output_mode(), reset_after=spec["reset_after"],
            dropout=cell.dropout if training else 0.0, recurrent_dropout=cell.recurrent_dropout if training else 0.0,
            per_gate_dropout=spec["per_gate_dropout"], generator=lambda: noise.generator,
            state_variables=self.states if stateful else None)
        return outputs, states

    # ----------------------------------------------------- step by step
    def _call_step_by_step(self, sequences, initial_state, mask, training, steps):
        cell = self.cell
        kwargs = {"training": training} if getattr(cell, "_call_takes_training", False) else {}
        step = cell if callable(cell) else cell.call
        structure = [list(s) if isinstance(s, (list, tuple)) else s for s in self.state_size]
        nested = any(isinstance(s, list) for s in structure)

        def step_at(t, states):
            cell_states = pack_sequence_as(structure, states) if nested else states
            output, new_states = step(np_ops.getitem(sequences, (slice(None), t)), cell_states, **kwargs)
            return output, flatten(new_states) if isinstance(new_states, (list, tuple)) else [new_states]

        # The state a masked step outputs (`"state"` mode): the last cell's first state.
        output_state = -len(flatten(structure[-1])) if nested else 0
        try:
            return self._run_steps(step_at, initial_state, mask, steps, output_state)
        finally:
            _reset_dropout_masks(cell)

    def _run_steps(self, step_at, initial_state, mask, steps, output_state=0):
        """The time loop: `step_at(t, states) -> (output, new_states)` for each step, in the layer's
        order, masked steps keeping their states; returns `(outputs, final_states)`."""
        states = list(initial_state)
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        mode = self._masked_output_mode()
        outputs, previous_output = [], None
        for t in order:
            output, new_states = step_at(t, states)
            if mask is not None:
                masks = {}  # the step's mask shaped to broadcast against arrays of each rank

                def m(like, t=t):
                    rank = len(np.shape(value_of(like)))
                    if rank not in masks:
                        masks[rank] = derived_mask(
                            lambda values: np.asarray(values, dtype=bool)[:, t].reshape((-1,) + (1,) * (rank - 1)),
                            mask)
                    return masks[rank]

                if mode == "state":
                    other = states[output_state]
                elif mode == "zeros" or previous_output is None:
                    other = np.zeros((), dtype=np.asarray(value_of(output)).dtype)
                else:
                    other = previous_output
                output = np_ops.where(m(output), output, other)
                new_states = [np_ops.where(m(new), new, old) for new, old in zip(new_states, states)]
            states = new_states
            previous_output = output
            if self.return_sequences:
                outputs.append(output)
        result = np_ops.stack(outputs, axis=1) if self.return_sequences else previous_output
        return result, states

    def _store_states(self, states):
        """A stateful layer keeps its final states for the next batch."""
        for variable, state in zip(self.states, states):
            variable.assign(np.asarray(value_of(state)))

    # -------------------------------------------------------------- config
    def _rnn_config(self):
        config = Layer.get_config(self)
        config.update({
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        })
        return config

    def _flat_config(self, include_seed):
        """The config of a built-in recurrent layer: the RNN's options and the cell's, flat (as Keras)."""
        config = self._rnn_config()
        config.pop("activity_regularizer", None)
        cell_config = self.cell.get_config()
        seed = cell_config.pop("seed", None)
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        for key, value in cell_config.items():
            config[key] = value
            if key == "bias_regularizer":
                config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if include_seed:
            config["seed"] = seed
        return config

    def get_config(self):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        config = self._rnn_config()
        config["cell"] = serialize_keras_object(self.cell)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        if isinstance(config.get("cell"), (dict, list)):
            config["cell"] = deserialize_keras_object(config.pop("cell"), custom_objects=custom_objects)
        return super().from_config(config)


def _reset_dropout_masks(cell):
    for inner in [cell] + list(getattr(cell, "cells", [])):
        if hasattr(inner, "reset_dropout_mask"):
            inner.reset_dropout_mask()
            inner.reset_recurrent_dropout_mask()
