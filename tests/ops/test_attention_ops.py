"""Attention ops: values against plain numpy, gradients against finite differences, replays bit for bit."""

import math

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from nanokeras.ops import attention as attention_ops
from nanokeras.ops.tensor import Constant
from nanokeras.ops.trace import Trace
from tests.ops.gradient_check import check_gradients, gradient_of
from tests.ops.test_replay_contract import _check_replay

RNG = np.random.default_rng(0)


def _reference_attention(q, k, v, mask=None, bias=None, scale=None, is_causal=False):
    """Scaled dot-product attention in plain numpy, layout (B, T, N, H), grouped keys repeated."""
    groups = q.shape[2] // k.shape[2]
    k, v = np.repeat(k, groups, axis=2), np.repeat(v, groups, axis=2)
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    logits = np.einsum("btnh,bsnh->bnts", q, k) * scale
    if bias is not None:
        logits = logits + bias
    allowed = np.ones(logits.shape, dtype=bool)
    if mask is not None:
        allowed &= np.broadcast_to(mask, logits.shape)
    if is_causal:
        allowed &= np.tril(np.ones(logits.shape[-2:], dtype=bool))
    logits = np.where(allowed, logits, -1e9)
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    return np.einsum("bnts,bsnh->btnh", p, v)


ATTENTION_CASES = [
    ("plain", (2, 3, 2, 4), (2, 5, 2, 4), {}),
    ("grouped_query", (2, 3, 4, 4), (2, 5, 2, 4), {}),
    ("causal", (1, 4, 2, 3), (1, 4, 2, 3), {"is_causal": True}),
    ("mask", (2, 3, 2, 4), (2, 5, 2, 4), {"mask": RNG.random((2, 1, 3, 5)) > 0.3}),
    ("bias_scale", (2, 3, 2, 4), (2, 5, 2, 4), {"bias": RNG.normal(size=(2, 2, 3, 5)), "scale": 0.3}),
    ("fully_masked_row", (1, 2, 1, 3), (1, 3, 1, 3), {"mask": np.array([[[[True, False, True], [False] * 3]]])}),
]


@pytest.mark.parametrize("name,q_shape,k_shape,kwargs", ATTENTION_CASES, ids=[c[0] for c in ATTENTION_CASES])
def test_dot_product_attention_values_and_gradients(name, q_shape, k_shape, kwargs):
    q, k, v = RNG.normal(size=q_shape), RNG.normal(size=k_shape), RNG.normal(size=k_shape)
    ours = ops.dot_product_attention(q, k, v, **kwargs)
    np.testing.assert_allclose(ours, _reference_attention(q, k, v, **kwargs), rtol=1e-10, atol=1e-12)
    check_gradients(lambda a, b, c: ops.dot_product_attention(a, b, c, **kwargs), q, k, v)
    assert ops.nn.dot_product_attention.__wrapped__ is attention_ops.dot_product_attention


def test_dot_product_attention_bias_and_scale_gradients_and_second_order():
    q, k, v = RNG.normal(size=(1, 2, 2, 3)), RNG.normal(size=(1, 3, 2, 3)), RNG.normal(size=(1, 3, 2, 3))
    bias = RNG.normal(size=(1, 2, 2, 3))
    check_gradients(lambda b: ops.dot_product_attention(q, k, v, bias=b), bias)
    check_gradients(lambda s: ops.dot_product_attention(q, k, v, scale=s), np.array(0.7))
    check_gradients(gradient_of(lambda a, b, c: ops.dot_product_attention(a, b, c, is_causal=True), wrt=0), q, k, v,
                    rtol=1e-4)


def test_dot_product_attention_bad_inputs_get_clear_errors():
    q = np.zeros((1, 2, 2, 3))
    with pytest.raises(ValueError, match="only supports 4D inputs"):
        ops.dot_product_attention(q[0], q[0], q[0])
    with pytest.raises(ValueError, match="multiple of K"):
        ops.dot_product_attention(np.zeros((1, 2, 3, 3)), q, q)
    with pytest.raises(ValueError, match="does not broadcast"):
        ops.dot_product_attention(q, q, q, mask=np.ones((3, 3), dtype=bool))
    with pytest.raises(ValueError, match="flash_attention"):
        ops.dot_product_attention(q, q, q, flash_attention=True)
    with pytest.raises(ValueError, match="attn_logits_soft_cap"):
        ops.dot_product_attention(q, q, q, attn_logits_soft_cap=5.0)


SOFTMAX_CASES = [
    ("replace_mask", {"mask": RNG.random((2, 3, 4)) > 0.4, "fill": "replace"}),
    # (Rows with something allowed: a fully masked row in "subtract" mode is `z - 1e9`, too coarse for
    # finite differences.)
    ("subtract_mask_causal", {"mask": np.array([[[True, False, True, True]], [[True, True, False, True]]]),
                              "fill": "subtract", "is_causal": True}),
    ("bias", {"bias": RNG.normal(size=(1, 3, 4))}),
    ("zero_masked_with_an_empty_row", {"mask": np.array([[[True, False, True, True]] * 2 + [[False] * 4]] * 2),
                                       "zero_masked": True}),
]


@pytest.mark.parametrize("name,kwargs", SOFTMAX_CASES, ids=[c[0] for c in SOFTMAX_CASES])
def test_masked_softmax_gradients(name, kwargs):
    logits = RNG.normal(size=(2, 3, 4))
    bias = kwargs.pop("bias", None)
    if bias is not None:
        check_gradients(lambda a, b: attention_ops.masked_softmax(a, bias=b, **kwargs), logits, bias)
    else:
        check_gradients(lambda a: attention_ops.masked_softmax(a, **kwargs), logits)
    check_gradients(gradient_of(lambda a: attention_ops.masked_softmax(a, **kwargs)), logits, rtol=1e-4)


def test_masked_softmax_fill_modes_differ_only_on_fully_masked_rows():
    logits = np.array([[[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]], dtype="float64")
    mask = np.array([[[True, False, True], [False, False, False]]])
    replaced = attention_ops.masked_softmax(logits, mask=mask, fill="replace")
    subtracted = attention_ops.masked_softmax(logits, mask=mask, fill="subtract")
    np.testing.assert_allclose(replaced[0, 0], subtracted[0, 0])
    np.testing.assert_allclose(replaced[0, 1], [1 / 3] * 3)  # every logit equal
    np.testing.assert_allclose(subtracted[0, 1], np.exp(logits[0, 1]) / np.exp(logits[0, 1]).sum())


ADDITIVE_CASES = [
    ("weight", lambda q, k, w, a, c: attention_ops.additive_scores(q, k, weight=w), True, False),
    ("plain", lambda q, k, w, a, c: attention_ops.additive_scores(q, k), False, False),
    ("inner_outer", lambda q, k, w, a, c: attention_ops.additive_scores(q, k, inner_scale=a, outer_scale=c), False, True),
]


@pytest.mark.parametrize("name,fn,uses_weight,uses_scalars", ADDITIVE_CASES, ids=[c[0] for c in ADDITIVE_CASES])
def test_additive_scores_gradients(name, fn, uses_weight, uses_scalars):
    q, k = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 5, 4))
    w, a, c = RNG.normal(size=(4,)), np.array(0.8), np.array(1.3)
    values = fn(q, k, w, a, c)
    reference = np.tanh((a if uses_scalars else 1.0) * (q[:, :, None] + k[:, None])) * (w if uses_weight else 1.0)
    np.testing.assert_allclose(values, reference.sum(-1) * (c if uses_scalars else 1.0))
    check_gradients(lambda *xs: fn(*xs), q, k, w, a, c)
    check_gradients(gradient_of(lambda *xs: fn(*xs), wrt=0), q, k, w, a, c, rtol=1e-4)


def test_logits_combine_project_gradients_in_both_layouts():
    q, k, v = RNG.normal(size=(2, 3, 2, 4)), RNG.normal(size=(2, 5, 1, 4)), RNG.normal(size=(2, 5, 1, 3))
    check_gradients(lambda a, b, s: attention_ops.attention_logits(a, b, s, layout="BTNH"), q, k, np.array(0.5))
    p = RNG.dirichlet(np.ones(5), size=(2, 2, 3))
    check_gradients(lambda a, b: attention_ops.attention_combine(a, b, layout="BTNH"), p, v)
    q3, k3, v3 = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 5, 4)), RNG.normal(size=(2, 5, 3))
    check_gradients(lambda a, b: attention_ops.attention_logits(a, b, 1.0, layout="BTH"), q3, k3)
    check_gradients(lambda a, b: attention_ops.attention_combine(a, b, layout="BTH"), p[:, 0], v3)
    x, kernel, bias = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(4, 2, 3)), RNG.normal(size=(2, 3))
    check_gradients(lambda a, b, c: attention_ops.project(a, b, c, contract=1), x, kernel, bias)
    heads = RNG.normal(size=(2, 3, 2, 3))
    check_gradients(lambda a, b, c: attention_ops.project(a, b, c, contract=2), heads, RNG.normal(size=(2, 3, 4)),
                    RNG.normal(size=(4,)))
    check_gradients(gradient_of(lambda a, b: attention_ops.project(a, b, None, contract=1), wrt=1), x, kernel)


REPLAY_CASES = [
    ("dot_product_attention", lambda q, k, v: ops.dot_product_attention(q, k, v, is_causal=True), 3),
    ("logits_scale", lambda q, k, s: attention_ops.attention_logits(q, k, s), 3),
    ("masked_softmax", lambda z: attention_ops.masked_softmax(z, mask=np.tril(np.ones((3, 3), bool))[None]), 1),
    ("additive", lambda q, k, w: attention_ops.additive_scores(q, k, weight=w), 3),
    ("project", lambda x, w, b: attention_ops.project(x, w, b, contract=2), 3),
]


@pytest.mark.parametrize("name,fn,count", REPLAY_CASES, ids=[c[0] for c in REPLAY_CASES])
def test_attention_ops_replay_bit_for_bit(name, fn, count):
    shapes = {"dot_product_attention": [(2, 3, 2, 4)] * 3, "logits_scale": [(2, 3, 2, 4), (2, 3, 2, 4), ()],
              "masked_softmax": [(2, 3, 3)], "additive": [(2, 3, 4), (2, 5, 4), (4,)],
              "project": [(2, 3, 2, 4), (2, 4, 5), (5,)]}[name]
    sources = [keras.Variable(RNG.normal(size=s).astype("float32")) for s in shapes[:count]]
    _check_replay(fn, sources)


def test_attention_dropout_is_redrawn_by_a_replay_and_scales_kept_weights():
    generator = np.random.default_rng(1)
    probabilities = Constant(np.full((2, 3, 4), 0.25))
    weight = keras.Variable(np.ones((2, 3, 4)))
    with keras.GradientTape() as tape:
        dropped = attention_ops.attention_dropout(ops.multiply(probabilities, weight), 0.5, lambda: generator)
        loss = ops.sum(dropped)
    trace = Trace(tape)
    first = np.array(dropped.value)
    assert set(np.unique(first)) <= {0.0, 0.5}
    np.testing.assert_array_equal(trace.gradients(loss, [weight])[0], first)
    trace.forward()
    assert not np.array_equal(first, dropped.value)
    np.testing.assert_array_equal(trace.gradients(loss, [weight])[0], dropped.value)
