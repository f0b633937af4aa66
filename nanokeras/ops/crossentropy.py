"""Fused cross-entropy ops: the training hot path of every classifier.

Each op is ONE recorded tape node whose forward pass and gradient are computed
with numpy directly, following the numerics of Keras 3 on JAX: probabilities are
clipped to `[epsilon, 1 - epsilon]` (the clip passes no gradient where it is
active, and half of it exactly at the bounds, as JAX's `clip` does), categorical
outputs are first divided by their sum, and logits go through a max-shifted
log-softmax or a softplus.

The fused gradients are first-order formulas (numpy in `crossentropy_kernels`).
When an outer tape is recording the backward pass (to take a second derivative),
the gradient is instead re-derived from the same loss written with
differentiable `nanokeras.ops`, so higher derivatives stay correct.

A recorded node replays (see `nanokeras/ops/trace.py`) by running the same
kernel into the arrays of its first run; once replayed, its gradient is also
written into arrays the node keeps (the tape path gets fresh arrays every time).
The losses use the `mean_*` forms, which also take the batch mean in the same node.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> keras.ops.categorical_crossentropy(np.array([[0., 1.]]), np.array([[0.2, 0.8]]))
    array([0.22314355])
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.ops import crossentropy_kernels as kernels
from nanokeras.ops.gradient_utils import Workspace, _recording_tapes, record, value_of
from nanokeras.ops.tape import needs_gradient
from nanokeras.ops.tensor import TensorOperators

__all__ = ["binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"]


def _filled(shape, value, dtype, out=None):
    if out is None:
        return np.full(shape, value, dtype=dtype)
    out.fill(value)
    return out


def _fused(loss, gradient, composite, target, output, options, mean):
    """Computes `loss(...)` (elementwise, or its mean over all elements) and records it as one node."""
    ws = Workspace()
    t, o, out = loss(ws, target, output, *options)
    if mean:
        elementwise_shape = out.shape
        divisor = np.asarray(out.size, dtype=out.dtype)
        # np.add.reduce, not out.sum(): the method adds a Python layer that costs more
        # than summing a batch of one.
        result = ws("mean", np.divide, np.add.reduce(out, axis=None), divisor)
    else:
        result = out
    if not _recording_tapes:
        return result
    if mean:
        composite = _mean_composite(composite)
    node = None
    kept = None  # the gradient's arrays, kept once the node is replayed
    target_wanted = needs_gradient(target)  # read now: a watched array is unwatched when its tape closes

    def forward():
        nonlocal t, o, kept
        t, o, elementwise = loss(ws, target, output, *options)
        if mean:
            ws("mean", np.divide, np.add.reduce(elementwise, axis=None), divisor)
        if kept is None:
            kept = Workspace()

    def vjp(g):
        if _recording_tapes:
            return _higher_order_vjp(composite, node, g)
        gs = kept if kept is not None else Workspace()
        if mean:  # d mean / d element = 1 / size, spread over the elements
            g = gs("seed", _filled, elementwise_shape, value_of(g) / divisor, divisor.dtype)
        else:
            g = value_of(g)
        return gradient(gs, g, ws, t, o, target_wanted, *options)

    node = record(result, (target, output), vjp, forward)
    return node


def _higher_order_vjp(composite, node, g):
    """Gradients of `composite(target, output)` seeded with `g`, recorded on the outer tapes."""
    from nanokeras.ops.tape import GradientTape

    target, output = node.inputs
    with GradientTape() as tape:
        loss = composite(target, output)
    sources = [x if isinstance(x, TensorOperators) else None for x in (target, output)]
    present = [s for s in sources if s is not None]
    grads = iter(tape.gradient(loss, present, output_gradients=g))
    return tuple(next(grads) if s is not None else None for s in sources)


def _mean_composite(composite):
    def mean_of_composite(t, o):
        from nanokeras import ops

        return ops.mean(composite(t, o))

    return mean_of_composite


# --------------------------------------------------------------------------- binary


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary cross-entropy between labels `target` and `output`.

    `output` holds probabilities (clipped to `[epsilon, 1 - epsilon]`), or logits
    when `from_logits=True` (computed with a stable softplus). Both arguments must
    have the same shape; the result has that shape too.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.ops.binary_crossentropy(np.array([1.0, 0.0]), np.array([0.9, 0.2]))
        array([0.10536052, 0.22314355])
    """
    return _binary(target, output, from_logits, mean=False)


def mean_binary_crossentropy(target, output, from_logits=False):
    """`mean(binary_crossentropy(target, output, from_logits))` over every element, as ONE recorded op.

    Internal: the training hot path of `BinaryCrossentropy` (default reduction, no
    sample weights), `sum / size` as Keras's reduction computes it.

    Example:
        >>> import numpy as np
        >>> round(float(mean_binary_crossentropy(np.array([1.0, 0.0]), np.array([0.9, 0.2]))), 6)
        0.164252
    """
    return _binary(target, output, from_logits, mean=True)


def _binary(target, output, from_logits, mean):
    if from_logits:
        return _fused(kernels.binary_logits_loss, kernels.binary_logits_gradient, _binary_logits_composite,
                      target, output, (), mean)
    return _fused(kernels.binary_probabilities_loss, kernels.binary_probabilities_gradient,
                  _binary_probs_composite, target, output, (), mean)


def _binary_logits_composite(t, x):
    from nanokeras import ops

    return ops.add(ops.multiply(t, ops.softplus(ops.negative(x))), ops.multiply(ops.subtract(1.0, t), ops.softplus(x)))


def _binary_probs_composite(t, o):
    from nanokeras import ops

    eps = config.epsilon()
    oc = ops.clip(o, eps, 1.0 - eps)
    return ops.negative(
        ops.add(ops.multiply(t, ops.log(oc)), ops.multiply(ops.subtract(1.0, t), ops.log(ops.subtract(1.0, oc))))
    )


# ---------------------------------------------------------------------- categorical


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot (or soft) labels `target` and `output` along `axis`.

    `output` holds probabilities (divided by their sum, then clipped to
    `[epsilon, 1 - epsilon]`), or logits when `from_logits=True` (stable
    log-softmax). Returns one value per sample: the shape of `output` without `axis`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.ops.categorical_crossentropy(
        ...     np.array([[0., 1., 0.]]), np.array([[1., 2., 0.]]), from_logits=True)
        array([0.40760596])
    """
    return _categorical(target, output, from_logits, axis, mean=False)


def mean_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """`mean(categorical_crossentropy(...))` over every sample, as ONE recorded op (internal: for the losses)."""
    return _categorical(target, output, from_logits, axis, mean=True)


def _categorical(target, output, from_logits, axis, mean):
    if from_logits:
        return _fused(kernels.categorical_logits_loss, kernels.categorical_logits_gradient,
                      _categorical_logits_composite(axis), target, output, (axis,), mean)
    return _fused(kernels.categorical_probabilities_loss, kernels.categorical_probabilities_gradient,
                  _categorical_probs_composite(axis), target, output, (axis,), mean)


def _categorical_logits_composite(axis):
    def composite(t, x):
        from nanokeras import ops

        return ops.negative(ops.sum(ops.multiply(t, ops.log_softmax(x, axis=axis)), axis=axis))

    return composite


def _categorical_probs_composite(axis):
    def composite(t, o):
        from nanokeras import ops

        eps = config.epsilon()
        q = ops.divide(o, ops.sum(o, axis=axis, keepdims=True))
        return ops.negative(ops.sum(ops.multiply(t, ops.log(ops.clip(q, eps, 1.0 - eps))), axis=axis))

    return composite


# ----------------------------------------------------------------------- sparse


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between integer class labels `target` and `output` along `axis`.

    `target` has the shape of `output` without the class axis (a trailing axis of
    size 1 is also accepted). Like Keras on JAX, a label outside `[0, num_classes)`
    contributes a loss (and gradient) of zero.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.ops.sparse_categorical_crossentropy(np.array([1]), np.array([[0.2, 0.8]]))
        array([0.22314355])
    """
    return _sparse(target, output, from_logits, axis, mean=False)


def mean_sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """`mean(sparse_categorical_crossentropy(...))` over every sample, as ONE recorded op (internal: for the losses)."""
    return _sparse(target, output, from_logits, axis, mean=True)


def _sparse(target, output, from_logits, axis, mean):
    # The composite reads the labels the latest run of the kernel used.
    labels_of = []
    composite = _sparse_composite(labels_of, from_logits)

    def loss(ws, target, output):
        if not labels_of:
            labels_of.append(ws)
        return kernels.sparse_loss(ws, target, output, axis, from_logits)

    def gradient(gs, g, ws, t, o, need_target):
        return kernels.sparse_gradient(gs, g, ws, t, o, need_target, axis, from_logits)

    return _fused(loss, gradient, composite, target, output, (), mean)


def _sparse_composite(labels_of, from_logits):
    def composite(t, o):
        arrays = labels_of[0].arrays
        idx, valid, ax = arrays["_labels"], arrays["_valid"], arrays["_axis"]
        onehot = np.zeros(value_of(o).shape, dtype=value_of(o).dtype)
        np.put_along_axis(onehot, idx, 1 if valid is None else valid, ax)
        inner = _categorical_logits_composite(ax) if from_logits else _categorical_probs_composite(ax)
        return inner(onehot, o)

    return composite
