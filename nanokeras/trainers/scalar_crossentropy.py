"""Scalar emitters for the fused cross-entropy ops (`nanokeras/ops/crossentropy.py`).

Binary, categorical and sparse categorical cross-entropy, from probabilities or logits,
elementwise or with the batch mean, written out as the numpy kernels compute them
(`ops/crossentropy_kernels.py`): probabilities clipped to `[epsilon, 1 - epsilon]`
rounded to float32, the clip's gradient 1/2 exactly on a bound (JAX's convention),
max-shifted log-softmax, stable softplus, labels out of range counting 0. The forward
pass leaves in `code.memo` what the gradient reads, as the kernels' workspace does.
"""

import numpy as np

from nanokeras.ops import crossentropy_kernels as kernels
from nanokeras.trainers.scalar_code import Unsupported, closure, exp_expression, grid, literal


def _clip_scale(o, lo, hi):
    """d clip / d o: 1 inside, 0 outside, 1/2 on a bound (JAX's convention, as the op)."""
    return (f"((1.0 if {o} > {lo} else 0.5 if {o} == {lo} else 0.0)"
            f" * (1.0 if {hi} > {o} else 0.5 if {hi} == {o} else 0.0))")


def _bounds():
    lo, hi = kernels.bounds(np.dtype(np.float32))
    return literal(lo), literal(hi)


def _crossentropy_kind(node):
    """(kind, from_logits) of a fused cross-entropy node, and whether it takes the mean."""
    cells = closure(node.forward)
    loss, mean = cells.get("loss"), cells.get("mean")
    kinds = {kernels.binary_probabilities_loss: ("binary", False), kernels.binary_logits_loss: ("binary", True),
             kernels.categorical_probabilities_loss: ("categorical", False),
             kernels.categorical_logits_loss: ("categorical", True)}
    if loss in kinds:
        kind, logits = kinds[loss]
        options = cells.get("options", ())
        if kind == "categorical" and options and options[0] not in (-1, len(node.inputs[1].value.shape) - 1):
            raise Unsupported("a categorical cross-entropy over an axis other than the last")
        return kind, logits, mean
    if getattr(loss, "__qualname__", "") == "_sparse.<locals>.loss":
        inner = closure(loss)
        if inner.get("axis") != -1:
            raise Unsupported("a sparse cross-entropy over an axis other than the last")
        return "sparse", bool(inner.get("from_logits")), mean
    raise Unsupported("a fused cross-entropy of an unknown kind")


def _labels(t, shape):
    """The target's expressions laid out as the output's (binary/categorical: same shape)."""
    if t.shape != shape:
        raise Unsupported(f"cross-entropy labels of shape {t.shape} for outputs of shape {shape}")
    return t


def _sparse_labels(t, rows):
    flat = t.reshape(-1)
    if flat.size != rows:
        raise Unsupported(f"sparse labels of shape {t.shape} for {rows} samples")
    return list(flat)


def crossentropy_forward(code, node, args):
    t, o = args
    kind, logits, mean = _crossentropy_kind(node)
    if o.ndim != 2:
        raise Unsupported(f"a cross-entropy on outputs of rank {o.ndim} (the tiny path takes rank 2)")
    lo, hi = _bounds()
    parts = code.memo[id(node)] = {}  # what the gradient reads, as the kernels' workspace
    if kind == "binary":
        t = _labels(t, o.shape)
        losses = np.empty(o.shape, dtype=object)
        for ij in np.ndindex(*o.shape):
            if logits:
                r = code.let(f"{o[ij]} if {o[ij]} > 0.0 else 0.0", "r", rounded=False)
                e = code.let(exp_expression(f"-abs({o[ij]})"), "e")
                a = code.let(f"log1p({e})", "l")
                sp_pos = code.let(f"{r} + {a}", "sp")
                sp_neg = code.let(f"{code.let(f'{r} - {o[ij]}', 'sp')} + {a}", "sp")
                first = code.let(f"{t[ij]} * {sp_neg}", "l")
                second = code.let(f"{code.let(f'1.0 - {t[ij]}', 'l')} * {sp_pos}", "l")
                losses[ij] = code.let(f"{first} + {second}", "l")
                parts[ij] = e
            else:
                oc = code.let(f"{lo} if {o[ij]} < {lo} else {hi} if {o[ij]} > {hi} else {o[ij]}", "oc", rounded=False)
                one_minus_t = code.let(f"1.0 - {t[ij]}", "l")
                one_minus_oc = code.let(f"1.0 - {oc}", "l")
                first = code.let(f"{t[ij]} * {code.let(f'log({oc})', 'l')}", "l")
                second = code.let(f"{one_minus_t} * {code.let(f'log({one_minus_oc})', 'l')}", "l")
                losses[ij] = code.let(f"-({first} + {second})", "l")
                parts[ij] = (oc, one_minus_t, one_minus_oc)
    else:
        rows, classes = o.shape
        labels = _sparse_labels(t, rows) if kind == "sparse" else None
        if kind == "categorical":
            t = _labels(t, o.shape)
        losses = np.empty((rows,), dtype=object)
        for i in range(rows):
            row = list(o[i])
            if logits:
                top = row[0]
                for value in row[1:]:
                    top = code.let(f"{value} if {value} > {top} else {top}", "m", rounded=False)
                shifted = [code.let(f"{value} - {top}", "sh") for value in row]
                exps = [code.let(f"exp({s})", "e") for s in shifted]
                total = code.sum(exps, "s")
                log_total = code.let(f"log({total})", "l")
                log_prob = [code.let(f"{s} - {log_total}", "lp") for s in shifted]
                parts[i] = (exps, total, log_prob)
            else:
                total = code.sum(row, "s")
                q = [code.let(f"{value} / {total}", "q") for value in row]
                qc = [code.let(f"{lo} if {v} < {lo} else {hi} if {v} > {hi} else {v}", "qc", rounded=False) for v in q]
                log_prob = [code.let(f"log({v})", "lp") for v in qc]
                parts[i] = (total, q, qc, log_prob)
            if kind == "sparse":
                label = code.let(f"int({labels[i]})", "k", rounded=False)
                parts[i] += (label,)
                picked = code.let(f"({', '.join(log_prob)},)[{label}] if 0 <= {label} < {classes} else -0.0",
                                  "l", rounded=False)
                losses[i] = code.let(f"-{picked}", "l", rounded=False)
            else:
                terms = [code.let(f"{t[i, j]} * {log_prob[j]}", "l") for j in range(classes)]
                losses[i] = code.let(f"-{code.sum(terms, 'l')}", "l", rounded=False)
    if not mean:
        return losses
    total = code.sum(list(losses.reshape(-1)), "l")
    return np.array(code.let(f"{total} / {literal(losses.size)}", "loss", exact=True), dtype=object)


def crossentropy_backward(code, node, args, out, g, wanted):
    t, o = args
    kind, logits, mean = _crossentropy_kind(node)
    parts = code.memo[id(node)]
    elementwise_shape = o.shape if kind == "binary" else (o.shape[0],)
    if mean:
        seed = code.let(f"{g[()]} / {literal(int(np.prod(elementwise_shape)))}", "g")
        g = grid(elementwise_shape, lambda _: seed)
    lo, hi = _bounds()
    g_out = np.empty(o.shape, dtype=object)
    g_t = None
    if kind == "binary":
        if wanted[0]:
            raise Unsupported("a gradient for cross-entropy labels")
        for ij in np.ndindex(*o.shape):
            if logits:
                e = parts[ij]
                numerator = f"(1.0 if {o[ij]} >= 0.0 else {e})"
                sig = code.let(f"{numerator} / {code.let(f'1.0 + {e}', 'd')}", "d")
                g_out[ij] = code.let(f"{g[ij]} * {code.let(f'{sig} - {t[ij]}', 'd')}", "go")
            else:
                oc, one_minus_t, one_minus_oc = parts[ij]
                slope = code.let(f"{code.let(f'{one_minus_t} / {one_minus_oc}', 'd')} - "
                                 f"{code.let(f'{t[ij]} / {oc}', 'd')}", "d")
                g_out[ij] = code.let(f"{code.let(f'{g[ij]} * {slope}', 'd')} * {_clip_scale(o[ij], lo, hi)}", "go")
        return [g_t, g_out]
    if wanted[0] and kind == "categorical":
        raise Unsupported("a gradient for cross-entropy labels")
    rows, classes = o.shape
    for i in range(rows):
        if kind == "sparse":
            label = parts[i][-1]
            onehot = [f"({label} == {j})" for j in range(classes)]
        if logits:
            exps, total, _ = parts[i][:3]
            softmax = [code.let(f"{e} / {total}", "sm") for e in exps]
            if kind == "categorical":
                t_sum = code.sum(list(t[i]), "d")
                for j in range(classes):
                    scaled = code.let(f"{softmax[j]} * {t_sum}", "d")
                    g_out[i, j] = code.let(f"{g[i]} * {code.let(f'{scaled} - {t[i, j]}', 'd')}", "go")
            else:
                valid = f"(0 <= {label} < {classes})"
                gi = code.let(f"{g[i]} if {valid} else 0.0", "d", rounded=False)
                for j in range(classes):
                    g_softmax = code.let(f"{gi} * {softmax[j]}", "d")
                    g_out[i, j] = code.let(f"{g_softmax} - ({gi} if {onehot[j]} else 0.0)", "go")
        else:
            total, q, qc = parts[i][:3]
            if kind == "categorical":
                a = [code.let(f"{code.let(f'{g[i]} * -{t[i, j]}', 'd')} / {qc[j]}", "d") for j in range(classes)]
            else:
                valid = f"(0 <= {label} < {classes})"
                picked = f"({', '.join(qc)},)[{label}]"
                value = code.let(f"-{g[i]} / {picked} if {valid} else 0.0", "d")
                a = [f"({value} if {onehot[j]} else 0.0)" for j in range(classes)]
            a = [code.let(f"{a[j]} * {_clip_scale(q[j], lo, hi)}", "d") for j in range(classes)]
            weighted = code.sum([code.let(f"{a[j]} * {q[j]}", "d") for j in range(classes)], "d")
            for j in range(classes):
                g_out[i, j] = code.let(f"{code.let(f'{a[j]} - {weighted}', 'd')} / {total}", "go")
    return [g_t, g_out]
