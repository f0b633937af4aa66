"""Fused cross-entropy ops: the training hot path of every classifier.

Each op is ONE recorded tape node whose forward pass and gradient are computed
with numpy directly, following the numerics of Keras 3 on JAX: probabilities are
clipped to `[epsilon, 1 - epsilon]` (the clip passes no gradient where it is
active, and half of it exactly at the bounds, as JAX's `clip` does), categorical
outputs are first divided by their sum, and logits go through a max-shifted
log-softmax or a softplus.

The fused gradients are first-order formulas. When an outer tape is recording
the backward pass (to take a second derivative), the gradient is instead
re-derived from the same loss written with differentiable `nanokeras.ops`, so
higher derivatives stay correct.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> keras.ops.categorical_crossentropy(np.array([[0., 1.]]), np.array([[0.2, 0.8]]))
    array([0.22314355])
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.ops.tensor import TensorOperators
from nanokeras.ops.tape import is_tracked
from nanokeras.ops.gradient_utils import _recording_tapes, record, value_of

__all__ = ["binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"]


def _as_output(output):
    out = value_of(output)
    if not isinstance(out, np.ndarray) or out.dtype.kind != "f":
        out = np.asarray(out)
        if out.dtype.kind != "f":
            out = out.astype(config.floatx())
    return out


def _as_target(target, dtype):
    t = value_of(target)
    if not isinstance(t, np.ndarray) or t.dtype != dtype:
        t = np.asarray(t, dtype=dtype)
    return t


def _check_same_shape(op, t, o):
    if t.shape != o.shape:
        raise ValueError(
            f"`{op}`: arguments `target` and `output` must have the same shape, got "
            f"target.shape={t.shape} and output.shape={o.shape}. For integer class labels "
            "use `sparse_categorical_crossentropy`."
        )


_BOUNDS = {}


def _bounds(dtype):
    """The clip bounds `epsilon` and `1 - epsilon`, rounded to `dtype` (as JAX does)."""
    eps = config.epsilon()
    key = (dtype.char, eps)  # hashing a dtype object costs microseconds; its char does not
    bounds = _BOUNDS.get(key)
    if bounds is None:
        bounds = _BOUNDS[key] = (dtype.type(eps), dtype.type(1.0 - eps))
    return bounds


def _clip_gradient_scale(o, lo, hi):
    """d clip(o, lo, hi) / d o: 1 inside, 0 outside, 0.5 exactly at a bound (like JAX)."""
    return 0.5 * ((o >= lo).astype(o.dtype) + (o > lo)) * 0.5 * ((o <= hi).astype(o.dtype) + (o < hi))


def _clips(o, lo, hi):
    """True when `clip` changes `o` or its gradient somewhere (checked with two reductions)."""
    # ufunc.reduce directly: ndarray.min/max add a Python layer that costs more than the work.
    return not (np.minimum.reduce(o, axis=None) > lo and np.maximum.reduce(o, axis=None) < hi) if o.size else False


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


def _record(out, target, output, vjp, composite, mean=False):
    """Records the op; with `mean=True`, records `mean(out)` instead, still as one node.

    The mean form is the training hot path (`Loss` with the default reduction and no
    sample weights): `sum(out) / size` as Keras's reduction computes it, with the
    gradient `g / size` spread over the elements before the op's own vjp.
    """
    node = None
    if mean:
        size = out.size
        divisor = np.asarray(size, dtype=out.dtype)
        elementwise_shape = out.shape
        # np.add.reduce, not out.sum(): the method adds a Python layer that costs more
        # than summing a batch of one.
        # Scalar arithmetic on numpy scalars: the same float32 division, without a ufunc call.
        out = np.asarray(np.add.reduce(out, axis=None) / divisor[()])

        def dispatch(g):
            if _recording_tapes:
                return _higher_order_vjp(_mean_composite(composite), node, g)
            return vjp(np.full(elementwise_shape, value_of(g) / divisor, dtype=divisor.dtype))

    else:

        def dispatch(g):
            if _recording_tapes:
                return _higher_order_vjp(composite, node, g)
            return vjp(value_of(g))

    if not _recording_tapes:
        return out
    node = record(out, (target, output), dispatch)
    return node


def _mean_composite(composite):
    def mean_of_composite(t, o):
        from nanokeras import ops

        return ops.mean(composite(t, o))

    return mean_of_composite


# --------------------------------------------------------------------------- binary


def binary_crossentropy(target, output, from_logits=False, _mean=False):
    """Elementwise binary cross-entropy between labels `target` and `output`.

    `output` holds probabilities (clipped to `[epsilon, 1 - epsilon]`), or logits
    when `from_logits=True` (computed with a stable softplus). Both arguments must
    have the same shape; the result has that shape too.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.ops.binary_crossentropy(np.array([1.0, 0.0]), np.array([0.9, 0.2]))
        array([0.10536052, 0.22314355])
    """
    o = _as_output(output)
    t = _as_target(target, o.dtype)
    _check_same_shape("binary_crossentropy", t, o)
    one_minus_t = 1.0 - t
    if from_logits:
        r = np.maximum(o, 0)
        e = np.exp(-np.abs(o))
        a = np.log1p(e)
        # softplus(x) = max(x, 0) + log1p(exp(-|x|)); softplus(-x) likewise, and
        # max(-x, 0) == max(x, 0) - x holds exactly in floating point.
        sp_pos = r + a
        sp_neg = (r - o) + a
        out = t * sp_neg + one_minus_t * sp_pos
        if not _recording_tapes and not _mean:
            return out

        def vjp(g):
            sig = np.where(o >= 0, 1, e) / (1 + e)
            g_out = g * (sig - t)
            g_t = g * -o if is_tracked(target) else None
            return g_t, g_out

        return _record(out, target, output, vjp, _binary_logits_composite, mean=_mean)

    lo, hi = _bounds(o.dtype)
    oc = np.minimum(np.maximum(o, lo), hi)  # np.clip costs several times more on tiny arrays
    one_minus_oc = 1.0 - oc
    log_o = np.log(oc)
    log_1mo = np.log(one_minus_oc)
    bce = t * log_o
    bce += one_minus_t * log_1mo
    out = np.negative(bce, out=bce)
    if not _recording_tapes and not _mean:
        return out

    def vjp(g):
        g_out = g * (one_minus_t / one_minus_oc - t / oc)
        if _clips(o, lo, hi):
            g_out *= _clip_gradient_scale(o, lo, hi)
        g_t = g * (log_1mo - log_o) if is_tracked(target) else None
        return g_t, g_out

    return _record(out, target, output, vjp, _binary_probs_composite, mean=_mean)


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


def _log_softmax_parts(x, axis):
    """(log_softmax(x), exp(shifted), sum of exp(shifted)) along `axis`."""
    shifted = x - x.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=axis, keepdims=True)
    shifted -= np.log(s)
    return shifted, e, s


def categorical_crossentropy(target, output, from_logits=False, axis=-1, _mean=False):
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
    o = _as_output(output)
    t = _as_target(target, o.dtype)
    _check_same_shape("categorical_crossentropy", t, o)
    if o.ndim < 1:
        raise ValueError(
            "`categorical_crossentropy`: arguments `target` and `output` must be at least "
            f"rank 1, got target.shape={t.shape} and output.shape={o.shape}."
        )
    if from_logits:
        log_prob, e, s = _log_softmax_parts(o, axis)
        out = -(t * log_prob).sum(axis=axis)
        if not _recording_tapes and not _mean:
            return out

        def vjp(g):
            g = np.expand_dims(g, axis)
            g_out = g * (e / s * t.sum(axis=axis, keepdims=True) - t)
            g_t = g * -log_prob if is_tracked(target) else None
            return g_t, g_out

        return _record(out, target, output, vjp, _categorical_logits_composite(axis), mean=_mean)

    lo, hi = _bounds(o.dtype)
    total = o.sum(axis=axis, keepdims=True)
    q = o / total
    qc = np.clip(q, lo, hi)
    log_prob = np.log(qc)
    out = -(t * log_prob).sum(axis=axis)
    if not _recording_tapes and not _mean:
        return out

    def vjp(g):
        g = np.expand_dims(g, axis)
        a = g * -t / qc  # gradient with respect to the clipped probabilities
        if _clips(q, lo, hi):
            a *= _clip_gradient_scale(q, lo, hi)
        # Through q = o / sum(o): d/do_j = (a_j - sum_i a_i q_i) / sum(o).
        g_out = (a - (a * q).sum(axis=axis, keepdims=True)) / total
        g_t = g * -log_prob if is_tracked(target) else None
        return g_t, g_out

    return _record(out, target, output, vjp, _categorical_probs_composite(axis), mean=_mean)


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


def _sparse_labels(target, o, axis):
    """Integer labels shaped like `o` with `axis` removed, and that axis as a positive int."""
    labels = np.asarray(value_of(target))
    if labels.dtype.kind not in "iu":
        if labels.dtype.kind not in "fb":
            raise TypeError(
                "`sparse_categorical_crossentropy`: `target` must hold integer class labels, "
                f"got dtype {labels.dtype}."
            )
        labels = labels.astype(np.int32)  # truncates, as JAX's int32 cast does
    if o.ndim < 1:
        raise ValueError(
            "`sparse_categorical_crossentropy`: argument `output` must be at least rank 1, "
            f"got output.shape={o.shape}."
        )
    if labels.ndim == o.ndim and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    ax = axis + o.ndim if axis < 0 else axis
    expected = o.shape[:ax] + o.shape[ax + 1:]
    if labels.shape != expected:
        raise ValueError(
            "`sparse_categorical_crossentropy`: `target` must have the shape of `output` "
            f"without the class axis, i.e. {expected}; got target.shape={labels.shape} and "
            f"output.shape={o.shape}. For one-hot labels use `categorical_crossentropy`."
        )
    return np.expand_dims(labels, ax), ax


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1, _mean=False):
    """Cross-entropy between integer class labels `target` and `output` along `axis`.

    `target` has the shape of `output` without the class axis (a trailing axis of
    size 1 is also accepted). Like Keras on JAX, a label outside `[0, num_classes)`
    contributes a loss (and gradient) of zero.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.ops.sparse_categorical_crossentropy(np.array([1]), np.array([[0.2, 0.8]]))
        array([0.22314355])
    """
    o = _as_output(output)
    idx, ax = _sparse_labels(target, o, axis)
    n = o.shape[ax]
    valid = None
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        valid = (idx >= 0) & (idx < n)
        idx = np.where(valid, idx, 0)
    if from_logits:
        log_prob, e, s = _log_softmax_parts(o, ax)
    else:
        lo, hi = _bounds(o.dtype)
        total = o.sum(axis=ax, keepdims=True)
        q = o / total
        qc = np.clip(q, lo, hi)
        log_prob = np.log(qc)
    picked = np.take_along_axis(log_prob, idx, ax)
    if valid is not None:
        picked = np.where(valid, picked, 0)
    out = np.negative(picked).reshape(picked.shape[:ax] + picked.shape[ax + 1:])
    if not _recording_tapes and not _mean:
        return out

    def scatter_onehot(values):
        grad = np.zeros_like(o)
        if valid is not None:
            values = np.where(valid, values, 0)
        np.put_along_axis(grad, idx, values, ax)
        return grad

    if from_logits:

        def vjp(g):
            g = np.expand_dims(g, ax)
            if valid is not None:
                g = np.where(valid, g, 0)  # an out-of-range label has a constant loss
            return None, g * (e / s) - scatter_onehot(g)

    else:

        def vjp(g):
            g = np.expand_dims(g, ax)
            q_picked = np.take_along_axis(qc, idx, ax)
            a = scatter_onehot(-g / q_picked)
            if _clips(q, lo, hi):
                a *= _clip_gradient_scale(q, lo, hi)
            return None, (a - (a * q).sum(axis=ax, keepdims=True)) / total

    composite = _sparse_composite(idx, valid, ax, n, from_logits)
    return _record(out, target, output, vjp, composite, mean=_mean)


def _sparse_composite(idx, valid, ax, n, from_logits):
    def composite(t, o):
        onehot = np.zeros(value_of(o).shape, dtype=value_of(o).dtype)
        np.put_along_axis(onehot, idx, 1 if valid is None else valid, ax)
        inner = _categorical_logits_composite(ax) if from_logits else _categorical_probs_composite(ax)
        return inner(onehot, o)

    return composite
