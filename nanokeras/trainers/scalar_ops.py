"""Scalar emitters for recorded ops: each op's forward and gradient as Python lines on floats.

One table, `EMITTERS`, keyed by the op that recorded a node (its module and name, read
from the node's gradient function, as `Trace` names ops). An entry is
`(forward, backward)` (the cross-entropy ops' are in `scalar_crossentropy.py`):

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
from nanokeras.ops import fused
from nanokeras.ops.tensor import value_of
from nanokeras.trainers.scalar_code import Unsupported, closure, exp_expression, grid, literal
from nanokeras.trainers.scalar_crossentropy import crossentropy_backward, crossentropy_forward


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
            "1.0 / " + code.let(code.let(exp_expression(f"-{z[ij]}"), "e") + " + 1.0", "e"), "a", exact=True))
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


# --------------------------------------------------------- elementwise and reductions


def _broadcast_index(in_shape, out_shape):
    """For each output index, the index of the input element broadcasting used."""
    positions = np.arange(int(np.prod(in_shape)) or 1).reshape(in_shape)
    return np.broadcast_to(positions, out_shape)


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
