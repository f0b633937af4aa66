"""Scalar emitters for recorded ops: each op's forward and gradient as Python lines on floats.

One table, `EMITTERS`, keyed by the op that recorded a node (its module and name, read
from the node's gradient function, as `Trace` names ops). An entry is
`(forward, backward)`:

- `forward(code, node, args)` gets one object array of expressions per input of the
  node (see `scalar_code.Code`) and returns the output's array;
- `backward(code, node, args, out, g, wanted)` gets the output's gradient `g` and
  returns one gradient array (or None) per input; `wanted[i]` says whether input `i`
  needs one (a `Constant` batch never does).

The arithmetic is that of the op's numpy code (`nanokeras/ops/...`), in the same order,
with float32 rounding where numpy rounds; the op's hyper-parameters (an axis, an
activation) are read from its recorded closures. An op not in the table, or recorded
with arguments an emitter does not handle, raises `Unsupported` with the reason, and the
model keeps the compiled step.
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.ops import crossentropy_kernels as kernels
from nanokeras.ops import fused
from nanokeras.ops.tensor import value_of
from nanokeras.trainers.scalar_code import grid, literal


class Unsupported(Exception):
    """A recorded computation the scalar code does not cover (the message says what)."""


def closure(function):
    """`{free variable name: value}` of a nested function (the op's recorded arguments)."""
    cells = function.__closure__ or ()
    values = {}
    for name, cell in zip(function.__code__.co_freevars, cells):
        try:
            values[name] = cell.cell_contents
        except ValueError:  # an empty cell
            pass
    return values


def _exp(expr):
    # math.exp raises beyond 709.78 where numpy gives inf
    return f"(exp({expr}) if {expr} < 709.0 else inf)"


def _clip_scale(o, lo, hi):
    """d clip / d o: 1 inside, 0 outside, 1/2 on a bound (JAX's convention, as the op)."""
    return (f"((1.0 if {o} > {lo} else 0.5 if {o} == {lo} else 0.0)"
            f" * (1.0 if {hi} > {o} else 0.5 if {hi} == {o} else 0.0))")


def _bounds():
    lo, hi = kernels.bounds(np.dtype(np.float32))
    return literal(lo), literal(hi)


# ------------------------------------------------------------------ Dense (fused)


def _activation_of(node):
    activate = closure(node.forward).get("activate", None)
    for name, (function, _) in fused._FUSABLE.items():
        if function is activate:
            return name
    raise Unsupported("a fused dense op with an unknown activation")


def dense_forward(code, node, args):
    x, w, b = args
    if x.ndim != 2:
        raise Unsupported(f"a Dense layer on inputs of rank {x.ndim} (the tiny path takes rank 2)")
    activation = _activation_of(node)
    rows, inner = x.shape
    units = w.shape[1]
    z = np.empty((rows, units), dtype=object)
    for i in range(rows):
        for j in range(units):
            products = [code.let(f"{x[i, k]} * {w[k, j]}", "p") for k in range(inner)]
            total = code.sum(products, "z")
            # the layer's output is rounded whatever the policy (it is what the next op reads)
            keep = activation in ("linear", "relu")
            if b is not None:
                total = code.let(f"{total} + {b[j]}", "z", exact=keep)
            elif keep and not code.rounding:
                total = code.let(total, "z", exact=True)
            z[i, j] = total
    if activation == "linear":
        return z
    if activation == "sigmoid":
        return grid(z.shape, lambda ij: code.let(
            "1.0 / " + code.let(code.let(_exp(f"-{z[ij]}"), "e") + " + 1.0", "e"), "a", exact=True))
    if activation == "tanh":
        return grid(z.shape, lambda ij: code.let(f"tanh({z[ij]})", "a", exact=True))
    if activation == "relu":
        return grid(z.shape, lambda ij: code.let(f"{z[ij]} if {z[ij]} > 0.0 else 0.0", "a", rounded=False))
    return softmax_rows(code, z)


def softmax_rows(code, z):
    """numpy's `exp(z - max(z)) / sum(exp(z - max(z)))` along the last axis of a 2-D array."""
    out = np.empty(z.shape, dtype=object)
    for i in range(z.shape[0]):
        row = list(z[i])
        top = row[0]
        for value in row[1:]:
            top = code.let(f"{value} if {value} > {top} else {top}", "m", rounded=False)
        exps = [code.let(f"exp({value} - {top})", "e") for value in row]  # z - max <= 0: no overflow
        total = code.sum(exps, "s")
        for j, e in enumerate(exps):
            out[i, j] = code.let(f"{e} / {total}", "a", exact=True)
    return out


def dense_backward(code, node, args, out, g, wanted):
    x, w, b = args
    activation = _activation_of(node)
    if activation == "linear":
        gz = g
    elif activation == "sigmoid":
        gz = grid(out.shape, lambda ij: code.let(
            f"{code.let(f'{g[ij]} * {out[ij]}', 'd')} * {code.let(f'1.0 - {out[ij]}', 'd')}", "dz"))
    elif activation == "tanh":
        gz = grid(out.shape, lambda ij: code.let(
            f"{g[ij]} * {code.let('1.0 - ' + code.let(f'{out[ij]} * {out[ij]}', 'd'), 'd')}", "dz"))
    elif activation == "relu":
        gz = grid(out.shape, lambda ij: code.let(f"{g[ij]} if {out[ij]} > 0.0 else 0.0", "dz", rounded=False))
    else:  # softmax: out * (g - sum(g * out))
        gz = np.empty(out.shape, dtype=object)
        for i in range(out.shape[0]):
            weighted = code.sum([code.let(f"{g[i, j]} * {out[i, j]}", "d") for j in range(out.shape[1])], "d")
            for j in range(out.shape[1]):
                gz[i, j] = code.let(f"{out[i, j]} * {code.let(f'{g[i, j]} - {weighted}', 'd')}", "dz")
    rows, inner = x.shape
    grad_w = grid(w.shape, lambda kj: code.sum(
        [code.let(f"{x[i, kj[0]]} * {gz[i, kj[1]]}", "p") for i in range(rows)], "gw"))
    grad_b = None if b is None else grid(b.shape, lambda j: code.sum([gz[i, j[0]] for i in range(rows)], "gb"))
    grad_x = None
    if wanted[0]:
        grad_x = grid(x.shape, lambda ik: code.sum(
            [code.let(f"{gz[ik[0], j]} * {w[ik[1], j]}", "p") for j in range(w.shape[1])], "gx"))
    return [grad_x, grad_w, grad_b]


# ------------------------------------------------------------ cross-entropy (fused)


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
                e = code.let(_exp(f"-abs({o[ij]})"), "e")
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


# --------------------------------------------------------- elementwise and reductions


def _broadcast_index(in_shape, out_shape):
    """For each output index, the index of the input element broadcasting used."""
    positions = np.arange(int(np.prod(in_shape)) or 1).reshape(in_shape)
    return np.broadcast_to(positions, out_shape)


def _operand(array):
    return array


def _binary(symbol):
    def forward(code, node, args):
        a, b = args
        shape = np.broadcast_shapes(a.shape, b.shape)
        a2, b2 = np.broadcast_to(a, shape), np.broadcast_to(b, shape)
        return grid(shape, lambda i: code.let(f"{a2[i]} {symbol} {b2[i]}", "v"))

    return forward


def _unbroadcast(code, g, shape):
    """Sums the gradient `g` back to an input of `shape` (left to right, rounded)."""
    if g.shape == shape:
        return g
    index = _broadcast_index(shape, g.shape)
    terms = {}
    for i in np.ndindex(*g.shape):
        terms.setdefault(int(index[i]), []).append(g[i])
    flat = [code.sum(terms.get(k, ["0.0"]), "u") for k in range(int(np.prod(shape)) or 1)]
    return np.array(flat, dtype=object).reshape(shape)


def _add_backward(code, node, args, out, g, wanted):
    return [_unbroadcast(code, g, a.shape) if want else None for a, want in zip(args, wanted)]


def _subtract_backward(code, node, args, out, g, wanted):
    a, b = args
    ga = _unbroadcast(code, g, a.shape) if wanted[0] else None
    gb = None
    if wanted[1]:
        gb = _unbroadcast(code, grid(g.shape, lambda i: code.let(f"-{g[i]}", "v", rounded=False)), b.shape)
    return [ga, gb]


def _multiply_backward(code, node, args, out, g, wanted):
    a, b = args
    grads = []
    for mine, other, want in ((a, b, wanted[0]), (b, a, wanted[1])):
        if not want:
            grads.append(None)
            continue
        other2 = np.broadcast_to(other, g.shape)
        grads.append(_unbroadcast(code, grid(g.shape, lambda i: code.let(f"{g[i]} * {other2[i]}", "v")), mine.shape))
    return grads


def _divide_backward(code, node, args, out, g, wanted):
    a, b = args
    b2 = np.broadcast_to(b, g.shape)
    g_over_b = grid(g.shape, lambda i: code.let(f"{g[i]} / {b2[i]}", "v"))
    ga = _unbroadcast(code, g_over_b, a.shape) if wanted[0] else None
    gb = None
    if wanted[1]:
        gb = _unbroadcast(code, grid(g.shape, lambda i: code.let(f"-({g_over_b[i]} * {out[i]})", "v")), b.shape)
    return [ga, gb]


def _unary(template, rounded=True):
    def forward(code, node, args):
        (a,) = args
        return grid(a.shape, lambda i: code.let(template.format(a[i]), "v", rounded=rounded))

    return forward


def _negative_backward(code, node, args, out, g, wanted):
    return [grid(g.shape, lambda i: code.let(f"-{g[i]}", "v", rounded=False))]


def _square_backward(code, node, args, out, g, wanted):
    (a,) = args
    return [grid(g.shape, lambda i: code.let(f"{g[i]} * {code.let(f'{a[i]} * 2.0', 'v')}", "v"))]


def _abs_backward(code, node, args, out, g, wanted):
    (a,) = args
    return [grid(g.shape, lambda i: code.let(f"{g[i]} if {a[i]} >= 0.0 else -{g[i]}", "v", rounded=False))]


def _axes(node, ndim):
    cells = closure(node.vjp)
    axis = cells.get("axis")
    keepdims = bool(cells.get("keepdims", False))
    if axis is None:
        return tuple(range(ndim)), keepdims
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(sorted(a % ndim for a in axes)), keepdims


def _reduction(mean):
    def forward(code, node, args):
        (a,) = args
        axes, keepdims = _axes(node, a.ndim)
        kept = tuple(1 if d in axes else n for d, n in enumerate(a.shape))
        count = int(np.prod([a.shape[d] for d in axes]))
        groups = {}
        for i in np.ndindex(*a.shape):
            key = tuple(0 if d in axes else i[d] for d in range(a.ndim))
            groups.setdefault(key, []).append(a[i])
        out = np.empty(kept, dtype=object)
        for key, terms in groups.items():
            total = code.sum(terms, "r")
            out[key] = code.let(f"{total} / {literal(count)}", "r") if mean else total
        if not keepdims:
            out = out.reshape(tuple(n for d, n in enumerate(a.shape) if d not in axes))
        return out

    return forward


def _reduction_backward(mean):
    def backward(code, node, args, out, g, wanted):
        (a,) = args
        axes, _ = _axes(node, a.ndim)
        count = int(np.prod([a.shape[d] for d in axes]))
        kept = tuple(1 if d in axes else n for d, n in enumerate(a.shape))
        g = g.reshape(kept)
        if mean:
            g = grid(kept, lambda i: code.let(f"{g[i]} / {literal(count)}", "v"))
        return [np.broadcast_to(g, a.shape).copy()]

    return backward


def _mean_of_all_forward(code, node, args):
    (a,) = args
    total = code.sum(list(a.reshape(-1)), "r")
    return np.array(code.let(f"{total} / {literal(a.size)}", "loss", exact=True), dtype=object)


def _mean_of_all_backward(code, node, args, out, g, wanted):
    (a,) = args
    share = code.let(f"{g[()]} / {literal(a.size)}", "v")
    return [grid(a.shape, lambda _: share)]


def _reshape_forward(code, node, args):
    return args[0].reshape(node.value.shape)


def _reshape_backward(code, node, args, out, g, wanted):
    return [g.reshape(args[0].shape)]


def _astype_forward(code, node, args):
    (a,) = args
    source = np.asarray(value_of(node.inputs[0])).dtype
    if source.kind not in "iubf":
        raise Unsupported(f"a cast from {source}")
    # an integer label becomes a float; a float64 value is rounded to float32
    return grid(a.shape, lambda i: code.let(f"float({a[i]})", "c", exact=True))


def _astype_backward(code, node, args, out, g, wanted):
    source = np.asarray(value_of(node.inputs[0])).dtype
    return [g if source.kind == "f" else None]


EMITTERS = {
    ("nanokeras.ops.numpy", "_astype"): (_astype_forward, _astype_backward),
    ("nanokeras.ops.fused", "dense"): (dense_forward, dense_backward),
    ("nanokeras.ops.crossentropy", "_fused"): (crossentropy_forward, crossentropy_backward),
    ("nanokeras.ops.numpy", "add"): (_binary("+"), _add_backward),
    ("nanokeras.ops.numpy", "subtract"): (_binary("-"), _subtract_backward),
    ("nanokeras.ops.numpy", "multiply"): (_binary("*"), _multiply_backward),
    ("nanokeras.ops.numpy", "divide"): (_binary("/"), _divide_backward),
    ("nanokeras.ops.numpy", "negative"): (_unary("-{}", rounded=False), _negative_backward),
    ("nanokeras.ops.numpy", "square"): (_unary("{0} * {0}"), _square_backward),
    ("nanokeras.ops.numpy", "abs"): (_unary("abs({})", rounded=False), _abs_backward),
    ("nanokeras.ops.numpy", "sum"): (_reduction(False), _reduction_backward(False)),
    ("nanokeras.ops.numpy", "mean"): (_reduction(True), _reduction_backward(True)),
    ("nanokeras.ops.numpy", "reshape"): (_reshape_forward, _reshape_backward),
    ("nanokeras.losses.loss", "_mean_of_all"): (_mean_of_all_forward, _mean_of_all_backward),
}


def emitter_for(node):
    """The (forward, backward) emitters of the op that recorded `node`, or raises `Unsupported`."""
    vjp = node.vjp
    qualname = getattr(vjp, "__qualname__", "") or "?"
    key = (getattr(vjp, "__module__", ""), qualname.split(".<locals>")[0])
    found = EMITTERS.get(key)
    if found is None:
        raise Unsupported(f"the op `{key[1]}` has no scalar emitter")
    if value_of(node).dtype != np.float32 or config.floatx() != "float32":
        raise Unsupported(f"the op `{key[1]}` computes in {value_of(node).dtype} (the tiny path emulates float32)")
    return found
