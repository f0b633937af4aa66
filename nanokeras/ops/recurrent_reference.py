"""One step of `SimpleRNN`, `LSTM` and `GRU` cells written with differentiable ops.

These are the cells' own `call` (`keras.layers.LSTMCell` and friends use them),
and the reference the fused time loop (`recurrent.py`) is checked against. They
also give the fused op its higher-order gradient: when a backward pass is itself
recorded, the loop is rerun with these ops under a tape (`composite_vjp`).

Dropout masks are given per gate (`input_masks[g]`, `state_masks[g]`) or as
one mask for every gate (a list of length 1), as Keras's two implementations.
"""

import numpy as np

from nanokeras.ops import nn
from nanokeras.ops import numpy as np_ops

__all__ = []


def _masked(x, masks, gate):
    if masks is None:
        return x
    return np_ops.multiply(x, masks[gate if len(masks) > 1 else 0])


def _per_gate_matmul(x, weights, masks, units, gates):
    """`x @ weights` gate by gate when each gate has its own dropout mask, else in one matmul."""
    if masks is None or len(masks) == 1:
        return np_ops.matmul(_masked(x, masks, 0), weights)
    parts = [np_ops.matmul(_masked(x, masks, g), weights[:, g * units:(g + 1) * units]) for g in gates]
    return np_ops.concatenate(parts, axis=-1)


def simple_rnn_step(x, h, kernel, recurrent_kernel, bias, activation, input_masks=None, state_masks=None):
    """`activation(x @ W + b + h @ U)`."""
    pre = np_ops.matmul(_masked(x, input_masks, 0), kernel)
    if bias is not None:
        pre = np_ops.add(pre, bias)
    pre = np_ops.add(pre, np_ops.matmul(_masked(h, state_masks, 0), recurrent_kernel))
    return activation(pre)


def lstm_step(x, h, c, kernel, recurrent_kernel, bias, activation, recurrent_activation, input_masks=None,
              state_masks=None):
    """`(h, c)` after one step; gates `[i, f, c, o]` as Keras lays them out."""
    units = recurrent_kernel.shape[0]
    z = np_ops.add(_per_gate_matmul(x, kernel, input_masks, units, range(4)),
                   _per_gate_matmul(h, recurrent_kernel, state_masks, units, range(4)))
    if bias is not None:
        z = np_ops.add(z, bias)
    z_i, z_f, z_c, z_o = np_ops.split(z, 4, axis=-1)
    i, f, o = recurrent_activation(z_i), recurrent_activation(z_f), recurrent_activation(z_o)
    c = np_ops.add(np_ops.multiply(f, c), np_ops.multiply(i, activation(z_c)))
    return np_ops.multiply(o, activation(c)), c


def gru_step(x, h, kernel, recurrent_kernel, bias, activation, recurrent_activation, reset_after=True,
             input_masks=None, state_masks=None):
    """`h` after one step; gates `[z, r, h]`; `bias` is (2, 3 units) with `reset_after`."""
    units = recurrent_kernel.shape[0]
    input_bias = recurrent_bias = None
    if bias is not None:
        if reset_after:
            input_bias, recurrent_bias = bias[0], bias[1]
        else:
            input_bias = bias
    x_all = _per_gate_matmul(x, kernel, input_masks, units, range(3))
    if input_bias is not None:
        x_all = np_ops.add(x_all, input_bias)
    x_z, x_r, x_h = np_ops.split(x_all, 3, axis=-1)
    if reset_after:
        inner = _per_gate_matmul(h, recurrent_kernel, state_masks, units, range(3))
        if recurrent_bias is not None:
            inner = np_ops.add(inner, recurrent_bias)
        r_z, r_r, r_h = np_ops.split(inner, 3, axis=-1)
        z = recurrent_activation(np_ops.add(x_z, r_z))
        r = recurrent_activation(np_ops.add(x_r, r_r))
        candidate = activation(np_ops.add(x_h, np_ops.multiply(r, r_h)))
    else:
        inner = _per_gate_matmul(h, recurrent_kernel[:, :2 * units], state_masks, units, range(2))
        r_z, r_r = np_ops.split(inner, 2, axis=-1)
        z = recurrent_activation(np_ops.add(x_z, r_z))
        r = recurrent_activation(np_ops.add(x_r, r_r))
        reset_state = np_ops.multiply(r, _masked(h, state_masks, 2))
        candidate = activation(np_ops.add(x_h, np_ops.matmul(reset_state, recurrent_kernel[:, 2 * units:])))
    return np_ops.add(np_ops.multiply(z, h), np_ops.multiply(np_ops.subtract(1.0, z), candidate))


def _identity(x):
    return x


# The ops behind the activation names the fused loop knows.
ACTIVATION_OPS = {
    "tanh": np_ops.tanh,
    "sigmoid": nn.sigmoid,
    "relu": nn.relu,
    "linear": _identity,
    "hard_sigmoid": nn.hard_sigmoid,
}


def reference_packed(run, inputs, kernel, recurrent_kernel, bias, initial_states):
    """The fused op's packed value for `run`'s options, computed step by step with ops."""
    act, rec = ACTIVATION_OPS[run.activation_name], ACTIVATION_OPS[run.recurrent_activation_name]
    input_masks = None if run.input_masks is None else list(run.input_masks)
    state_masks = None if run.state_masks is None else list(run.state_masks)
    steps = run.steps
    order = range(steps - 1, -1, -1) if run.go_backwards else range(steps)
    states = list(initial_states)
    outputs, previous_output = [], None
    for s, t in enumerate(order):
        x = inputs[:, t]
        if run.kind == "lstm":
            h, c = lstm_step(x, states[0], states[1], kernel, recurrent_kernel, bias, act, rec, input_masks,
                             state_masks)
            new_states = [h, c]
        elif run.kind == "gru":
            h = gru_step(x, states[0], kernel, recurrent_kernel, bias, act, rec, run.reset_after, input_masks,
                         state_masks)
            new_states = [h]
        else:
            h = simple_rnn_step(x, states[0], kernel, recurrent_kernel, bias, act, input_masks, state_masks)
            new_states = [h]
        if run.step_mask is None:
            output = h
        else:
            m = np.array(run.step_mask[s])
            if run.output_mode == "state":
                other = states[0]
            elif run.output_mode == "zeros" or previous_output is None:
                other = np.zeros((), dtype=run.dtype)
            else:
                other = previous_output
            output = np_ops.where(m, h, other)
            new_states = [np_ops.where(m, new, old) for new, old in zip(new_states, states)]
        states = new_states
        previous_output = output
        outputs.append(output)
    kept = outputs if run.return_sequences else outputs[-1:]
    return np_ops.stack(kept + states, axis=1)


def composite_vjp(run, g):
    """The op's gradients through the step-by-step ops, recorded on the outer tapes."""
    from nanokeras.ops.tape import GradientTape
    from nanokeras.ops.tensor import TensorOperators

    sources = [x if isinstance(x, TensorOperators) else None for x in run.record_inputs]
    with GradientTape() as tape:
        packed = reference_packed(run, run.inputs, run.kernel, run.recurrent_kernel, run.bias, run.initial_states)
    present = [s for s in sources if s is not None]
    grads = iter(tape.gradient(packed, present, output_gradients=g))
    return tuple(next(grads) if s is not None else None for s in sources)
