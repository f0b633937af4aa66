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
"""

import numpy as np

from nanokeras.ops.tensor import TensorOperators
from nanokeras.ops import nn
from nanokeras.ops import numpy as np_ops
from nanokeras.ops.tape import is_tracked
from nanokeras.ops.gradient_utils import _recording_tapes, record, value_of

__all__ = []  # internal: used by layers, not part of `keras.ops`


def _derivative_sigmoid(g, out):
    return g * out * (1 - out)


def _derivative_tanh(g, out):
    return g * (1 - out * out)


def _derivative_relu(g, out):
    return g * (out > 0)  # relu'(0) = 0, as JAX


def _derivative_softmax(g, out):
    return out * (g - np.sum(g * out, axis=-1, keepdims=True))


def _relu_values(z):
    return np.maximum(z, 0)


# activation name -> (forward on a numpy array, gradient of z from g and the output).
# The forwards are the numpy halves of the ops (same numbers, nothing recorded).
_FUSABLE = {
    "linear": (None, None),
    "sigmoid": (nn.sigmoid_values, _derivative_sigmoid),
    "tanh": (np.tanh, _derivative_tanh),
    "relu": (_relu_values, _derivative_relu),
    "softmax": (nn.softmax_values, _derivative_softmax),
}


def is_fusable(activation_name):
    return activation_name in _FUSABLE


def dense(inputs, kernel, bias, activation_name, activation):
    """`activation(inputs @ kernel + bias)` as one recorded op (see the module docstring).

    Args:
        inputs, kernel, bias: arrays, Variables or Tensors (`bias` may be None).
        activation_name: one of `linear`, `sigmoid`, `tanh`, `relu`, `softmax`.
        activation: the activation function itself (for the unfused fallback).
    """
    x = value_of(inputs)
    w = value_of(kernel)
    z = np.matmul(x, w)
    if bias is not None:
        z += value_of(bias)
    forward, derivative = _FUSABLE[activation_name]
    out = z if forward is None else forward(z)
    if not _recording_tapes:
        return out
    node = None

    def vjp(g):
        if _recording_tapes:
            return _composite_vjp(node, activation, g)
        g = value_of(g)
        gz = g if derivative is None else derivative(g, out)
        if gz.ndim == 2:
            gz2, x2 = gz, x
        else:  # inputs with more axes: every leading position is one more "sample"
            gz2, x2 = gz.reshape(-1, gz.shape[-1]), x.reshape(-1, x.shape[-1])
        grad_kernel = np.matmul(x2.T, gz2)
        grad_bias = np.add.reduce(gz2, axis=0) if bias is not None else None
        grad_inputs = np.matmul(gz, w.T) if is_tracked(inputs) else None
        return grad_inputs, grad_kernel, grad_bias

    node = record(out, (inputs, kernel, bias), vjp)
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
