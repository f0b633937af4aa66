"""The time loops of `SimpleRNN`, `LSTM` and `GRU`, forward and backward, in numpy.

Each step's gate arithmetic is one matmul over the whole batch: `h_prev @ U`
for every gate at once, added to `x_t @ W + b`, which is computed for all steps
together before the loop. Backward through time walks the steps in reverse,
also vectorised over the batch, and keeps each step's gate gradients, so the
weight gradients are a few large matmuls after the loop:

    dW = sum_t x_tᵀ dz_t,   dU = sum_t h_{t-1}ᵀ dz_t,   dx_t = dz_t Wᵀ

The loops are where the time goes, so each step writes into arrays made once
(`out=`), and the activations' derivatives are computed for all steps at once
before the backward loop. A run object (`recurrent._Run`) holds the inputs,
options and buffers; the functions here fill its buffers (`forward`) and turn
the upstream gradients into the gradients of the gate pre-activations
(`backward`). Gate orders and weight layouts are Keras's: LSTM `[i, f, c, o]`,
GRU `[z, r, h]`.

Padding masks keep a state where a step is masked: `h_t = h_{t-1}`, and the
step's output is `h_{t-1}` (or zeros, or the previous output, see
`_Run.masked_output`). The gradient then passes straight through the masked
step to the previous state.
"""

import numpy as np


def _sigmoid_into(z, out):
    # The same numpy calls as `nn.sigmoid_values`, in place; exp(-z) may overflow to inf (-> 0).
    np.negative(z, out=out)
    np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)


def _tanh_into(z, out):
    np.tanh(z, out=out)


def _relu_into(z, out):
    np.maximum(z, 0, out=out)


def _linear_into(z, out):
    np.copyto(out, z)


def _hard_sigmoid_into(z, out):
    np.add(z, 3.0, out=out)
    np.maximum(out, 0, out=out)
    np.minimum(out, 6.0, out=out)
    np.divide(out, 6.0, out=out)


def _sigmoid_slope(y):
    return y * (1 - y)


def _tanh_slope(y):
    return 1 - y * y


def _relu_slope(y):
    return (y > 0).astype(y.dtype)


def _linear_slope(y):
    return np.ones_like(y)


def _hard_sigmoid_slope(y):
    # relu6(x + 3) / 6 has slope 1/6 strictly inside (0, 1) and 0 at and beyond the kinks (as JAX).
    return ((y > 0) & (y < 1)).astype(y.dtype) / 6.0


# name -> (activation written into an array, its slope act'(x) computed from its output y = act(x))
ACTIVATIONS = {
    "tanh": (_tanh_into, _tanh_slope),
    "sigmoid": (_sigmoid_into, _sigmoid_slope),
    "relu": (_relu_into, _relu_slope),
    "linear": (_linear_into, _linear_slope),
    "hard_sigmoid": (_hard_sigmoid_into, _hard_sigmoid_slope),
}


def _select(mask, new, old, out):
    np.copyto(out, np.where(mask, new, old))


# ------------------------------------------------------------------- SimpleRNN
def simple_rnn_forward(run):
    act = run.activation[0]
    xw, h, out, mask = run.input_projection(), run.H, run.OUT, run.step_mask
    hn = run.buffer("HN") if mask is not None else h[1:]
    matmul = run.step_matmul()
    for s in range(run.steps):
        pre = matmul(h[s])
        pre += xw[s]
        act(pre, hn[s])
        if mask is not None:
            m = mask[s]
            _select(m, hn[s], h[s], h[s + 1])
            _select(m, hn[s], run.masked_output(s), out[s])
    run.HN = hn


def simple_rnn_backward(run, d_out, d_states):
    (dh,) = d_states
    dx = run.buffer("DX")
    np.multiply(1, run.activation[1](run.HN), out=dx)  # the activation's slope at every step, then scaled
    backprop, mask = run.step_backprop(), run.step_mask
    for s in reversed(range(run.steps)):
        dh_new, carry = run.split_masked(s, dh, d_out)
        dz = dx[s]
        dz *= dh_new
        dh = backprop(dz)
        if mask is not None:
            dh += carry
    return dx, dx, (dh,)


# ------------------------------------------------------------------------ LSTM
def lstm_forward(run):
    u = run.units
    act, rec = run.activation[0], run.recurrent_activation[0]
    xw, h, c, out, mask = run.input_projection(), run.H, run.C, run.OUT, run.step_mask
    gates, act_c = run.buffer("A"), run.buffer("AC")
    matmul = run.step_matmul()
    candidate = run._array("candidate", (run.batch, u))
    if mask is not None:
        c_new, h_new = run._array("c_new", (run.batch, u)), run._array("h_new", (run.batch, u))
    with np.errstate(over="ignore"):
        for s in range(run.steps):
            z = matmul(h[s])
            z += xw[s]
            a = gates[s]
            rec(z, a)
            act(z[:, 2 * u:3 * u], a[:, 2 * u:3 * u])
            i, f, g, o = a[:, :u], a[:, u:2 * u], a[:, 2 * u:3 * u], a[:, 3 * u:]
            cell = c[s + 1] if mask is None else c_new
            np.multiply(f, c[s], out=cell)
            np.multiply(i, g, out=candidate)
            cell += candidate
            act(cell, act_c[s])
            hidden = h[s + 1] if mask is None else h_new
            np.multiply(o, act_c[s], out=hidden)
            if mask is not None:
                m = mask[s]
                _select(m, c_new, c[s], c[s + 1])
                _select(m, h_new, h[s], h[s + 1])
                _select(m, h_new, run.masked_output(s), out[s])


def lstm_backward(run, d_out, d_states):
    u = run.units
    gates, act_c, c = run.A, run.AC, run.C
    dh, dc = d_states
    dz_all = run.buffer("DX")
    # The slopes of every gate and of act(c) at every step, before walking back: [i, f, g, o] and c.
    slopes = run.recurrent_activation[1](gates)
    slopes[..., 2 * u:3 * u] = run.activation[1](gates[..., 2 * u:3 * u])
    cell_slopes = run.activation[1](act_c)
    backprop, mask = run.step_backprop(), run.step_mask
    through_cell = run._array("through_cell", (run.batch, u))
    for s in reversed(range(run.steps)):
        dh_new, carry_h = run.split_masked(s, dh, d_out)
        if mask is not None:
            m = mask[s]
            dc_new, carry_c = np.where(m, dc, 0), np.where(m, 0, dc)
        else:
            dc_new = dc
        a = gates[s]
        i, f, g, o = a[:, :u], a[:, u:2 * u], a[:, 2 * u:3 * u], a[:, 3 * u:]
        np.multiply(dh_new, o, out=through_cell)
        through_cell *= cell_slopes[s]
        dc_new = dc_new + through_cell
        dz = dz_all[s]
        np.multiply(dc_new, g, out=dz[:, :u])
        np.multiply(dc_new, c[s], out=dz[:, u:2 * u])
        np.multiply(dc_new, i, out=dz[:, 2 * u:3 * u])
        np.multiply(dh_new, act_c[s], out=dz[:, 3 * u:])
        dz *= slopes[s]
        dc = dc_new * f
        dh = backprop(dz)
        if mask is not None:
            dh += carry_h
            dc += carry_c
    return dz_all, dz_all, (dh, dc)


# ------------------------------------------------------------------------- GRU
def gru_forward(run):
    u = run.units
    act, rec = run.activation[0], run.recurrent_activation[0]
    xw, h, out, mask = run.input_projection(), run.H, run.OUT, run.step_mask
    gates, candidate = run.buffer("A", 2), run.buffer("HH")
    reset_after = run.reset_after
    if reset_after:
        recurrent_h = run.buffer("RH")
        matmul = run.step_matmul()
    else:
        reset_h = run.buffer("HR")
        matmul = run.step_matmul(gates_slice=slice(0, 2))
    pre = run._array("pre", (run.batch, u))
    h_new = run._array("h_new", (run.batch, u))
    with np.errstate(over="ignore"):
        for s in range(run.steps):
            hp = h[s]
            x = xw[s]
            a = gates[s]
            if reset_after:
                r_all = matmul(hp)  # includes the recurrent bias
                zr = r_all[:, :2 * u]
                zr += x[:, :2 * u]
                rec(zr, a)
                np.copyto(recurrent_h[s], r_all[:, 2 * u:])
                np.multiply(a[:, u:], recurrent_h[s], out=pre)
            else:
                zr = matmul(hp)
                zr += x[:, :2 * u]
                rec(zr, a)
                np.multiply(a[:, u:], run.dropped_state(hp, 2), out=reset_h[s])
                np.copyto(pre, run.candidate_matmul(reset_h[s]))
            pre += x[:, 2 * u:]
            hh = candidate[s]
            act(pre, hh)
            z = a[:, :u]
            # h = z h_prev + (1 - z) hh, written as Keras writes it
            target = h[s + 1] if mask is None else h_new
            np.multiply(z, hp, out=target)
            target += (1 - z) * hh
            if mask is not None:
                m = mask[s]
                _select(m, h_new, hp, h[s + 1])
                _select(m, h_new, run.masked_output(s), out[s])


def gru_backward(run, d_out, d_states):
    u = run.units
    gates, candidate, h = run.A, run.HH, run.H
    (dh,) = d_states
    d_input = run.buffer("DX")
    d_recurrent = run.buffer("DR") if run.reset_after else None
    gate_slopes = run.recurrent_activation[1](gates)
    candidate_slopes = run.activation[1](candidate)
    if run.reset_after:
        backprop = run.step_backprop()
    else:
        backprop = run.step_backprop(gates_slice=slice(0, 2))
    mask = run.step_mask
    for s in reversed(range(run.steps)):
        dh_new, carry = run.split_masked(s, dh, d_out)
        a = gates[s]
        z, r = a[:, :u], a[:, u:]
        hp, hh = h[s], candidate[s]
        dx = d_input[s]
        d_pre = dx[:, 2 * u:]
        np.multiply(dh_new, 1 - z, out=d_pre)
        d_pre *= candidate_slopes[s]
        np.multiply(dh_new, hp - hh, out=dx[:, :u])
        if run.reset_after:
            np.multiply(d_pre, run.RH[s], out=dx[:, u:2 * u])
            dx[:, :2 * u] *= gate_slopes[s]
            dr = d_recurrent[s]
            dr[:, :2 * u] = dx[:, :2 * u]
            np.multiply(d_pre, r, out=dr[:, 2 * u:])
            dh = backprop(dr)
        else:
            d_reset_h = run.candidate_backprop(d_pre)
            np.multiply(d_reset_h, run.dropped_state(hp, 2), out=dx[:, u:2 * u])
            dx[:, :2 * u] *= gate_slopes[s]
            dh = backprop(dx[:, :2 * u])
            dh += run.dropped_gradient(d_reset_h * r, 2)
        dh += dh_new * z
        if mask is not None:
            dh += carry
    return d_input, (d_recurrent if run.reset_after else d_input), (dh,)


KERNELS = {
    "simple_rnn": (1, 1, simple_rnn_forward, simple_rnn_backward),
    "lstm": (4, 2, lstm_forward, lstm_backward),
    "gru": (3, 1, gru_forward, gru_backward),
}
