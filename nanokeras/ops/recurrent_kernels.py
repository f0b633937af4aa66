"""The time loops of `SimpleRNN`, `LSTM` and `GRU`, forward and backward, in numpy.

Each step's gate arithmetic is one matmul over the whole batch: `h_prev @ U`
for every gate at once, added to `x_t @ W + b`, which is computed for all steps
together before the loop. Backward through time walks the steps in reverse,
also vectorised over the batch, and keeps each step's gate gradients, so the
weight gradients are a few large matmuls after the loop:

    dW = sum_t x_tᵀ dz_t,   dU = sum_t h_{t-1}ᵀ dz_t,   dx_t = dz_t Wᵀ

A run object (`recurrent._Run`) holds the inputs, options and buffers; the
functions here fill its buffers (`forward`) and turn the upstream gradients
into the gradients of the gate pre-activations (`backward`). Gate orders and
weight layouts are Keras's: LSTM `[i, f, c, o]`, GRU `[z, r, h]`.

Padding masks keep a state where a step is masked: `h_t = h_{t-1}`, and the
step's output is `h_{t-1}` (or zeros, or the previous output, see
`_Run.masked_output`). The gradient then passes straight through the masked
step to the previous state.
"""

import numpy as np

from nanokeras.ops.nn import sigmoid_values


def _linear(z):
    return z.copy()


def _relu(z):
    return np.maximum(z, 0)


def _hard_sigmoid(z):
    return np.minimum(np.maximum(z + 3.0, 0), 6.0) / 6.0


def _d_tanh(g, y):
    return g * (1 - y * y)


def _d_sigmoid(g, y):
    return g * (y * (1 - y))


def _d_relu(g, y):
    return g * (y > 0)


def _d_linear(g, y):
    return g


def _d_hard_sigmoid(g, y):
    # relu6(x + 3) / 6 has slope 1/6 strictly inside (0, 1) and 0 at and beyond the kinks (as JAX).
    return g * ((y > 0) & (y < 1)) / 6.0


# name -> (activation on a numpy array, gradient `g * act'(x)` written from the output y = act(x))
ACTIVATIONS = {
    "tanh": (np.tanh, _d_tanh),
    "sigmoid": (sigmoid_values, _d_sigmoid),
    "relu": (_relu, _d_relu),
    "linear": (_linear, _d_linear),
    "hard_sigmoid": (_hard_sigmoid, _d_hard_sigmoid),
}


def _select(mask, new, old):
    return np.where(mask, new, old)


# ------------------------------------------------------------------- SimpleRNN
def simple_rnn_forward(run):
    act = run.activation[0]
    xw, h, out, mask = run.input_projection(), run.H, run.OUT, run.step_mask
    hn = run.buffer("HN") if mask is not None else h[1:]
    for s in range(run.steps):
        pre = run.recurrent_matmul(h[s])
        pre += xw[s]
        hn[s] = act(pre)
        if mask is not None:
            m = mask[s]
            h[s + 1] = _select(m, hn[s], h[s])
            out[s] = _select(m, hn[s], run.masked_output(s))
    run.HN = hn


def simple_rnn_backward(run, d_out, d_states):
    d_act = run.activation[1]
    dh = d_states[0]
    dx = run.buffer("DX")
    mask, hn = run.step_mask, run.HN
    for s in reversed(range(run.steps)):
        dh_new, carry = run.split_masked(s, dh, d_out)
        dz = dx[s]
        dz[...] = d_act(dh_new, hn[s])
        dh = run.recurrent_backprop(dz)
        if mask is not None:
            dh += carry
    return dx, dx, (dh,)


# ------------------------------------------------------------------------ LSTM
def lstm_forward(run):
    u = run.units
    act, rec = run.activation[0], run.recurrent_activation[0]
    xw, h, c, out, mask = run.input_projection(), run.H, run.C, run.OUT, run.step_mask
    gates, act_c = run.buffer("A"), run.buffer("AC")
    for s in range(run.steps):
        z = run.recurrent_matmul(h[s])
        z += xw[s]
        a = gates[s]
        a[...] = rec(z)
        a[:, 2 * u:3 * u] = act(z[:, 2 * u:3 * u])
        i, f, g, o = a[:, :u], a[:, u:2 * u], a[:, 2 * u:3 * u], a[:, 3 * u:]
        c_new = f * c[s]
        c_new += i * g
        act_c[s] = act(c_new)
        h_new = o * act_c[s]
        if mask is None:
            c[s + 1] = c_new
            h[s + 1] = h_new
        else:
            m = mask[s]
            c[s + 1] = _select(m, c_new, c[s])
            h[s + 1] = _select(m, h_new, h[s])
            out[s] = _select(m, h_new, run.masked_output(s))


def lstm_backward(run, d_out, d_states):
    u = run.units
    d_act, d_rec = run.activation[1], run.recurrent_activation[1]
    gates, act_c, c = run.A, run.AC, run.C
    dh, dc = d_states
    dz_all = run.buffer("DX")
    mask = run.step_mask
    for s in reversed(range(run.steps)):
        dh_new, carry_h = run.split_masked(s, dh, d_out)
        if mask is not None:
            m = mask[s]
            dc_new, carry_c = np.where(m, dc, 0), np.where(m, 0, dc)
        else:
            dc_new = dc
        a = gates[s]
        i, f, g, o = a[:, :u], a[:, u:2 * u], a[:, 2 * u:3 * u], a[:, 3 * u:]
        dc_new = dc_new + d_act(dh_new * o, act_c[s])
        dz = dz_all[s]
        dz[:, :u] = dc_new * g
        dz[:, u:2 * u] = dc_new * c[s]
        dz[:, 3 * u:] = dh_new * act_c[s]
        d_candidate = dc_new * i
        dz[:, 2 * u:3 * u] = d_candidate  # overwritten below: keeps the sigmoid pass on finite numbers
        dz[...] = d_rec(dz, a)
        dz[:, 2 * u:3 * u] = d_act(d_candidate, g)
        dc = dc_new * f
        dh = run.recurrent_backprop(dz)
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
    else:
        reset_h = run.buffer("HR")
    for s in range(run.steps):
        hp = h[s]
        x = xw[s]
        if reset_after:
            r_all = run.recurrent_matmul(hp)  # includes the recurrent bias
            zr = r_all[:, :2 * u]
            zr += x[:, :2 * u]
            a = gates[s]
            a[...] = rec(zr)
            recurrent_h[s] = r_all[:, 2 * u:]
            pre = a[:, u:] * recurrent_h[s]
            pre += x[:, 2 * u:]
        else:
            zr = run.recurrent_matmul(hp, gates_slice=slice(0, 2))
            zr += x[:, :2 * u]
            a = gates[s]
            a[...] = rec(zr)
            reset_h[s] = a[:, u:] * run.dropped_state(hp, 2)
            pre = run.candidate_matmul(reset_h[s])
            pre += x[:, 2 * u:]
        hh = candidate[s]
        hh[...] = act(pre)
        z = a[:, :u]
        h_new = z * hp + (1 - z) * hh
        if mask is None:
            h[s + 1] = h_new
        else:
            m = mask[s]
            h[s + 1] = _select(m, h_new, hp)
            out[s] = _select(m, h_new, run.masked_output(s))


def gru_backward(run, d_out, d_states):
    u = run.units
    d_act, d_rec = run.activation[1], run.recurrent_activation[1]
    gates, candidate, h = run.A, run.HH, run.H
    (dh,) = d_states
    d_input = run.buffer("DX")
    d_recurrent = run.buffer("DR") if run.reset_after else None
    mask = run.step_mask
    for s in reversed(range(run.steps)):
        dh_new, carry = run.split_masked(s, dh, d_out)
        a = gates[s]
        z, r = a[:, :u], a[:, u:]
        hp, hh = h[s], candidate[s]
        dx = d_input[s]
        d_pre = d_act(dh_new * (1 - z), hh)
        dx[:, 2 * u:] = d_pre
        dx[:, :u] = dh_new * (hp - hh)
        if run.reset_after:
            dx[:, u:2 * u] = d_pre * run.RH[s]
            dx[:, :2 * u] = d_rec(dx[:, :2 * u], a)
            dr = d_recurrent[s]
            dr[:, :2 * u] = dx[:, :2 * u]
            dr[:, 2 * u:] = d_pre * r
            dh = run.recurrent_backprop(dr)
        else:
            d_reset_h = run.candidate_backprop(d_pre)
            dx[:, u:2 * u] = d_reset_h * run.dropped_state(hp, 2)
            dx[:, :2 * u] = d_rec(dx[:, :2 * u], a)
            dh = run.recurrent_backprop(dx[:, :2 * u], gates_slice=slice(0, 2))
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
