"""Fused ops for the hottest composition of training: `activation(x @ kernel + bias)`.

A `Dense` layer written with three ops (matmul, add, activation) records three
tape nodes and, on a tutorial-sized model, spends more time in Python than in
arithmetic. `dense` records ONE node whose gradient is computed directly:

    z = x @ W + b,  out = act(z)
    dz = g * act'(z)           (from `out`: sigmoid' = out(1-out), tanh' = 1-out², ...)
    dx = dz @ Wᵀ,  dW = xᵀ @ dz,  db = sum(dz over the batch)

The forward values are computed by the same ops as the unfused path, so results
are identical. When an outer tape records the backward pass (second derivatives),
the gradient is re-derived from the unfused composition instead.

The caller passes the activation on every call (`Dense` reads its current
`activation`). A compiled step replays the node into the arrays of its first run
(`z`, `out`); once replayed, the node also writes its gradients into arrays it
keeps (the tape path gets fresh arrays: it never sees them reused).
"""

import numpy as np

from nanokeras.ops import nn
from nanokeras.ops import numpy as np_ops
from nanokeras.ops.gradient_utils import Workspace, _recording_tapes, record, value_of
from nanokeras.ops.tape import needs_gradient
from nanokeras.ops.tensor import TensorOperators

__all__ = []  # internal: used by layers, not part of `keras.ops`


# The gradient of z from g and the output, through the workspace `gs` (as `g * act'(z)`).
def _derivative_sigmoid(gs, g, out):
    return gs("dz", np.multiply, gs("g_times_out", np.multiply, g, out), gs("one_minus_out", np.subtract, 1, out))


def _derivative_tanh(gs, g, out):
    return gs("dz", np.multiply, g, gs("one_minus_square", np.subtract, 1, gs("square", np.multiply, out, out)))


def _derivative_relu(gs, g, out):
    return gs("dz", np.multiply, g, gs("positive", np.greater, out, 0))  # relu'(0) = 0, as JAX


def _derivative_softmax(gs, g, out):
    g_out = gs("g_times_out", np.multiply, g, out)
    centered = gs("centered", np.subtract, g, gs("sum", np.add.reduce, g_out, axis=-1, keepdims=True))
    return gs("dz", np.multiply, out, centered)


def _softmax_values(z, out=None):
    return nn.softmax_values(z, -1, out)


def _relu_values(z, out=None):
    return np.maximum(z, 0, out=out)


def _tanh_values(z, out=None):
    return np.tanh(z, out=out)


# activation name -> (forward on a numpy array (`out=` optional), gradient of z).
# The forwards are the numpy halves of the ops (same numbers, nothing recorded).
_FUSABLE = {
    "linear": (None, None),
    "sigmoid": (nn.sigmoid_values, _derivative_sigmoid),
    "tanh": (_tanh_values, _derivative_tanh),
    "relu": (_relu_values, _derivative_relu),
    "softmax": (_softmax_values, _derivative_softmax),
}


def is_fusable(activation_name):
    return activation_name in _FUSABLE


def dense(inputs, kernel, bias, activation_name, activation):
    """`activation(inputs @ kernel + bias)` as one recorded op (see the module docstring).

    Args:
        inputs, kernel, bias: arrays, Variables or Tensors (`bias` may be None).
        activation_name: one of `linear`, `sigmoid`, `tanh`, `relu`, `softmax`:
            the activation as it is at this call.
        activation: the activation function itself (for the unfused fallback).
    """
    x = value_of(inputs)
    w = value_of(kernel)
    z = np.matmul(x, w)
    if bias is not None:
        b = value_of(bias)
        z += b
    activate, derivative = _FUSABLE[activation_name]
    out = z if activate is None else activate(z)
    if not _recording_tapes:
        return out
    node = None
    kept = None  # the gradient's arrays, kept once the node is replayed
    # Read now, not in `vjp`: a watched array is unwatched when its tape closes, and
    # `tape.gradient` may be called after that.
    inputs_wanted = needs_gradient(inputs)

    def forward():
        nonlocal kept
        np.matmul(x, w, out=z)
        if bias is not None:
            np.add(z, b, out=z)
        if activate is not None:
            activate(z, out)
        if kept is None:
            kept = Workspace()

    def vjp(g):
        if _recording_tapes:
            return _composite_vjp(node, activation, g)
        gs = kept if kept is not None else Workspace()
        g = value_of(g)
        gz = g if derivative is None else derivative(gs, g, out)
        if gz.ndim == 2:
            gz2, x2 = gz, x
        else:  # inputs with more axes: every leading position is one more "sample"
            gz2, x2 = gz.reshape(-1, gz.shape[-1]), x.reshape(-1, x.shape[-1])
        grad_kernel = gs("grad_kernel", np.matmul, x2.T, gz2)
        grad_bias = gs("grad_bias", np.add.reduce, gz2, axis=0) if bias is not None else None
        # The data's own gradient (a `Constant` batch) is never asked for: skipped.
        grad_inputs = gs("grad_inputs", np.matmul, gz, w.T) if inputs_wanted else None
        return grad_inputs, grad_kernel, grad_bias

    node = record(out, (inputs, kernel, bias), vjp, forward)
    return node


def _composite_vjp(node, activation, g):
    """The gradient through the unfused ops, recorded on the outer tapes."""
    from nanokeras.ops.tape import GradientTape

    inputs, kernel, bias = node.inputs
    with GradientTape() as tape:
        z = np_ops.matmul(inputs, kernel)
        if bias is not None:
            z = np_ops.add(z, bias)
        out = activation(z)
    sources = [x if isinstance(x, TensorOperators) else None for x in node.inputs]
    present = [s for s in sources if s is not None]
    grads = iter(tape.gradient(out, present, output_gradients=g))
    return tuple(next(grads) if s is not None else None for s in sources)
