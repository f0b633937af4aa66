"""`recurrent_sequence`: a whole `SimpleRNN`/`LSTM`/`GRU` pass over time as ONE recorded op.

Recording every step's matmul and gate as separate tape nodes would cost
thousands of nodes per batch; this op records one node for the layer's forward
over time, with its own backward through time (see `recurrent_kernels`), and a
`forward` that reruns the same loop in place, so a compiled training step can
replay it (dropout masks included: they are drawn inside the op).

The node's value packs what the layer may return, batch first:
`[outputs (all steps, or the last), final states...]` along axis 1; the
function hands out views of it (`_part`), each a recorded node of its own.

Example:
    >>> import numpy as np
    >>> x = np.ones((2, 5, 3), "float32")
    >>> kernel, recurrent_kernel = np.full((3, 4), 0.1, "float32"), np.eye(4, dtype="float32")
    >>> outputs, states = recurrent_sequence("simple_rnn", x, kernel, recurrent_kernel, None, [np.zeros((2, 4), "float32")])
    >>> outputs.shape, states[0].shape
    ((2, 4), (2, 4))
"""

import numpy as np

from nanokeras.ops.gradient_utils import _recording_tapes, record, value_of
from nanokeras.ops.recurrent_kernels import ACTIVATIONS, KERNELS
from nanokeras.ops.tape import needs_gradient

__all__ = []  # internal: used by the recurrent layers


def fusable_activation(name):
    """True when `name` has a numpy form and a gradient-from-output the time loop can use."""
    return name in ACTIVATIONS


def recurrent_sequence(kind, inputs, kernel, recurrent_kernel, bias, initial_states, activation="tanh",
                       recurrent_activation="sigmoid", mask=None, go_backwards=False, return_sequences=False,
                       masked_output="state", reset_after=True, dropout=0.0, recurrent_dropout=0.0,
                       per_gate_dropout=False, generator=None, state_variables=None):
    """Runs a recurrent layer over `inputs` (batch, steps, features); returns `(outputs, final_states)`.

    Args:
        kind: `"simple_rnn"`, `"lstm"` or `"gru"` (Keras's weight layouts and gate orders).
        inputs: (batch, steps, features).
        kernel, recurrent_kernel, bias: the cell's weights (`bias` None without bias; for
            a GRU with `reset_after`, shape (2, 3 * units): input and recurrent biases).
        initial_states: one (batch, units) array per state (LSTM: `[h, c]`).
        activation, recurrent_activation: names from `ACTIVATIONS`.
        mask: optional (batch, steps) booleans, False at padding steps.
        go_backwards: process the steps last to first (outputs come in processing order).
        return_sequences: return every step's output (batch, steps, units), else the last (batch, units).
        masked_output: the output of a masked step: `"state"` (the previous state, Keras's
            default), `"zeros"` (`zero_output_for_mask`) or `"previous_output"` (unrolled loops).
        dropout, recurrent_dropout: drop rates of the inputs / of the state (0 < rate < 1 to apply),
            the same mask at every step; `per_gate_dropout` draws one mask per gate (Keras's
            `implementation=1`). The masks are drawn inside the op from `generator()`.
        state_variables: Variables that receive the final states (stateful layers), inside the op.
    """
    run = _Run(kind, inputs, kernel, recurrent_kernel, bias, initial_states, activation, recurrent_activation,
               mask, go_backwards, return_sequences, masked_output, reset_after, dropout, recurrent_dropout,
               per_gate_dropout, generator, state_variables)
    packed = run.compute()
    n_out = packed.shape[1] - run.num_states
    if not _recording_tapes:
        outputs = packed[:, :n_out] if return_sequences else packed[:, 0]
        return outputs, [packed[:, n_out + k] for k in range(run.num_states)]
    # Which inputs want a gradient is read now: a watched array stops being watched when its tape closes.
    run.wanted = {id(x) for x in run.record_inputs if needs_gradient(x)}
    node = record(packed, run.record_inputs, run.vjp, run.compute)
    outputs = _part(node, (slice(None), slice(0, n_out)) if return_sequences else (slice(None), 0))
    states = [_part(node, (slice(None), n_out + k)) for k in range(run.num_states)]
    return outputs, states


def _part(node, index):
    """A view of `node`'s value, recorded: its replay needs nothing (the view follows the buffer)."""
    view = node.value[index]
    shape, dtype = node.value.shape, node.value.dtype

    def vjp(g):
        if _recording_tapes:
            from nanokeras.ops import numpy as np_ops

            return (_scatter_recorded(np_ops, g, index, shape),)
        full = np.zeros(shape, dtype=dtype)
        full[index] = value_of(g)
        return (full,)

    return record(view, (node,), vjp, _nothing)


def _nothing():
    pass


def _scatter_recorded(np_ops, g, index, shape):
    """`zeros(shape)` with `g` at `index` (a slice or an int along axis 1), as recorded ops."""
    where = index[1]
    if isinstance(where, slice):
        start, stop = where.start, where.stop
    else:
        g, start, stop = np_ops.expand_dims(g, 1), where, where + 1
    return np_ops.pad(g, [(0, 0), (start, shape[1] - stop), (0, 0)])


class _Run:
    """One call of the op: its inputs, options, buffers, and the forward/backward passes."""

    def __init__(self, kind, inputs, kernel, recurrent_kernel, bias, initial_states, activation,
                 recurrent_activation, mask, go_backwards, return_sequences, masked_output, reset_after,
                 dropout, recurrent_dropout, per_gate_dropout, generator, state_variables):
        self.kind = kind
        self.gates, self.num_states, self._forward, self._backward = KERNELS[kind]
        self.inputs, self.kernel, self.recurrent_kernel, self.bias = inputs, kernel, recurrent_kernel, bias
        self.initial_states = list(initial_states)
        self.activation_name, self.recurrent_activation_name = activation, recurrent_activation
        self.activation = ACTIVATIONS[activation]
        self.recurrent_activation = ACTIVATIONS[recurrent_activation]
        self.mask = mask
        self.go_backwards = go_backwards
        self.return_sequences = return_sequences
        self.output_mode = masked_output
        self.reset_after = reset_after and kind == "gru"
        self.dropout = dropout if 0.0 < dropout < 1.0 else 0.0
        self.recurrent_dropout = recurrent_dropout if 0.0 < recurrent_dropout < 1.0 else 0.0
        self.per_gate = per_gate_dropout and kind != "simple_rnn"
        self.generator = generator
        self.state_variables = state_variables
        self.units = value_of(recurrent_kernel).shape[0]
        self.record_inputs = (inputs, kernel, recurrent_kernel, bias, mask, *self.initial_states)
        self._buffers = {}
        self.packed = None

    # ------------------------------------------------------------ buffers
    def buffer(self, name, width=None):
        """A (steps, batch, width * units) array kept for this run (reused when replayed)."""
        array = self._buffers.get(name)
        if array is None:
            if width is None:
                width = self.gates if name in ("A", "DX", "DR") else 1
            array = np.empty((self.steps, self.batch, width * self.units), dtype=self.dtype)
            self._buffers[name] = array
            setattr(self, name, array)
        return array

    def _array(self, name, shape, dtype=None):
        array = self._buffers.get(name)
        if array is None:
            array = np.empty(shape, dtype=dtype or self.dtype)
            self._buffers[name] = array
        return array

    # ------------------------------------------------------------ forward
    def compute(self):
        x = value_of(self.inputs)
        w, u = value_of(self.kernel), value_of(self.recurrent_kernel)
        self.dtype = np.result_type(x.dtype, w.dtype)
        self.batch, self.steps = x.shape[0], x.shape[1]
        self._draw_dropout_masks(x.shape[2])
        units, steps, batch = self.units, self.steps, self.batch
        self.H = self._array("H", (steps + 1, batch, units))
        self.H[0] = value_of(self.initial_states[0])
        if self.kind == "lstm":
            self.C = self._array("C", (steps + 1, batch, units))
            self.C[0] = value_of(self.initial_states[1])
        self.step_mask = self._step_mask()
        self.OUT = self.H[1:] if self.step_mask is None else self._array("OUT", (steps, batch, units))
        self._forward(self)
        return self._pack()

    def _draw_dropout_masks(self, features):
        self.input_masks = self.state_masks = None
        generator = self.generator() if (self.dropout or self.recurrent_dropout) else None
        count = self.gates if self.per_gate else 1
        if self.dropout:
            keep = 1.0 - self.dropout
            draw = generator.random((count, self.batch, features), dtype=np.float32) < keep
            self.input_masks = self._array("input_masks", draw.shape)
            np.divide(draw, np.asarray(keep, self.dtype), out=self.input_masks, dtype=self.dtype)
        if self.recurrent_dropout:
            keep = 1.0 - self.recurrent_dropout
            draw = generator.random((count, self.batch, self.units), dtype=np.float32) < keep
            self.state_masks = self._array("state_masks", draw.shape)
            np.divide(draw, np.asarray(keep, self.dtype), out=self.state_masks, dtype=self.dtype)

    def _step_mask(self):
        if self.mask is None:
            return None
        mask = np.asarray(value_of(self.mask))
        if mask.dtype != bool:
            mask = mask.astype(bool)
        ordered = mask.T[::-1] if self.go_backwards else mask.T
        step_mask = self._array("step_mask", (self.steps, self.batch, 1), bool)
        step_mask[..., 0] = ordered
        if self.output_mode == "previous_output":
            # The previous output is 0 until some earlier step was real, then the state.
            self.seen = seen = self._array("seen", (self.steps, self.batch, 1))
            seen[0] = 0
            seen[1:] = np.logical_or.accumulate(step_mask[:-1], axis=0)
        return step_mask

    def _pack(self):
        n_out = self.steps if self.return_sequences else 1
        if self.packed is None:
            self.packed = np.empty((self.batch, n_out + self.num_states, self.units), dtype=self.dtype)
        packed = self.packed
        if self.return_sequences:
            packed[:, :n_out] = self.OUT.transpose(1, 0, 2)
        else:
            packed[:, 0] = self.OUT[-1]
        packed[:, n_out] = self.H[-1]
        if self.kind == "lstm":
            packed[:, n_out + 1] = self.C[-1]
        if self.state_variables is not None:
            for k, variable in enumerate(self.state_variables):
                np.copyto(variable.value, packed[:, n_out + k])
        return packed

    # ----------------------------------------------- pieces for the kernels
    def _input_bias(self):
        if self.bias is None:
            return None
        b = value_of(self.bias)
        return b[0] if self.reset_after else b

    def input_projection(self):
        """`x_t @ W + b` for every step, (steps, batch, gates * units), in processing order."""
        x, w = value_of(self.inputs), value_of(self.kernel)
        xw = self._array("XW", (self.batch, self.steps, w.shape[1]))
        masks = self.input_masks
        if masks is None:
            np.matmul(x, w, out=xw)
        elif len(masks) == 1:
            np.matmul(x * masks[0][:, None, :], w, out=xw)
        else:
            u = self.units
            for g in range(self.gates):
                xw[..., g * u:(g + 1) * u] = np.matmul(x * masks[g][:, None, :], w[:, g * u:(g + 1) * u])
        bias = self._input_bias()
        if bias is not None:
            xw += bias
        projected = xw.transpose(1, 0, 2)
        return projected[::-1] if self.go_backwards else projected

    def recurrent_matmul(self, h, gates_slice=None):
        """`h @ U` for the gates of `gates_slice` (all by default), with the recurrent bias of a
        `reset_after` GRU and the state dropout masks applied per gate."""
        u = self.units
        first, last = (0, self.gates) if gates_slice is None else (gates_slice.start, gates_slice.stop)
        weights = value_of(self.recurrent_kernel)[:, first * u:last * u]
        out = self._array(f"scratch{first}{last}", (self.batch, (last - first) * u))
        masks = self.state_masks
        if masks is None:
            np.matmul(h, weights, out=out)
        else:
            for g in range(first, last):
                out[:, (g - first) * u:(g - first + 1) * u] = np.matmul(
                    h * masks[g if self.per_gate else 0], weights[:, (g - first) * u:(g - first + 1) * u])
        if self.reset_after and self.bias is not None:
            out += value_of(self.bias)[1, first * u:last * u]
        return out

    def step_matmul(self, gates_slice=None):
        """A function `h -> h @ U` (the gates of `gates_slice`), prepared once for the time loop: with
        no dropout and no recurrent bias it is one matmul into a reused array."""
        u = self.units
        first, last = (0, self.gates) if gates_slice is None else (gates_slice.start, gates_slice.stop)
        if self.state_masks is not None or (self.reset_after and self.bias is not None):
            return lambda h: self.recurrent_matmul(h, gates_slice)
        weights = value_of(self.recurrent_kernel)[:, first * u:last * u]
        out = self._array(f"scratch{first}{last}", (self.batch, (last - first) * u))
        matmul = np.matmul
        return lambda h: matmul(h, weights, out=out)

    def step_backprop(self, gates_slice=None):
        """A function `dz -> dz @ Uᵀ` (the gates of `gates_slice`), prepared once for the time loop."""
        if self.state_masks is not None:
            return lambda dz: self.recurrent_backprop(dz, gates_slice)
        u = self.units
        first, last = (0, self.gates) if gates_slice is None else (gates_slice.start, gates_slice.stop)
        transposed = value_of(self.recurrent_kernel)[:, first * u:last * u].T
        matmul = np.matmul
        return lambda dz: matmul(dz, transposed)

    def dropped_state(self, h, gate):
        return h if self.state_masks is None else h * self.state_masks[gate if self.per_gate else 0]

    def dropped_gradient(self, d, gate):
        return d if self.state_masks is None else d * self.state_masks[gate if self.per_gate else 0]

    def candidate_matmul(self, reset_h):
        u = self.units
        return np.matmul(reset_h, value_of(self.recurrent_kernel)[:, 2 * u:])

    def candidate_backprop(self, d_pre):
        u = self.units
        return np.matmul(d_pre, value_of(self.recurrent_kernel)[:, 2 * u:].T)

    def recurrent_backprop(self, dz, gates_slice=None):
        """The gradient reaching the previous state through `h @ U` (per gate with dropout)."""
        u = self.units
        first, last = (0, self.gates) if gates_slice is None else (gates_slice.start, gates_slice.stop)
        weights = value_of(self.recurrent_kernel)[:, first * u:last * u]
        if self.state_masks is None:
            return np.matmul(dz, weights.T)
        total = None
        for g in range(first, last):
            part = np.matmul(dz[:, (g - first) * u:(g - first + 1) * u], weights[:, (g - first) * u:(g - first + 1) * u].T)
            part = self.dropped_gradient(part, g)
            total = part if total is None else total + part
        return total

    def masked_output(self, s):
        if self.output_mode == "state":
            return self.H[s]
        if self.output_mode == "zeros":
            return np.zeros((), dtype=self.dtype)
        return self.H[s] * self.seen[s]

    def split_masked(self, s, dh, d_out):
        """`(gradient of the step's new state, gradient carried to the previous state)` at step `s`."""
        g_out = d_out[s]
        total = dh if g_out is None else dh + g_out
        if self.step_mask is None:
            return total, None
        m = self.step_mask[s]
        new = np.where(m, total, 0)
        if g_out is None or self.output_mode == "zeros":
            carried = dh
        elif self.output_mode == "state":
            carried = total
        else:
            carried = dh + g_out * self.seen[s]
        return new, np.where(m, 0, carried)

    # ----------------------------------------------------------- backward
    def vjp(self, g):
        if _recording_tapes:
            from nanokeras.ops.recurrent_reference import composite_vjp

            return composite_vjp(self, g)
        g = value_of(g)
        n_out = g.shape[1] - self.num_states
        if self.return_sequences:
            d_out = g[:, :n_out].transpose(1, 0, 2)
        else:
            d_out = [None] * (self.steps - 1) + [g[:, 0]]
        d_states = [np.array(g[:, n_out + k]) for k in range(self.num_states)]
        d_input, d_recurrent, d_initial = self._backward(self, d_out, d_states)
        wanted = self.wanted
        grads = [self._inputs_gradient(d_input) if id(self.inputs) in wanted else None,
                 self._kernel_gradient(d_input) if id(self.kernel) in wanted else None,
                 self._recurrent_kernel_gradient(d_input, d_recurrent) if id(self.recurrent_kernel) in wanted
                 else None,
                 self._bias_gradient(d_input, d_recurrent) if self.bias is not None and id(self.bias) in wanted
                 else None,
                 None]
        grads += [d if id(state) in wanted else None for d, state in zip(d_initial, self.initial_states)]
        return tuple(grads)

    def _time_major_inputs(self):
        x = value_of(self.inputs).transpose(1, 0, 2)
        return x[::-1] if self.go_backwards else x

    def _inputs_gradient(self, d_input):
        w, u = value_of(self.kernel), self.units
        masks = self.input_masks
        if masks is None:
            dx = np.matmul(d_input, w.T)
        elif len(masks) == 1:
            dx = np.matmul(d_input, w.T) * masks[0]
        else:
            dx = None
            for g in range(self.gates):
                part = np.matmul(d_input[..., g * u:(g + 1) * u], w[:, g * u:(g + 1) * u].T) * masks[g]
                dx = part if dx is None else dx + part
        if self.go_backwards:
            dx = dx[::-1]
        return np.ascontiguousarray(dx.transpose(1, 0, 2))

    def _kernel_gradient(self, d_input):
        x, u = self._time_major_inputs(), self.units
        features = x.shape[-1]
        d2 = d_input.reshape(-1, d_input.shape[-1])
        masks = self.input_masks
        if masks is None:
            return _summed_products(x.reshape(-1, features), d2)
        if len(masks) == 1:
            return _summed_products((x * masks[0]).reshape(-1, features), d2)
        return np.concatenate([_summed_products((x * masks[g]).reshape(-1, features), d2[:, g * u:(g + 1) * u])
                               for g in range(self.gates)], axis=1)

    def _recurrent_kernel_gradient(self, d_input, d_recurrent):
        states, u = self.H[:-1], self.units
        flat_states = states.reshape(-1, u)
        if self.kind == "gru" and not self.reset_after:
            gate_inputs = [self.dropped_state(states, 0), self.dropped_state(states, 1), self.HR]
            d2 = d_input.reshape(-1, 3 * u)
            return np.concatenate([_summed_products(a.reshape(-1, u), d2[:, g * u:(g + 1) * u])
                                   for g, a in enumerate(gate_inputs)], axis=1)
        d2 = d_recurrent.reshape(-1, d_recurrent.shape[-1])
        if self.state_masks is None:
            return _summed_products(flat_states, d2)
        return np.concatenate([_summed_products(self.dropped_state(states, g).reshape(-1, u), d2[:, g * u:(g + 1) * u])
                               for g in range(self.gates)], axis=1)

    def _bias_gradient(self, d_input, d_recurrent):
        d_in = d_input.sum(axis=(0, 1))
        if self.reset_after:
            return np.stack([d_in, d_recurrent.sum(axis=(0, 1))])
        return d_in


def _summed_products(inputs, gradients):
    """`sum_t inputs_tᵀ gradients_t` over every (step, sample) row: one matmul."""
    return np.matmul(inputs.T, gradients)


def dropout_masks(like, rate, count, generator):
    """`count` dropout masks shaped like `like`, each entry 0 or `1 / (1 - rate)`: (count, *like.shape).

    Drawn from `generator()` inside a recorded op (when `like` is recorded), so a
    compiled step draws new masks at every replay, as a fresh call would.
    """
    a = value_of(like)
    keep = 1.0 - rate
    shape = (count,) + tuple(a.shape)
    dtype = a.dtype if a.dtype.kind == "f" else np.dtype("float32")

    def draw(out=None):
        kept = generator().random(shape, dtype=np.float32) < keep
        return np.divide(kept, np.asarray(keep, dtype), out=out, dtype=dtype)

    out = draw()
    if not _recording_tapes:
        return out
    return record(out, (like,), lambda g: (None,), lambda: draw(out))
