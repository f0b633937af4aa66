"""The numpy arithmetic of the fused cross-entropy ops: each loss and its first-order gradient.

A kernel computes through a `Workspace` (`ws(name, ufunc, *args)`): the first
run allocates every array as plain numpy code would, a replay of the recorded
op writes the same numpy calls into those arrays again. So the op, its replay
and the tape path give the same bits, and a replay allocates (almost) nothing.

Conventions (Keras 3 on JAX): probabilities are clipped to `[epsilon, 1 - epsilon]`
(rounded to the dtype); the clip's gradient is 1 inside, 0 outside and 1/2 exactly
on a bound, as JAX's `clip` (`minimum(maximum(x, lo), hi)`) gives.

Each `*_loss(ws, target, output, ...)` returns `(t, o, out)`: the target and
output values it used and the elementwise (per-sample) loss. Each
`*_gradient(gs, g, ws, t, o, need_target, ...)` returns `(g_target, g_output)`
for the upstream gradient `g` of that loss, reading what the loss left in `ws`.
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.ops.gradient_utils import converted, value_of

_ndarray = np.ndarray
_BOUNDS = {}


def bounds(dtype):
    """The clip bounds `epsilon` and `1 - epsilon`, rounded to `dtype` (as JAX does)."""
    eps = config.epsilon()
    key = (dtype.char, eps)  # hashing a dtype object costs microseconds; its char does not
    found = _BOUNDS.get(key)
    if found is None:
        found = _BOUNDS[key] = (dtype.type(eps), dtype.type(1.0 - eps))
    return found


def output_values(ws, output):
    """The predictions as a float array (ints become `floatx()`)."""
    o = value_of(output)
    if type(o) is _ndarray and o.dtype.kind == "f":
        return o
    o = np.asarray(o)
    return o if o.dtype.kind == "f" else ws("output", converted, o, config.floatx())


def target_values(ws, target, dtype):
    """The labels as an array of `dtype`."""
    t = value_of(target)
    if type(t) is _ndarray and t.dtype == dtype:
        return t
    return ws("target", converted, t, dtype)


def check_same_shape(op, t, o):
    if t.shape != o.shape:
        raise ValueError(
            f"`{op}`: arguments `target` and `output` must have the same shape, got "
            f"target.shape={t.shape} and output.shape={o.shape}. For integer class labels "
            "use `sparse_categorical_crossentropy`."
        )


def clip_gradient_scale(gs, o, lo, hi):
    """d clip(o, lo, hi) / d o: 1 inside, 0 outside, 1/2 exactly on a bound (as JAX).

    One factor per bound, `heaviside(o - lo, 1/2) * heaviside(hi - o, 1/2)` (a
    difference is 0 exactly when the values are equal): products of 0, 1/2 and 1
    are exact, so multiplying by it changes nothing where nothing clips.
    """
    above = gs("above_low", np.heaviside, gs("minus_low", np.subtract, o, lo), 0.5)
    below = gs("below_high", np.heaviside, gs("high_minus", np.subtract, hi, o), 0.5)
    return gs("clip_scale", np.multiply, above, below)


# --------------------------------------------------------------------------- binary


def binary_probabilities_loss(ws, target, output):
    o = output_values(ws, output)
    t = target_values(ws, target, o.dtype)
    check_same_shape("binary_crossentropy", t, o)
    lo, hi = bounds(o.dtype)
    oc = ws("clipped", np.minimum, ws("clipped_below", np.maximum, o, lo), hi)
    one_minus_t = ws("one_minus_t", np.subtract, 1.0, t)
    one_minus_oc = ws("one_minus_clipped", np.subtract, 1.0, oc)
    log_o = ws("log_clipped", np.log, oc)
    log_1mo = ws("log_one_minus_clipped", np.log, one_minus_oc)
    bce = ws("loss", np.multiply, t, log_o)
    bce += ws("loss_second_term", np.multiply, one_minus_t, log_1mo)
    return t, o, np.negative(bce, out=bce)


def binary_probabilities_gradient(gs, g, ws, t, o, need_target):
    arrays = ws.arrays
    lo, hi = bounds(o.dtype)
    slope = gs("slope", np.subtract,
               gs("slope_first", np.divide, arrays["one_minus_t"], arrays["one_minus_clipped"]),
               gs("slope_second", np.divide, t, arrays["clipped"]))
    g_out = gs("g_output", np.multiply, g, slope)
    g_out *= clip_gradient_scale(gs, o, lo, hi)
    g_t = None
    if need_target:
        log_ratio = gs("log_ratio", np.subtract, arrays["log_one_minus_clipped"], arrays["log_clipped"])
        g_t = gs("g_target", np.multiply, g, log_ratio)
    return g_t, g_out


def binary_logits_loss(ws, target, output):
    o = output_values(ws, output)
    t = target_values(ws, target, o.dtype)
    check_same_shape("binary_crossentropy", t, o)
    one_minus_t = ws("one_minus_t", np.subtract, 1.0, t)
    r = ws("relu", np.maximum, o, 0)
    e = ws("exp_minus_abs", np.exp, ws("minus_abs", np.negative, ws("abs", np.abs, o)))
    a = ws("log1p_exp", np.log1p, e)
    # softplus(x) = max(x, 0) + log1p(exp(-|x|)); softplus(-x) likewise, and
    # max(-x, 0) == max(x, 0) - x holds exactly in floating point.
    sp_pos = ws("softplus", np.add, r, a)
    sp_neg = ws("softplus_minus", np.add, ws("relu_minus", np.subtract, r, o), a)
    out = ws("loss", np.add, ws("loss_first_term", np.multiply, t, sp_neg),
             ws("loss_second_term", np.multiply, one_minus_t, sp_pos))
    return t, o, out


def binary_logits_gradient(gs, g, ws, t, o, need_target):
    e = ws.arrays["exp_minus_abs"]
    # sigmoid(o), stably: 1 / (1 + e) for o >= 0, e / (1 + e) below.
    numerator = select(gs, "sigmoid_numerator", gs("nonnegative", np.greater_equal, o, 0), 1, e)
    sig = gs("sigmoid", np.divide, numerator, gs("one_plus_exp", np.add, 1, e))
    g_out = gs("g_output", np.multiply, g, gs("sigmoid_minus_t", np.subtract, sig, t))
    g_t = gs("g_target", np.multiply, g, gs("minus_output", np.negative, o)) if need_target else None
    return g_t, g_out


def select(gs, name, condition, x, y):
    """`np.where(condition, x, y)`, written into the workspace's array on replays."""
    out = gs.arrays.get(name)
    if out is None:
        out = gs.arrays[name] = np.asarray(np.where(condition, x, y))
    else:  # a selection copies values: the same bits whichever way
        np.copyto(out, y)
        np.copyto(out, x, where=condition)
    return out


# ---------------------------------------------------------------------- categorical


def log_softmax_parts(ws, x, axis):
    """(log_softmax(x), exp(shifted), sum of exp(shifted)) along `axis`."""
    shifted = ws("shifted", np.subtract, x, ws("max", np.maximum.reduce, x, axis=axis, keepdims=True))
    e = ws("exp_shifted", np.exp, shifted)
    s = ws("sum_exp", np.add.reduce, e, axis=axis, keepdims=True)
    np.subtract(shifted, ws("log_sum_exp", np.log, s), out=shifted)
    return shifted, e, s


def _summed_loss(ws, t, log_prob, axis):
    """-sum(t * log_prob, axis)."""
    return ws("loss", np.negative, ws("loss_sum", np.add.reduce, ws("t_log_prob", np.multiply, t, log_prob), axis=axis))


def _check_categorical(t, o):
    check_same_shape("categorical_crossentropy", t, o)
    if o.ndim < 1:
        raise ValueError(
            "`categorical_crossentropy`: arguments `target` and `output` must be at least "
            f"rank 1, got target.shape={t.shape} and output.shape={o.shape}."
        )


def categorical_logits_loss(ws, target, output, axis):
    o = output_values(ws, output)
    t = target_values(ws, target, o.dtype)
    _check_categorical(t, o)
    log_prob, _, _ = log_softmax_parts(ws, o, axis)
    return t, o, _summed_loss(ws, t, log_prob, axis)


def categorical_logits_gradient(gs, g, ws, t, o, need_target, axis):
    arrays = ws.arrays
    g = np.expand_dims(g, axis)
    softmax = gs("softmax", np.divide, arrays["exp_shifted"], arrays["sum_exp"])
    scaled = gs("softmax_times_t_sum", np.multiply, softmax, gs("t_sum", np.add.reduce, t, axis=axis, keepdims=True))
    g_out = gs("g_output", np.multiply, g, gs("softmax_minus_t", np.subtract, scaled, t))
    g_t = gs("g_target", np.multiply, g, gs("minus_log_prob", np.negative, arrays["shifted"])) if need_target else None
    return g_t, g_out


def normalized_probabilities(ws, o, axis):
    """(sum(o, axis), o / that sum, clipped): categorical outputs are divided by their sum first."""
    lo, hi = bounds(o.dtype)
    total = ws("total", np.add.reduce, o, axis=axis, keepdims=True)
    q = ws("normalized", np.divide, o, total)
    return total, q, ws("clipped", np.clip, q, lo, hi)


def categorical_probabilities_loss(ws, target, output, axis):
    o = output_values(ws, output)
    t = target_values(ws, target, o.dtype)
    _check_categorical(t, o)
    _, _, qc = normalized_probabilities(ws, o, axis)
    return t, o, _summed_loss(ws, t, ws("log_prob", np.log, qc), axis)


def _through_normalization(gs, a, ws, axis):
    """The gradient for `o` from `a`, the gradient for `q = o / sum(o)`: (a - sum(a q)) / sum(o)."""
    arrays = ws.arrays
    q = arrays["normalized"]
    a *= clip_gradient_scale(gs, q, *bounds(q.dtype))
    weighted = gs("a_q_sum", np.add.reduce, gs("a_q", np.multiply, a, q), axis=axis, keepdims=True)
    return gs("g_output", np.divide, gs("a_minus_weighted", np.subtract, a, weighted), arrays["total"])


def categorical_probabilities_gradient(gs, g, ws, t, o, need_target, axis):
    arrays = ws.arrays
    g = np.expand_dims(g, axis)
    # the gradient for the clipped probabilities: -g t / qc
    a = gs("g_clipped", np.divide, gs("g_minus_t", np.multiply, g, gs("minus_t", np.negative, t)), arrays["clipped"])
    g_out = _through_normalization(gs, a, ws, axis)
    g_t = gs("g_target", np.multiply, g, gs("minus_log_prob", np.negative, arrays["log_prob"])) if need_target else None
    return g_t, g_out


# --------------------------------------------------------------------------- sparse


def sparse_labels(target, o, axis):
    """Integer labels shaped like `o` with the class axis kept (size 1), and that axis as an int >= 0."""
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


def sparse_loss(ws, target, output, axis, from_logits):
    """Like Keras on JAX, a label outside `[0, classes)` contributes a loss (and gradient) of 0."""
    o = output_values(ws, output)
    idx, ax = sparse_labels(target, o, axis)
    n = o.shape[ax]
    valid = None
    # Part of the op, so a replay checks the new labels again.
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        valid = (idx >= 0) & (idx < n)
        idx = np.where(valid, idx, 0)
    # Read by the gradient (names no numpy call writes to).
    ws.arrays["_labels"], ws.arrays["_valid"], ws.arrays["_axis"] = idx, valid, ax
    if from_logits:
        log_prob, _, _ = log_softmax_parts(ws, o, ax)
    else:
        _, _, qc = normalized_probabilities(ws, o, ax)
        log_prob = ws("log_prob", np.log, qc)
    picked = gathered(ws, "picked", log_prob, idx, ax)
    if valid is not None:
        picked = np.where(valid, picked, 0)
    out = ws("loss", np.negative, picked)
    return idx, o, out.reshape(out.shape[:ax] + out.shape[ax + 1:])


def gathered(ws, name, values, idx, axis):
    """`np.take_along_axis(values, idx, axis)`, kept in the workspace."""
    picked = np.take_along_axis(values, idx, axis)
    out = ws.arrays.get(name)
    if out is None:
        ws.arrays[name] = picked
        return picked
    np.copyto(out, picked)
    return out


def _scattered(gs, values, ws, like):
    """zeros like `like`, with `values` put at the labels (0 for out-of-range labels)."""
    idx, valid, ax = ws.arrays["_labels"], ws.arrays["_valid"], ws.arrays["_axis"]
    grad = gs.arrays.get("one_hot_values")
    if grad is None:
        grad = gs.arrays["one_hot_values"] = np.zeros_like(like)
    else:
        grad.fill(0)
    if valid is not None:
        values = np.where(valid, values, 0)
    np.put_along_axis(grad, idx, values, ax)
    return grad


def sparse_gradient(gs, g, ws, t, o, need_target, axis, from_logits):
    arrays = ws.arrays
    ax = arrays["_axis"]
    g = np.expand_dims(g, ax)
    if from_logits:
        if arrays["_valid"] is not None:
            g = np.where(arrays["_valid"], g, 0)  # an out-of-range label has a constant loss
        softmax = gs("softmax", np.divide, arrays["exp_shifted"], arrays["sum_exp"])
        g_softmax = gs("g_softmax", np.multiply, g, softmax)
        return None, gs("g_output", np.subtract, g_softmax, _scattered(gs, g, ws, o))
    at_label = gathered(gs, "clipped_at_label", arrays["clipped"], arrays["_labels"], ax)
    values = gs("g_over_clipped", np.divide, gs("minus_g", np.negative, g), at_label)
    return None, _through_normalization(gs, _scattered(gs, values, ws, o), ws, ax)
