"""Attention as a few recorded ops, and `keras.ops.nn.dot_product_attention`.

    logits = scale * q kᵀ (+ bias)          `attention_logits` (or `additive_scores`)
    P      = softmax(logits where allowed)  `masked_softmax`
    P'     = dropout(P)                     `attention_dropout`
    out    = P' v                           `attention_combine`

Each op is one tape node with its gradient written out, and a `forward` that
recomputes it in place, so a compiled training step can replay attention
(dropout masks are drawn inside `attention_dropout`). Layout `"BTNH"` is
Keras's (batch, steps, heads, depth) with probabilities (batch, heads, T, S);
keys and values may have fewer heads than queries (grouped-query attention):
each key head serves `heads / key_heads` query heads. Layout `"BTH"` is one
head: (..., steps, depth) with probabilities (..., T, S).

Example:
    >>> import numpy as np
    >>> q = k = v = np.ones((1, 3, 2, 4), "float32")
    >>> dot_product_attention(q, k, v, is_causal=True).shape
    (1, 3, 2, 4)
"""

import math

import numpy as np

from nanokeras.ops.gradient_utils import _recording_tapes, record, unbroadcast, value_of
from nanokeras.ops.nn import softmax_values
from nanokeras.ops.tape import needs_gradient

__all__ = ["dot_product_attention"]


def _wanted(*inputs):
    """The ids of the inputs that want a gradient, read when the op is recorded (a watched array
    stops being watched when its tape closes, before the gradient is asked for)."""
    return {id(x) for x in inputs if x is not None and needs_gradient(x)}


def _heads_first(a, layout, groups=1):
    """(B, T, N, H) -> (B, N, T, H), each key head repeated for its `groups` query heads."""
    if layout != "BTNH":
        return a
    if groups > 1:
        a = np.repeat(a, groups, axis=2)
    return a.transpose(0, 2, 1, 3)


def _heads_back(a, layout, groups=1):
    """The inverse of `_heads_first` for gradients: (B, N, T, H) -> (B, T, K, H), groups summed."""
    if layout != "BTNH":
        return a
    a = a.transpose(0, 2, 1, 3)
    if groups > 1:
        b, t, n, h = a.shape
        a = a.reshape(b, t, n // groups, groups, h).sum(axis=3)
    return np.ascontiguousarray(a)


def _groups(query, key, layout):
    if layout != "BTNH":
        return 1
    return value_of(query).shape[2] // value_of(key).shape[2]


def attention_logits(query, key, scale=1.0, layout="BTNH"):
    """`scale * q kᵀ`: (B, N, T, S) for `"BTNH"`, (..., T, S) for `"BTH"`; `scale` may be a weight."""
    groups = _groups(query, key, layout)
    q, k = _heads_first(value_of(query), layout), _heads_first(value_of(key), layout, groups)
    raw = np.matmul(q, np.swapaxes(k, -1, -2))
    s = value_of(scale)
    out = raw * np.asarray(s, dtype=raw.dtype)
    if not _recording_tapes:
        return out

    def forward():
        qq = _heads_first(value_of(query), layout)
        kk = _heads_first(value_of(key), layout, groups)
        np.matmul(qq, np.swapaxes(kk, -1, -2), out=raw)
        np.multiply(raw, np.asarray(value_of(scale), dtype=raw.dtype), out=out)

    wanted = _wanted(query, key, scale)

    def vjp(g):
        if _recording_tapes:
            return _recorded_gradients(lambda a, b, c: _logits_reference(a, b, c, layout), (query, key, scale), g)
        g = value_of(g)
        s_now = np.asarray(value_of(scale), dtype=raw.dtype)
        qq = _heads_first(value_of(query), layout)
        kk = _heads_first(value_of(key), layout, groups)
        gs = g * s_now
        dq = _heads_back(np.matmul(gs, kk), layout) if id(query) in wanted else None
        dk = _heads_back(np.matmul(np.swapaxes(gs, -1, -2), qq), layout, groups) if id(key) in wanted else None
        ds = None
        if id(scale) in wanted:
            ds = np.asarray(np.sum(g * raw), dtype=raw.dtype).reshape(np.shape(value_of(scale)))
        return dq, dk, ds

    return record(out, (query, key, scale), vjp, forward)


def _logits_reference(query, key, scale, layout):
    from nanokeras.ops import numpy as np_ops

    if layout == "BTNH":
        groups = query.shape[2] // key.shape[2]
        if groups > 1:
            key = np_ops.repeat(key, groups, axis=2)
        return np_ops.multiply(np_ops.einsum("btnh,bsnh->bnts", query, key), scale)
    return np_ops.multiply(np_ops.matmul(query, np_ops.swapaxes(key, -1, -2)), scale)


def _allowed(mask, is_causal, shape):
    """Where attention may look (boolean, broadcast to `shape`), or None when everywhere."""
    allowed = None
    if mask is not None:
        values = np.asarray(value_of(mask))
        try:
            allowed = np.broadcast_to(values.astype(bool, copy=False), shape)
        except ValueError:
            raise ValueError(
                f"The attention `mask` has shape {values.shape}, which does not broadcast to the attention "
                f"logits' shape {tuple(shape)} (batch, heads, T, S) — or (batch, T, S) for single-head "
                "attention. Give the mask those axes (size 1 where it is the same for all)."
            ) from None
    if is_causal:
        causal = np.tril(np.ones(shape[-2:], dtype=bool))
        allowed = causal if allowed is None else np.logical_and(allowed, causal)
        allowed = np.broadcast_to(allowed, shape)
    return allowed


# A masked logit: softmax gives it weight 0 unless its whole row is masked (then uniform).
MASKED_LOGIT = -1e9


def masked_softmax(logits, mask=None, bias=None, is_causal=False, fill="replace", zero_masked=False):
    """`softmax(logits + bias)` over the last axis, where `mask` (True = allowed) and causality allow.

    `fill="replace"` sets disallowed logits to -1e9 (Keras's `Softmax` with a mask and
    `dot_product_attention`); `"subtract"` subtracts 1e9 from them (Keras's `Attention`).
    `zero_masked` then sets disallowed weights to 0, as Keras's `Softmax` layer does (a row
    with nothing allowed gets all zeros instead of uniform weights).
    """
    z = value_of(logits)
    if bias is not None:
        z = z + value_of(bias)
    allowed = _allowed(mask, is_causal, z.shape)
    if allowed is not None:
        z = _fill(z, allowed, fill)
    probabilities = softmax_values(z, axis=-1)
    out = _zeroed(probabilities, allowed) if zero_masked else probabilities
    if not _recording_tapes:
        return out

    def forward():
        zz = value_of(logits)
        if bias is not None:
            zz = zz + value_of(bias)
        now = _allowed(mask, is_causal, zz.shape)
        if now is not None:
            zz = _fill(zz, now, fill)
        np.copyto(probabilities, softmax_values(zz, axis=-1))
        if zero_masked:
            np.copyto(out, _zeroed(probabilities, now))

    wanted = _wanted(logits, bias)

    def vjp(g):
        now = _allowed(mask, is_causal, out.shape)
        if _recording_tapes:
            grads = _recorded_gradients(lambda z, b: _softmax_reference(z, b, now, fill, zero_masked),
                                        (logits, bias), g)
            return grads[0], None, grads[1]
        g = value_of(g)
        if zero_masked and now is not None:
            g = np.where(now, g, np.zeros((), g.dtype))
        dz = probabilities * (g - np.sum(g * probabilities, axis=-1, keepdims=True))
        if fill == "replace" and now is not None:
            dz = np.where(now, dz, np.zeros((), dz.dtype))
        d_logits = dz if id(logits) in wanted else None
        d_bias = unbroadcast(dz, np.shape(value_of(bias))) if bias is not None and id(bias) in wanted else None
        return d_logits, None, d_bias

    return record(out, (logits, mask, bias), vjp, forward)


def _zeroed(probabilities, allowed):
    if allowed is None:
        return probabilities
    return np.where(allowed, probabilities, np.zeros((), probabilities.dtype))


def _softmax_reference(logits, bias, allowed, fill, zero_masked=False):
    from nanokeras.ops import nn as nn_ops
    from nanokeras.ops import numpy as np_ops

    z = logits if bias is None else np_ops.add(logits, bias)
    if allowed is not None:
        if fill == "replace":
            z = np_ops.where(allowed, z, MASKED_LOGIT)
        else:
            z = np_ops.subtract(z, np.where(allowed, 0.0, -MASKED_LOGIT).astype(np.asarray(value_of(z)).dtype))
    out = nn_ops.softmax(z, axis=-1)
    return np_ops.where(allowed, out, 0.0) if zero_masked and allowed is not None else out


def _fill(z, allowed, fill):
    if fill == "replace":
        return np.where(allowed, z, np.asarray(MASKED_LOGIT, dtype=z.dtype))
    return np.where(allowed, z, z - np.asarray(-MASKED_LOGIT, dtype=z.dtype))


def attention_dropout(probabilities, rate, generator):
    """`probabilities` with a fraction `rate` of entries zeroed and the rest scaled by `1 / (1 - rate)`.

    The mask is drawn from `generator()` inside the op (a compiled step redraws it).
    """
    p = value_of(probabilities)
    keep = 1.0 - rate
    scale = np.zeros(p.shape, dtype=p.dtype)

    def draw():
        kept = generator().random(p.shape, dtype=np.float32) < keep
        np.divide(kept, np.asarray(keep, p.dtype), out=scale, dtype=p.dtype)

    draw()
    out = p * scale
    if not _recording_tapes:
        return out

    def forward():
        draw()
        np.multiply(value_of(probabilities), scale, out=out)

    def vjp(g):
        from nanokeras.ops import numpy as np_ops

        return (np_ops.multiply(g, scale) if _recording_tapes else value_of(g) * scale,)

    return record(out, (probabilities,), vjp, forward)


def attention_combine(probabilities, value, layout="BTNH"):
    """`P v`: (B, T, N, Hv) for `"BTNH"` (P is (B, N, T, S)), (..., T, Hv) for `"BTH"`."""
    p = value_of(probabilities)
    groups = p.shape[1] // value_of(value).shape[2] if layout == "BTNH" else 1
    heads_out = np.matmul(p, _heads_first(value_of(value), layout, groups))
    out = np.ascontiguousarray(heads_out.transpose(0, 2, 1, 3)) if layout == "BTNH" else heads_out
    if not _recording_tapes:
        return out

    def forward():
        vv = _heads_first(value_of(value), layout, groups)
        np.matmul(value_of(probabilities), vv, out=heads_out)
        if layout == "BTNH":
            np.copyto(out, heads_out.transpose(0, 2, 1, 3))

    wanted = _wanted(probabilities, value)

    def vjp(g):
        if _recording_tapes:
            return _recorded_gradients(lambda a, b: _combine_reference(a, b, layout), (probabilities, value), g)
        g = value_of(g)
        gh = g.transpose(0, 2, 1, 3) if layout == "BTNH" else g
        vv = _heads_first(value_of(value), layout, groups)
        dp = np.matmul(gh, np.swapaxes(vv, -1, -2)) if id(probabilities) in wanted else None
        dv = None
        if id(value) in wanted:
            dv = _heads_back(np.matmul(np.swapaxes(value_of(probabilities), -1, -2), gh), layout, groups)
        return dp, dv

    return record(out, (probabilities, value), vjp, forward)


def _combine_reference(probabilities, value, layout):
    from nanokeras.ops import numpy as np_ops

    if layout == "BTNH":
        groups = probabilities.shape[1] // value.shape[2]
        if groups > 1:
            value = np_ops.repeat(value, groups, axis=2)
        return np_ops.einsum("bnts,bsnh->btnh", probabilities, value)
    return np_ops.matmul(probabilities, value)


def additive_scores(query, key, weight=None, inner_scale=None, outer_scale=None):
    """`outer * sum_d(weight_d * tanh(inner * (q_t + k_s)_d))`: (B, T, S) scores of Bahdanau attention.

    Keras's `AdditiveAttention` uses `weight` (its `scale` vector); `Attention(score_mode="concat")`
    uses `inner_scale` and `outer_scale` (its `scale` and `concat_score_weight`). Any of
    them may be None (1) or a trainable weight.
    """
    q, k = value_of(query), value_of(key)
    pre = q[..., :, None, :] + k[..., None, :, :]
    inner = value_of(inner_scale)
    if inner_scale is not None:
        pre = pre * np.asarray(inner, dtype=pre.dtype)
    activated = np.tanh(pre)
    weighted = activated if weight is None else activated * value_of(weight)
    summed = np.sum(weighted, axis=-1)
    out = summed if outer_scale is None else summed * np.asarray(value_of(outer_scale), dtype=summed.dtype)
    if not _recording_tapes:
        return out
    state = {"activated": activated, "summed": summed}

    def forward():
        qq, kk = value_of(query), value_of(key)
        p = qq[..., :, None, :] + kk[..., None, :, :]
        if inner_scale is not None:
            p = p * np.asarray(value_of(inner_scale), dtype=p.dtype)
        a = np.tanh(p)
        w = a if weight is None else a * value_of(weight)
        s = np.sum(w, axis=-1)
        state["activated"], state["summed"] = a, s
        np.copyto(out, s if outer_scale is None else s * np.asarray(value_of(outer_scale), dtype=s.dtype))

    wanted = _wanted(query, key, weight, inner_scale, outer_scale)

    def vjp(g):
        if _recording_tapes:
            return _recorded_gradients(_additive_reference, (query, key, weight, inner_scale, outer_scale), g)
        g = value_of(g)
        a, s = state["activated"], state["summed"]
        dtype = a.dtype
        outer = 1.0 if outer_scale is None else np.asarray(value_of(outer_scale), dtype=dtype)
        d_weighted = (g * outer)[..., None]
        d_activated = d_weighted if weight is None else d_weighted * value_of(weight)
        d_pre = d_activated * (1 - a * a)
        d_sum = d_pre if inner_scale is None else d_pre * np.asarray(value_of(inner_scale), dtype=dtype)
        dq = np.sum(d_sum, axis=-2) if id(query) in wanted else None
        dk = np.sum(d_sum, axis=-3) if id(key) in wanted else None
        dw = None
        if weight is not None and id(weight) in wanted:
            dw = unbroadcast(d_weighted * a, np.shape(value_of(weight)))
        d_inner = None
        if inner_scale is not None and id(inner_scale) in wanted:
            raw = value_of(query)[..., :, None, :] + value_of(key)[..., None, :, :]
            d_inner = np.asarray(np.sum(d_pre * raw), dtype=dtype).reshape(np.shape(value_of(inner_scale)))
        d_outer = None
        if outer_scale is not None and id(outer_scale) in wanted:
            d_outer = np.asarray(np.sum(g * s), dtype=dtype).reshape(np.shape(value_of(outer_scale)))
        return dq, dk, dw, d_inner, d_outer

    return record(out, (query, key, weight, inner_scale, outer_scale), vjp, forward)


def _additive_reference(query, key, weight, inner_scale, outer_scale):
    from nanokeras.ops import numpy as np_ops

    pre = np_ops.add(np_ops.expand_dims(query, -2), np_ops.expand_dims(key, -3))
    if inner_scale is not None:
        pre = np_ops.multiply(pre, inner_scale)
    activated = np_ops.tanh(pre)
    if weight is not None:
        activated = np_ops.multiply(activated, weight)
    out = np_ops.sum(activated, axis=-1)
    return out if outer_scale is None else np_ops.multiply(out, outer_scale)


def project(inputs, kernel, bias=None, contract=1):
    """`tensordot(inputs, kernel, contract) + bias`: the last `contract` axes of `inputs` against the
    first of `kernel` (Keras's `EinsumDense` projections of multi-head attention)."""
    x, w = value_of(inputs), value_of(kernel)
    lead, inner = x.shape[:x.ndim - contract], x.shape[x.ndim - contract:]
    outer = w.shape[contract:]
    size_in = int(np.prod(inner))
    w2 = w.reshape(size_in, -1)
    flat = np.matmul(x.reshape(-1, size_in), w2)
    if bias is not None:
        np.add(flat, value_of(bias).reshape(-1), out=flat)
    out = flat.reshape(lead + outer)
    if not _recording_tapes:
        return out

    def forward():
        xx = value_of(inputs)
        np.matmul(xx.reshape(-1, size_in), value_of(kernel).reshape(size_in, -1), out=flat)
        if bias is not None:
            np.add(flat, value_of(bias).reshape(-1), out=flat)

    wanted = _wanted(inputs, kernel, bias)

    def vjp(g):
        if _recording_tapes:
            return _recorded_gradients(lambda a, b, c: _project_reference(a, b, c, contract), (inputs, kernel, bias), g)
        g2 = np.reshape(value_of(g), (-1, w2.shape[1]))
        xx = value_of(inputs).reshape(-1, size_in)
        ww = value_of(kernel).reshape(size_in, -1)
        dx = np.matmul(g2, ww.T).reshape(value_of(inputs).shape) if id(inputs) in wanted else None
        dw = np.matmul(xx.T, g2).reshape(value_of(kernel).shape) if id(kernel) in wanted else None
        db = g2.sum(axis=0).reshape(value_of(bias).shape) if bias is not None and id(bias) in wanted else None
        return dx, dw, db

    return record(out, (inputs, kernel, bias), vjp, forward)


def _project_reference(inputs, kernel, bias, contract):
    from nanokeras.ops import numpy as np_ops

    axes = (list(range(len(inputs.shape) - contract, len(inputs.shape))), list(range(contract)))
    out = np_ops.tensordot(inputs, kernel, axes=axes)
    return out if bias is None else np_ops.add(out, bias)


def _recorded_gradients(reference, inputs, g):
    """Gradients through `reference(*inputs)` written with ops, recorded on the outer tapes."""
    from nanokeras.ops.tape import GradientTape
    from nanokeras.ops.tensor import TensorOperators

    sources = [x if isinstance(x, TensorOperators) else None for x in inputs]
    with GradientTape() as tape:
        out = reference(*inputs)
    present = [s for s in sources if s is not None]
    grads = iter(tape.gradient(out, present, output_gradients=g))
    return tuple(next(grads) if s is not None else None for s in sources)


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention: `softmax(scale * q kᵀ + bias, where mask) v`.

    Args:
        query: (batch, T, heads, depth).
        key, value: (batch, S, key_heads, depth) and (batch, S, key_heads, depth_v); `heads`
            must be a multiple of `key_heads` (grouped-query attention).
        bias: added to the logits, broadcastable to (batch, heads, T, S).
        mask: booleans broadcastable to (batch, heads, T, S); False positions get no weight.
        scale: the logits' scale, `1 / sqrt(depth)` by default.
        is_causal: let position t attend only to positions <= t.
        flash_attention, attn_logits_soft_cap: GPU/TPU options; only None/False are accepted.

    Returns:
        (batch, T, heads, depth_v).

    Example:
        >>> import numpy as np
        >>> q = np.zeros((1, 2, 1, 3), "float32")
        >>> v = np.arange(6, dtype="float32").reshape(1, 2, 1, 3)
        >>> dot_product_attention(q, q, v)[0, :, 0].tolist()  # equal logits: the mean of the values
        [[1.5, 2.5, 3.5], [1.5, 2.5, 3.5]]
    """
    if flash_attention:
        raise ValueError(
            "`dot_product_attention`: `flash_attention=True` needs a GPU or TPU kernel, which nanokeras "
            "does not have. Use flash_attention=None or False."
        )
    if attn_logits_soft_cap is not None:
        raise ValueError(
            "`dot_product_attention`: `attn_logits_soft_cap` is only applied by Keras's TPU flash-attention "
            "kernel, which nanokeras does not have. Remove the argument."
        )
    shapes = [np.shape(value_of(x)) for x in (query, key, value)]
    if any(len(s) != 4 for s in shapes):
        raise ValueError(
            "`dot_product_attention` only supports 4D inputs (batch, steps, heads, depth). "
            f"Received: query.shape={shapes[0]}, key.shape={shapes[1]}, value.shape={shapes[2]}."
        )
    (b, t, n, h), (bk, s, k, hk), (bv, sv, kv, _) = shapes
    if hk != h or bk != b or bv != b or sv != s or kv != k or n % k:
        raise ValueError(
            "`dot_product_attention`: incompatible shapes. key must be (batch, S, K, depth) with the query's "
            "batch and depth, value (batch, S, K, depth_v), and the query's heads a multiple of K. Received: "
            f"query.shape={shapes[0]}, key.shape={shapes[1]}, value.shape={shapes[2]}."
        )
    scale = (1.0 / math.sqrt(h)) if scale is None else scale
    logits = attention_logits(query, key, scale, layout="BTNH")
    probabilities = masked_softmax(logits, mask=mask, bias=bias, is_causal=is_causal)
    return attention_combine(probabilities, value, layout="BTNH")
