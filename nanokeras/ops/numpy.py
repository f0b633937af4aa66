"""Array ops with numpy's names and Keras 3 semantics, each differentiable.

Every op follows one pattern: compute the numpy result; if a tape is recording,
`record` it with a `vjp` that maps the result's gradient `g` to the inputs'
gradients. The vjps are written with these same ops, so a backward pass run
inside an outer tape is itself recorded (that is how second derivatives work).
Where a vjp needs the op's own output and no outer tape records, it reuses the
numpy result instead of recomputing it.

Each recorded op also gets a `forward`: the same numpy calls again, writing into
the recorded array, so a compiled training step can replay it on the next batch
(see `nanokeras/ops/trace.py`). Ops without a gradient (comparisons, indices,
casts to int) are recorded too when an input is tracked, so that replays
recompute them.

Gradients at kinks follow JAX (the backend real Keras uses): ties in
`maximum`/`minimum`/`max`/`clip` share the gradient equally, `abs'(0) = 1`,
`sign`/`round`/`floor`/`ceil` have zero gradient.
"""

import builtins
import math

import numpy as np

from nanokeras.backend import config, dtypes
from nanokeras.ops.promotion import keras_operands
from nanokeras.ops.gradient_utils import (
    TensorOperators,
    _recording_tapes,
    as_recordable,
    broadcast_error,
    copy_forward,
    is_tracked,
    kept_shape,
    normalize_axes,
    nothing_to_replay,
    operand,
    record,
    record_no_gradient,
    to_array,
    unbroadcast,
    value_of,
    view_forward,
)

__all__ = [
    # arithmetic
    "add", "subtract", "multiply", "divide", "true_divide", "negative", "power", "mod",
    "floor_divide", "maximum", "minimum", "clip", "where", "matmul", "dot", "tensordot",
    "einsum", "outer",
    # elementwise
    "exp", "exp2", "log", "log2", "log10", "log1p", "expm1", "sqrt", "square", "abs",
    "absolute", "sign", "reciprocal", "tanh", "sin", "cos", "tan", "arctan", "sinh", "cosh",
    "round", "floor", "ceil", "trunc",
    # reductions
    "sum", "mean", "max", "min", "amax", "amin", "prod", "var", "std", "cumsum", "all",
    "any", "count_nonzero", "argmax", "argmin", "argsort", "sort",
    # shapes and indexing
    "reshape", "transpose", "expand_dims", "squeeze", "concatenate", "stack", "split",
    "take", "take_along_axis", "tile", "repeat", "pad", "broadcast_to", "flip",
    "moveaxis", "swapaxes", "ravel", "tril", "triu", "getitem", "size", "ndim",
    # comparisons and logic (no gradient)
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "logical_and", "logical_or", "logical_not", "logical_xor", "isnan", "isinf", "isfinite",
    # creation
    "zeros", "ones", "zeros_like", "ones_like", "full", "full_like", "arange", "eye",
    "identity", "linspace",
]

_ndarray = np.ndarray
# Python floats, not numpy float64 scalars: numpy 2 would upcast float32 results.
_LN2, _LN10 = math.log(2.0), math.log(10.0)
_np_add, _np_subtract, _np_multiply, _np_divide = np.add, np.subtract, np.multiply, np.true_divide


def _shape(x):
    return np.shape(value_of(x))


_recordable = as_recordable


def _binary_forward(np_fn, x1, x2, out):
    """The replay of an elementwise binary op: the same ufunc (after the same casts), written into `out`."""
    a, b = operand(x1), operand(x2)
    cast_a, cast_b = keras_operands(a, b, np_fn)
    if cast_a is a and cast_b is b:
        return lambda: np_fn(a, b, out=out)
    return lambda: np_fn(*keras_operands(a, b, np_fn), out=out)  # cast again: the values change


def _current(x1, x2, np_fn):
    """The operands' values now (a replay may have written new ones), cast as the op casts them."""
    return keras_operands(operand(x1), operand(x2), np_fn)


def _binary(np_fn, name, x1, x2, promote=True):
    """numpy's result for a broadcasting binary op (on operands cast to Keras's result type unless
    `promote=False`), with a readable shape error."""
    a = x1 if type(x1) is _ndarray else operand(x1)
    b = x2 if type(x2) is _ndarray else operand(x2)
    if promote:
        a, b = keras_operands(a, b, np_fn)
    try:
        return a, b, np_fn(a, b)
    except ValueError as error:
        try:
            np.broadcast_shapes(np.shape(a), np.shape(b))
        except ValueError:
            raise broadcast_error(name, a, b) from None
        # Shapes that broadcast: numpy refused the values for their dtype (integers to negative
        # powers); Keras on JAX raises a TypeError there.
        raise TypeError(
            f"`{name}` cannot compute with inputs of types {getattr(a, 'dtype', type(a).__name__)} and "
            f"{getattr(b, 'dtype', type(b).__name__)}: {error} Cast the inputs to a float dtype first."
        ) from None


def _astype(x, dtype):
    """`x` converted to `dtype` (as `ndarray.astype`); recorded when `x` is tracked.

    The gradient flows back (converted to the source dtype) only between float
    types. Behind `ops.cast`.
    """
    a = x if type(x) is _ndarray else to_array(x)
    dtype = np.dtype(dtype)
    if a.dtype == dtype:
        return x if _recording_tapes and isinstance(x, TensorOperators) else a
    out = a.astype(dtype)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    source = a.dtype
    if dtype.kind in "fc" and source.kind in "fc":
        vjp = lambda g: (_astype(g, source),)  # noqa: E731
    else:
        vjp = lambda g: (None,)  # noqa: E731  (no gradient through ints or bools)
    return record(out, (x,), vjp, lambda: np.copyto(out, a, casting="unsafe"))


# ---------------------------------------------------------------- arithmetic


def add(x1, x2):
    """Elementwise `x1 + x2`, with broadcasting.

    Example:
        >>> add(np.ones(2, "float32"), 1.0)
        array([2., 2.], dtype=float32)
    """
    a = x1 if type(x1) is _ndarray else operand(x1)
    b = x2 if type(x2) is _ndarray else operand(x2)
    a, b = keras_operands(a, b, _np_add)
    try:
        out = _np_add(a, b)
    except ValueError:
        raise broadcast_error("add", a, b) from None
    if not _recording_tapes:
        return out
    out = _recordable(out)
    s1, s2 = np.shape(a), np.shape(b)
    return record(out, (x1, x2), lambda g: (unbroadcast(g, s1), unbroadcast(g, s2)),
                  _binary_forward(_np_add, x1, x2, out))


def subtract(x1, x2):
    """Elementwise `x1 - x2`, with broadcasting."""
    a = x1 if type(x1) is _ndarray else operand(x1)
    b = x2 if type(x2) is _ndarray else operand(x2)
    a, b = keras_operands(a, b, _np_subtract)
    try:
        out = _np_subtract(a, b)
    except ValueError:
        raise broadcast_error("subtract", a, b) from None
    if not _recording_tapes:
        return out
    out = _recordable(out)
    s1, s2 = np.shape(a), np.shape(b)
    return record(out, (x1, x2), lambda g: (unbroadcast(g, s1), unbroadcast(negative(g), s2)),
                  _binary_forward(_np_subtract, x1, x2, out))


def multiply(x1, x2):
    """Elementwise `x1 * x2`, with broadcasting."""
    a = x1 if type(x1) is _ndarray else operand(x1)
    b = x2 if type(x2) is _ndarray else operand(x2)
    a, b = keras_operands(a, b, _np_multiply)
    try:
        out = _np_multiply(a, b)
    except ValueError:
        raise broadcast_error("multiply", a, b) from None
    if not _recording_tapes:
        return out
    out = _recordable(out)
    s1, s2 = np.shape(a), np.shape(b)
    return record(
        out,
        (x1, x2),
        lambda g: (unbroadcast(multiply(g, x2), s1), unbroadcast(multiply(g, x1), s2)),
        _binary_forward(_np_multiply, x1, x2, out),
    )


def divide(x1, x2):
    """Elementwise `x1 / x2`, with broadcasting."""
    a = x1 if type(x1) is _ndarray else operand(x1)
    b = x2 if type(x2) is _ndarray else operand(x2)
    a, b = keras_operands(a, b, _np_divide)
    try:
        out = _np_divide(a, b)
    except ValueError:
        raise broadcast_error("divide", a, b) from None
    if not _recording_tapes:
        return out
    out = _recordable(out)
    s1, s2 = np.shape(a), np.shape(b)

    def vjp(g):
        g_over_x2 = divide(g, x2)
        quotient = out if not _recording_tapes else divide(x1, x2)
        # d(x1/x2)/dx2 = -x1/x2^2 = -(x1/x2)/x2
        return unbroadcast(g_over_x2, s1), unbroadcast(negative(multiply(g_over_x2, quotient)), s2)

    return record(out, (x1, x2), vjp, _binary_forward(_np_divide, x1, x2, out))


true_divide = divide


def negative(x):
    """Elementwise `-x`."""
    a = x if type(x) is _ndarray else to_array(x)
    out = np.negative(a)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return record(out, (x,), lambda g: (negative(g),), lambda: np.negative(a, out=out))


def power(x1, x2):
    """Elementwise `x1 ** x2`; the gradient for `x2` uses `log(x1)` where `x1 > 0`."""
    a, b, out = _binary(np.power, "power", x1, x2)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    s1, s2 = np.shape(a), np.shape(b)
    x2_tracked = is_tracked(x2)  # read now: a watched array is unwatched when its tape closes

    def vjp(g):
        # A Python exponent stays a Python number: a numpy scalar would upcast float32.
        x2_minus_1 = x2 - 1 if isinstance(x2, (int, float)) else subtract(x2, 1)
        g1 = unbroadcast(multiply(g, multiply(x2, power(x1, x2_minus_1))), s1)
        g2 = None
        if x2_tracked:
            positive = np.asarray(value_of(x1)) > 0
            g2 = where(positive, multiply(power(x1, x2), log(where(positive, x1, 1))), 0)
            g2 = unbroadcast(multiply(g, g2), s2)
        return g1, g2

    return record(out, (x1, x2), vjp, _binary_forward(np.power, x1, x2, out))


def mod(x1, x2):
    """Elementwise remainder `x1 % x2` (the sign of `x2`, like numpy)."""
    a, b, out = _binary(np.mod, "mod", x1, x2)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    s1, s2 = np.shape(a), np.shape(b)

    def vjp(g):
        quotient = np.floor_divide(*_current(x1, x2, np.mod))
        return unbroadcast(g, s1), unbroadcast(negative(multiply(g, quotient)), s2)

    return record(out, (x1, x2), vjp, _binary_forward(np.mod, x1, x2, out))


def floor_divide(x1, x2):
    """Elementwise `x1 // x2` (piecewise constant: zero gradient)."""
    a, b, out = _binary(np.floor_divide, "floor_divide", x1, x2)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return record(out, (x1, x2), lambda g: (zeros_like(a), zeros_like(b)),
                  _binary_forward(np.floor_divide, x1, x2, out))


def _tie_weights(a, b, dtype):
    """d max(a, b)/da: 1 where a > b, 0.5 on ties (as JAX), else 0."""
    dtype = dtype if dtype.kind == "f" else np.dtype(config.floatx())
    wa = (a > b).astype(dtype)
    wa += np.asarray(0.5, dtype) * (a == b)
    return wa, np.asarray(1, dtype) - wa


def maximum(x1, x2):
    """Elementwise larger of `x1` and `x2`; ties split the gradient in half (as JAX)."""
    a, b, out = _binary(np.maximum, "maximum", x1, x2)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    s1, s2 = np.shape(a), np.shape(b)

    def vjp(g):
        a, b = _current(x1, x2, np.maximum)
        wa, wb = _tie_weights(np.asarray(a), np.asarray(b), out.dtype)
        return unbroadcast(multiply(g, wa), s1), unbroadcast(multiply(g, wb), s2)

    return record(out, (x1, x2), vjp, _binary_forward(np.maximum, x1, x2, out))


def minimum(x1, x2):
    """Elementwise smaller of `x1` and `x2`; ties split the gradient in half (as JAX)."""
    a, b, out = _binary(np.minimum, "minimum", x1, x2)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    s1, s2 = np.shape(a), np.shape(b)

    def vjp(g):
        a, b = _current(x1, x2, np.minimum)
        wa, wb = _tie_weights(np.asarray(b), np.asarray(a), out.dtype)  # a gets the weight b would get in max
        return unbroadcast(multiply(g, wa), s1), unbroadcast(multiply(g, wb), s2)

    return record(out, (x1, x2), vjp, _binary_forward(np.minimum, x1, x2, out))


def clip(x, x_min, x_max):
    """Limits `x` to `[x_min, x_max]`.

    As in JAX this is `minimum(maximum(x, x_min), x_max)`, so a value exactly on
    a bound gets half the gradient.

    Example:
        >>> clip(np.array([-2.0, 0.5, 3.0]), 0.0, 1.0)
        array([0. , 0.5, 1. ])
    """
    a = to_array(x)
    if a.dtype == np.bool_:
        if not _recording_tapes:
            a = a.astype(np.int32)
        else:
            x = _astype(x, np.int32)
    if not _recording_tapes:
        low, high = value_of(x_min), value_of(x_max)
        # numpy would widen an int array clipped by Python floats to float64; Keras gives floatx.
        a, low = keras_operands(a, low, np.minimum)
        a, high = keras_operands(a, high, np.minimum)
        return np.clip(a, low, high)
    return minimum(maximum(x, x_min), x_max)


def where(condition, x1=None, x2=None):
    """`x1` where `condition` is true, else `x2`; with one argument, the indices of true entries."""
    c = to_array(condition)
    if x1 is None and x2 is None:
        return tuple(i.astype(np.int32) for i in np.nonzero(c))  # int32 indices, as Keras's `nonzero`
    if x1 is None or x2 is None:
        raise ValueError("`where` needs both `x1` and `x2`, or neither of them.")
    raw_a, raw_b = operand(x1), operand(x2)
    a, b = keras_operands(raw_a, raw_b, np.add)
    try:
        out = np.where(c, a, b)
    except ValueError:
        raise ValueError(
            f"`where` got shapes condition={c.shape}, x1={np.shape(a)}, x2={np.shape(b)} that "
            "do not broadcast together."
        ) from None
    if out.dtype == np.float64 and not builtins.any(
        isinstance(v, (_ndarray, np.generic)) and v.dtype == np.float64 for v in (a, b)
    ):
        out = out.astype(config.floatx())  # Python floats must not upcast the result
    if not _recording_tapes:
        return out
    out = _recordable(out)
    s1, s2 = np.shape(a), np.shape(b)

    def vjp(g):
        chosen = c.astype(bool)  # read now: a replay may have written a new condition into `c`
        return unbroadcast(where(chosen, g, 0.0), s1), unbroadcast(where(chosen, 0.0, g), s2), None

    # The condition is an input too: a tracked condition (a comparison of recorded values,
    # a mask in the data) makes the result change on replay even when x1 and x2 do not.
    return record(out, (x1, x2, condition), vjp,
                  copy_forward(out, lambda: np.where(c, *keras_operands(raw_a, raw_b, np.add))))


def matmul(x1, x2):
    """Matrix product `x1 @ x2` (batched over leading axes, like numpy)."""
    a = x1 if type(x1) is _ndarray else to_array(x1)
    b = x2 if type(x2) is _ndarray else to_array(x2)
    promoted = keras_operands(a, b, np.matmul)
    if promoted[0] is not a or promoted[1] is not b:  # mixed int and float: Keras's dtype
        return matmul(*(_astype(x, p.dtype) if p is not v else x for x, p, v in zip((x1, x2), promoted, (a, b))))
    try:
        out = np.matmul(a, b)
    except ValueError:
        raise ValueError(
            f"`matmul` got inputs of shapes {a.shape} and {b.shape}: the last axis of the "
            "first input must equal the second-to-last axis of the second (or its only "
            "axis when it is 1-D), and leading axes must broadcast."
        ) from None
    if not _recording_tapes:
        return out
    sa, sb = a.shape, b.shape

    def vjp(g):
        if len(sa) == 1 and len(sb) == 1:
            return multiply(g, x2), multiply(g, x1)
        if len(sa) == 1:  # (k,) @ (..., k, n) -> (..., n)
            ga = squeeze(matmul(expand_dims(g, -2), swapaxes(x2, -1, -2)), -2)
            gb = multiply(expand_dims(x1, -1), expand_dims(g, -2))
            return unbroadcast(ga, sa), unbroadcast(gb, sb)
        if len(sb) == 1:  # (..., m, k) @ (k,) -> (..., m)
            ga = multiply(expand_dims(g, -1), x2)
            gb = squeeze(matmul(expand_dims(g, -2), x1), -2)
            return unbroadcast(ga, sa), unbroadcast(gb, sb)
        ga = matmul(g, swapaxes(x2, -1, -2))
        gb = matmul(swapaxes(x1, -1, -2), g)
        return unbroadcast(ga, sa), unbroadcast(gb, sb)

    out = _recordable(out)
    return record(out, (x1, x2), vjp, lambda: np.matmul(a, b, out=out))


def tensordot(x1, x2, axes=2):
    """Sum of products over `axes` (an int, or a pair of axis lists), like `np.tensordot`."""
    a, b = to_array(x1), to_array(x2)
    promoted = keras_operands(a, b, np.multiply)
    if promoted[0] is not a or promoted[1] is not b:  # mixed int and float: Keras's dtype
        return tensordot(*(_astype(x, p.dtype) if p is not v else x for x, p, v in zip((x1, x2), promoted, (a, b))),
                         axes=axes)
    if isinstance(axes, (int, np.integer)):
        axes_a = list(range(a.ndim - axes, a.ndim))
        axes_b = list(range(axes))
    else:
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, (int, np.integer)) else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, (int, np.integer)) else list(axes_b)
    contracted = (axes_a, axes_b)
    try:
        out = np.tensordot(a, b, axes=contracted)
    except (ValueError, IndexError):
        raise ValueError(
            f"`tensordot` cannot contract axes {axes_a} of shape {a.shape} with axes "
            f"{axes_b} of shape {b.shape}: the contracted sizes must match."
        ) from None
    if not _recording_tapes:
        return out
    axes_a = [i % a.ndim for i in axes_a]
    axes_b = [i % b.ndim for i in axes_b]
    free_a = [i for i in range(a.ndim) if i not in axes_a]
    free_b = [i for i in range(b.ndim) if i not in axes_b]

    def vjp(g):
        nfa = len(free_a)
        g_axes = list(range(nfa, nfa + len(free_b)))
        ga = tensordot(g, x2, axes=(g_axes, free_b))
        # ga's axes: free_a, then a's contracted axes in the order b holds them.
        order = free_a + [axes_a[axes_b.index(j)] for j in sorted(axes_b)]
        ga = transpose(ga, tuple(np.argsort(order)))
        gb = tensordot(x1, g, axes=(free_a, list(range(nfa))))
        order = [axes_b[axes_a.index(i)] for i in sorted(axes_a)] + free_b
        gb = transpose(gb, tuple(np.argsort(order)))
        return ga, gb

    out = _recordable(out)
    return record(out, (x1, x2), vjp, copy_forward(out, lambda: np.tensordot(a, b, axes=contracted)))


def dot(x1, x2):
    """`np.dot`: products of scalars, vectors, matrices, or a sum over the last/second-last axes."""
    a, b = to_array(x1), to_array(x2)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(x1, x2)
    if b.ndim == 1:
        return tensordot(x1, x2, axes=([-1], [0]))
    return tensordot(x1, x2, axes=([-1], [-2]))


def outer(x1, x2):
    """Outer product of the flattened inputs."""
    return multiply(expand_dims(ravel(x1), 1), expand_dims(ravel(x2), 0))


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _explicit_einsum(subscripts, shapes):
    """Input/output subscripts with `...` spelled out and the implicit output made explicit."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        lhs, rhs = subscripts.split("->")
    else:
        lhs, rhs = subscripts, None
    ins = lhs.split(",")
    used = set(subscripts) - set(".,->")
    spare = [c for c in _LETTERS if c not in used]
    ell_rank = builtins.max(
        [len(shape) - len(s.replace("...", "")) for s, shape in zip(ins, shapes) if "..." in s] or [0]
    )
    ell = "".join(spare[:ell_rank])
    new_ins = []
    for s, shape in zip(ins, shapes):
        if "..." in s:
            n = len(shape) - len(s.replace("...", ""))
            s = s.replace("...", ell[ell_rank - n:] if n else "")
        new_ins.append(s)
    if rhs is None:
        counts = {}
        for s in new_ins:
            for c in s:
                counts[c] = counts.get(c, 0) + 1
        rhs = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    else:
        rhs = rhs.replace("...", ell)
    return new_ins, rhs


def _einsum_operands(arrays):
    """The operands cast to Keras's result type (numpy would widen `int32` with `float16` to
    float64); int8 operands alone sum into int32, as Keras's einsum does."""
    names = {x.dtype.name for x in arrays}
    if len(names) == 1:
        return [x.astype(np.int32) for x in arrays] if names == {"int8"} else arrays
    target = np.dtype(dtypes.result_type(*names))
    return [x if x.dtype == target else x.astype(target) for x in arrays]


def einsum(subscripts, *operands):
    """Einstein summation, like `np.einsum` (e.g. `einsum("ij,jk->ik", a, b)`)."""
    arrays = _einsum_operands([to_array(x) for x in operands])
    try:
        out = np.einsum(subscripts, *arrays)
    except ValueError as e:
        shapes = ", ".join(str(x.shape) for x in arrays)
        raise ValueError(f"`einsum` cannot apply {subscripts!r} to shapes {shapes}: {e}") from None
    if not _recording_tapes:
        return out
    ins, rhs = _explicit_einsum(subscripts, [x.shape for x in arrays])
    for s in ins:
        if len(set(s)) != len(s):
            raise ValueError(
                f"`einsum` gradients do not support repeated indices within one operand "
                f"(got {subscripts!r}); take the diagonal with `ops.take` first."
            )
    sizes = {}
    for s, x in zip(ins, arrays):
        for c, n in zip(s, x.shape):
            sizes[c] = builtins.max(sizes.get(c, 1), n)

    def vjp(g):
        grads = []
        for i, s in enumerate(ins):
            others = [ins[j] for j in range(len(ins)) if j != i]
            present = set(rhs).union(*others) if others else set(rhs)
            target = "".join(c for c in s if c in present)
            spec = ",".join([rhs] + others) + "->" + target
            gi = einsum(spec, g, *[operands[j] for j in range(len(ins)) if j != i])
            if target != s:  # letters summed away in the forward pass: broadcast back
                gi = reshape(gi, [sizes[c] if c in present else 1 for c in s])
                gi = broadcast_to(gi, tuple(sizes[c] for c in s))
            grads.append(unbroadcast(gi, arrays[i].shape))
        return tuple(grads)

    out = _recordable(out)
    return record(out, tuple(operands), vjp, copy_forward(out, lambda: np.einsum(subscripts, *arrays)))


# ---------------------------------------------------------------- elementwise


def _unary(x, np_fn):
    a = x if type(x) is _ndarray else to_array(x)
    if a.dtype.kind in "iub":
        a = a.astype(config.floatx())  # Keras gives floats for exp(int) and friends
    return np_fn(a)


def _unary_forward(np_fn, x, out):
    """The replay of `_unary(x, np_fn)`, written into `out`."""
    a = x if type(x) is _ndarray else to_array(x)
    if a.dtype.kind in "iub":
        dtype = config.floatx()
        return lambda: np_fn(a.astype(dtype), out=out)
    return lambda: np_fn(a, out=out)


def _record_unary(np_fn, x, out, vjp):
    """Records the elementwise `np_fn(x)` (`out`, already an ndarray) with its replay."""
    return record(out, (x,), vjp, _unary_forward(np_fn, x, out))


def exp(x):
    """Elementwise `e ** x`."""
    out = _unary(x, np.exp)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.exp, x, out, lambda g: (multiply(g, out if not _recording_tapes else exp(x)),))


def exp2(x):
    """Elementwise `2 ** x`."""
    out = _unary(x, np.exp2)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.exp2, x, out, lambda g: (multiply(g, multiply(exp2(x), _LN2)),))


def log(x):
    """Elementwise natural logarithm."""
    out = _unary(x, np.log)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.log, x, out, lambda g: (divide(g, x),))


def log2(x):
    """Elementwise base-2 logarithm."""
    out = _unary(x, np.log2)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.log2, x, out, lambda g: (divide(g, multiply(x, _LN2)),))


def log10(x):
    """Elementwise base-10 logarithm."""
    out = _unary(x, np.log10)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.log10, x, out, lambda g: (divide(g, multiply(x, _LN10)),))


def log1p(x):
    """Elementwise `log(1 + x)`, accurate for small `x`."""
    out = _unary(x, np.log1p)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.log1p, x, out, lambda g: (divide(g, add(x, 1.0)),))


def expm1(x):
    """Elementwise `exp(x) - 1`, accurate for small `x`."""
    out = _unary(x, np.expm1)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.expm1, x, out, lambda g: (multiply(g, out + 1.0 if not _recording_tapes else exp(x)),))


def sqrt(x):
    """Elementwise square root."""
    out = _unary(x, np.sqrt)
    if not _recording_tapes:
        return out
    out = _recordable(out)

    def vjp(g):
        root = out if not _recording_tapes else sqrt(x)
        with np.errstate(divide="ignore"):  # sqrt'(0) is inf, as in JAX
            return (divide(g, multiply(root, 2.0)),)

    return _record_unary(np.sqrt, x, out, vjp)


def square(x):
    """Elementwise `x * x` (bools give int32, as Keras)."""
    a = x if type(x) is _ndarray else to_array(x)
    if a.dtype == np.bool_:
        a = a.astype(np.int32)
    out = np.square(a)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return record(out, (x,), lambda g: (multiply(g, multiply(x, 2.0)),), lambda: np.square(a, out=out))


def abs(x):
    """Elementwise absolute value. Its gradient is 1 at 0, as in JAX."""
    a = x if type(x) is _ndarray else to_array(x)
    out = np.abs(a)
    if not _recording_tapes:
        return out
    out = _recordable(out)

    def vjp(g):
        slope = np.where(a >= 0, 1.0, -1.0).astype(a.dtype if a.dtype.kind == "f" else config.floatx())
        return (multiply(g, slope),)

    return record(out, (x,), vjp, lambda: np.abs(a, out=out))


absolute = abs


def _piecewise_constant(np_fn, x, *args, ints_to_float=False):
    a = x if type(x) is _ndarray else to_array(x)
    if ints_to_float and a.dtype.kind in "iub":
        a = a.astype(config.floatx())  # Keras: floor/ceil of ints and bools are floatx
    out = np_fn(a, *args)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return record(out, (x,), lambda g: (zeros_like(g),), copy_forward(out, lambda: np_fn(a, *args)))


def sign(x):
    """Elementwise -1, 0 or 1 (zero gradient)."""
    return _piecewise_constant(np.sign, x)


def round(x, decimals=0):
    """Rounds half to even, like numpy and Keras (zero gradient)."""
    return _piecewise_constant(np.round, x, decimals)


def floor(x):
    """Elementwise floor (zero gradient); ints and bools give `floatx()`, as Keras."""
    return _piecewise_constant(np.floor, x, ints_to_float=True)


def ceil(x):
    """Elementwise ceiling (zero gradient); ints and bools give `floatx()`, as Keras."""
    return _piecewise_constant(np.ceil, x, ints_to_float=True)


def trunc(x):
    """Rounds towards zero (zero gradient)."""
    return _piecewise_constant(np.trunc, x)


def reciprocal(x):
    """Elementwise `1 / x`."""
    out = _unary(x, np.reciprocal)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.reciprocal, x, out, lambda g: (negative(divide(g, square(x))),))


def tanh(x):
    """Elementwise hyperbolic tangent."""
    out = _unary(x, np.tanh)
    if not _recording_tapes:
        return out
    out = _recordable(out)

    def vjp(g):
        y = out if not _recording_tapes else tanh(x)
        return (multiply(g, subtract(1.0, square(y))),)

    return _record_unary(np.tanh, x, out, vjp)


def sin(x):
    """Elementwise sine."""
    out = _unary(x, np.sin)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.sin, x, out, lambda g: (multiply(g, cos(x)),))


def cos(x):
    """Elementwise cosine."""
    out = _unary(x, np.cos)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.cos, x, out, lambda g: (negative(multiply(g, sin(x))),))


def tan(x):
    """Elementwise tangent."""
    out = _unary(x, np.tan)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.tan, x, out, lambda g: (multiply(g, add(1.0, square(tan(x)))),))


def arctan(x):
    """Elementwise inverse tangent."""
    out = _unary(x, np.arctan)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.arctan, x, out, lambda g: (divide(g, add(1.0, square(x))),))


def sinh(x):
    """Elementwise hyperbolic sine."""
    out = _unary(x, np.sinh)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.sinh, x, out, lambda g: (multiply(g, cosh(x)),))


def cosh(x):
    """Elementwise hyperbolic cosine."""
    out = _unary(x, np.cosh)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    return _record_unary(np.cosh, x, out, lambda g: (multiply(g, sinh(x)),))


# ---------------------------------------------------------------- reductions


def _axis_arg(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _restore(g, shape, axis, keepdims):
    """The gradient of a reduction, broadcast back to the input `shape`."""
    if not keepdims:
        g = reshape(g, kept_shape(shape, axis))
    return broadcast_to(g, shape)


def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (all axes when None)."""
    a = x if type(x) is _ndarray else to_array(x)
    axis = _axis_arg(axis)
    dtype = _SMALL_INTEGER_SUMS.get(a.dtype.char)  # as Keras: bool, int8, int16, int32 sum to int32 (not int64)
    if a.dtype == np.float16:
        # Accumulated in float32 and rounded back, as Keras gives: numpy adds float16 along a
        # non-contiguous axis in float16, where a sum of ones stops at 2048.
        out = np.sum(a, axis=axis, keepdims=keepdims, dtype=np.float32).astype(np.float16)
        if not _recording_tapes:
            return out
        dtype = np.float32  # for the replay, which writes into the float16 `out`
    else:
        out = np.sum(a, axis=axis, keepdims=keepdims, dtype=dtype)
        if not _recording_tapes:
            return out
    out = _recordable(out)
    shape = a.shape
    return record(out, (x,), lambda g: (_restore(g, shape, axis, keepdims),),
                  lambda: np.sum(a, axis=axis, keepdims=keepdims, out=out, dtype=dtype))


# Keras's sums and products of integers: bool/int8/int16/int32 -> int32, uint8/16/32 -> uint32 (numpy would
# widen them all to 64 bits); 64-bit integers keep their type.
_SMALL_INTEGER_SUMS = {"?": np.int32, "b": np.int32, "h": np.int32, "B": np.uint32, "H": np.uint32}
_SMALL_INTEGER_SUMS.update({np.dtype(np.int32).char: np.int32, np.dtype(np.uint32).char: np.uint32})


def _mean_values(a, axis, keepdims):
    if a.dtype.kind in "iub":
        return np.mean(a, axis=axis, keepdims=keepdims, dtype=config.floatx())
    return np.mean(a, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    """Mean over `axis` (all axes when None); integer inputs give `floatx()`."""
    a = x if type(x) is _ndarray else to_array(x)
    axis = _axis_arg(axis)
    out = _mean_values(a, axis, keepdims)
    if not _recording_tapes:
        return out
    out = _recordable(out)
    shape = a.shape
    count = a.size // builtins.max(np.size(out), 1) if a.size else 1
    if out.ndim and a.dtype in (np.float32, np.float64):
        # numpy's mean into an array divides in place, with or without `out`.
        forward = lambda: np.mean(a, axis=axis, keepdims=keepdims, out=out)  # noqa: E731
    else:  # a scalar mean divides numpy scalars, and float16/int means convert: recompute, copy
        forward = copy_forward(out, lambda: _mean_values(a, axis, keepdims))
    return record(out, (x,), lambda g: (_restore(divide(g, float(count)), shape, axis, keepdims),), forward)


def _extreme(np_fn, x, axis, keepdims, initial):
    a = x if type(x) is _ndarray else to_array(x)
    axis = _axis_arg(axis)
    kwargs = {} if initial is None else {"initial": initial}
    try:
        out = np_fn(a, axis=axis, keepdims=keepdims, **kwargs)
    except ValueError:
        if a.size == 0:
            raise ValueError(
                f"Cannot take `{np_fn.__name__}` of an empty array of shape {a.shape}; "
                "pass `initial=` to give a value for empty inputs."
            ) from None
        raise
    if not _recording_tapes:
        return out
    shape = a.shape

    def vjp(g):
        # As in JAX, tied extremes share the gradient equally.
        hits = a == np.reshape(out, kept_shape(shape, axis) if not keepdims else out.shape)
        weights = hits / np.sum(hits, axis=axis, keepdims=True).clip(1)
        return (multiply(_restore(g, shape, axis, keepdims), weights.astype(a.dtype)),)

    out = _recordable(out)
    return record(out, (x,), vjp, lambda: np_fn(a, axis=axis, keepdims=keepdims, out=out, **kwargs))


def max(x, axis=None, keepdims=False, initial=None):
    """Largest value over `axis`; tied maxima share the gradient (as JAX)."""
    return _extreme(np.max, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    """Smallest value over `axis`; tied minima share the gradient (as JAX)."""
    return _extreme(np.min, x, axis, keepdims, initial)


amax = max
amin = min


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over `axis` (all axes when None)."""
    a = to_array(x)
    axis = _axis_arg(axis)
    if dtype is None:
        dtype = _SMALL_INTEGER_SUMS.get(a.dtype.char)  # as `sum`: int32 products of small ints, as Keras
    out = np.prod(a, axis=axis, keepdims=keepdims, dtype=dtype)
    if not _recording_tapes:
        return out
    shape = a.shape

    def vjp(g):
        g = _restore(g, shape, axis, keepdims)
        if np.all(a != 0):
            total = _restore(out if not _recording_tapes else prod(x, axis, keepdims), shape, axis, keepdims)
            return (divide(multiply(g, total), x),)
        # With zeros, the product of the *other* entries: exclusive cumulative products.
        axes = normalize_axes(axis, a.ndim)
        rest = [i for i in range(a.ndim) if i not in axes]
        moved = np.transpose(a, rest + list(axes))
        flat = moved.reshape(moved.shape[: len(rest)] + (-1,))
        ones = np.ones(flat.shape[:-1] + (1,), a.dtype)
        left = np.cumprod(np.concatenate([ones, flat[..., :-1]], -1), -1)
        right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], -1), -1)[..., ::-1]
        others = np.transpose((left * right).reshape(moved.shape), np.argsort(rest + list(axes)))
        return (multiply(g, others),)

    out = _recordable(out)
    return record(out, (x,), vjp, lambda: np.prod(a, axis=axis, keepdims=keepdims, dtype=dtype, out=out))


def var(x, axis=None, keepdims=False):
    """Population variance (`ddof=0`) over `axis`."""
    a = x if type(x) is _ndarray else to_array(x)
    # float16 is summed in float32 and the result rounded back, as Keras does (float16 sums of
    # squares lose precision and overflow).
    half = a.dtype == np.float16
    if not _recording_tapes:
        if a.dtype.kind in "iub":
            a = a.astype(config.floatx())
        if half:
            with np.errstate(over="ignore"):  # beyond float16: inf, without a warning (as Keras)
                return np.var(a, axis=_axis_arg(axis), keepdims=keepdims, dtype=np.float32).astype(np.float16)
        return np.var(a, axis=_axis_arg(axis), keepdims=keepdims)
    x = x if isinstance(x, TensorOperators) else a
    if a.dtype.kind in "iub" or half:
        x = _astype(x, np.float32 if half else config.floatx())
    centered = subtract(x, mean(x, axis, True))
    out = mean(square(centered), axis, keepdims)
    return _astype(out, np.float16) if half else out


def std(x, axis=None, keepdims=False):
    """Population standard deviation over `axis`."""
    return sqrt(var(x, axis, keepdims))


def cumsum(x, axis=None, dtype=None):
    """Running sum along `axis` (over the flattened input when None)."""
    a = to_array(x)
    if dtype is None:  # as Keras: bools count in int32, other dtypes keep their own (numpy widens ints)
        dtype = np.int32 if a.dtype == np.bool_ else (a.dtype if a.dtype.kind in "iu" else None)
    if a.dtype == np.float16 and dtype is None:
        # Summed in float32 and rounded back, as Keras on JAX gives: a float16 running sum of
        # ones would stop at 2048.
        out = np.cumsum(a, axis=axis, dtype=np.float32).astype(np.float16)
        if not _recording_tapes:
            return out
        forward = lambda: np.copyto(out, np.cumsum(a, axis=axis, dtype=np.float32))  # noqa: E731
    else:
        out = np.cumsum(a, axis=axis, dtype=dtype)
        if not _recording_tapes:
            return out
        forward = None
    shape = a.shape

    def vjp(g):
        if axis is None:
            return (reshape(flip(cumsum(flip(g, 0), 0), 0), shape),)
        return (flip(cumsum(flip(g, axis), axis), axis),)

    out = _recordable(out)
    return record(out, (x,), vjp, forward or (lambda: np.cumsum(a, axis=axis, dtype=dtype, out=out)))


def _without_gradient(x, compute):
    """`compute(value of x)`, a result without a gradient, recorded when `x` is tracked."""
    a = to_array(x)
    out = compute(a)
    if not _recording_tapes:
        return out
    return record_no_gradient(out, (x,), lambda: compute(a))


def all(x, axis=None, keepdims=False):
    """True where every element along `axis` is non-zero."""
    axis = _axis_arg(axis)
    return _without_gradient(x, lambda a: np.all(a, axis=axis, keepdims=keepdims))


def any(x, axis=None, keepdims=False):
    """True where some element along `axis` is non-zero."""
    axis = _axis_arg(axis)
    return _without_gradient(x, lambda a: np.any(a, axis=axis, keepdims=keepdims))


def count_nonzero(x, axis=None):
    """Number of non-zero elements along `axis`, as int32 (as Keras)."""
    axis = _axis_arg(axis)
    return _without_gradient(x, lambda a: np.asarray(np.count_nonzero(a, axis=axis), dtype=np.int32))


def argmax(x, axis=None, keepdims=False):
    """Index of the largest value along `axis` (of the flattened input when None), as int32."""
    return _without_gradient(x, lambda a: np.argmax(a, axis=axis, keepdims=keepdims).astype(np.int32))


def argmin(x, axis=None, keepdims=False):
    """Index of the smallest value along `axis`, as int32."""
    return _without_gradient(x, lambda a: np.argmin(a, axis=axis, keepdims=keepdims).astype(np.int32))


def argsort(x, axis=-1):
    """Indices that sort `x` along `axis` (stable), as int32."""
    return _without_gradient(x, lambda a: np.argsort(a, axis=axis, kind="stable").astype(np.int32))


def sort(x, axis=-1):
    """`x` sorted along `axis`; the gradient flows to where each value came from."""
    a = to_array(x)
    if not _recording_tapes:
        return np.sort(a, axis=axis)
    # The order is recorded too, so that a replay sorts the new values.
    order = _without_gradient(x, lambda v: np.argsort(v, axis=axis, kind="stable"))
    if axis is None:
        return take_along_axis(ravel(x), order, 0)
    return take_along_axis(x, order, axis)


# ---------------------------------------------------------------- shapes and indexing


def reshape(x, newshape):
    """`x` with a new shape (same number of elements; one size may be -1)."""
    a = x if type(x) is _ndarray else to_array(x)
    try:
        out = np.reshape(a, newshape)
    except ValueError:
        raise ValueError(
            f"Cannot reshape an array of shape {a.shape} ({a.size} elements) to "
            f"{tuple(newshape) if not isinstance(newshape, int) else newshape}."
        ) from None
    if not _recording_tapes:
        return out
    s = a.shape
    if np.may_share_memory(out, a):
        forward = nothing_to_replay  # a view: it shows the new values already
    else:  # a copy (of a non-contiguous array): copy again, in the same (C) order
        in_input_shape = out.reshape(s)
        forward = lambda: np.copyto(in_input_shape, a)  # noqa: E731
    return record(out, (x,), lambda g: (reshape(g, s),), forward)


def transpose(x, axes=None):
    """Permutes the axes (reverses them when `axes` is None)."""
    a = x if type(x) is _ndarray else to_array(x)
    out = np.transpose(a, axes)
    if not _recording_tapes:
        return out
    inverse = None if axes is None else tuple(int(i) for i in np.argsort([i % a.ndim for i in axes]))
    return record(out, (x,), lambda g: (transpose(g, inverse),), view_forward(out, a, lambda: np.transpose(a, axes)))


def expand_dims(x, axis):
    """Inserts axes of size 1 at `axis` (an int or a tuple)."""
    a = x if type(x) is _ndarray else to_array(x)
    return reshape(x if a is value_of(x) else a, np.expand_dims(np.empty(a.shape, np.bool_), axis).shape)


def squeeze(x, axis=None):
    """Removes axes of size 1 (only `axis`, when given)."""
    a = x if type(x) is _ndarray else to_array(x)
    axis = _axis_arg(axis)
    try:
        shape = np.squeeze(np.empty(a.shape, np.bool_), axis).shape
    except ValueError:
        raise ValueError(f"Cannot squeeze axis {axis} of shape {a.shape}: its size is not 1.") from None
    return reshape(x if a is value_of(x) else a, shape)


def ravel(x):
    """`x` flattened to one axis."""
    return reshape(x, (-1,))


def moveaxis(x, source, destination):
    """Moves axes `source` to positions `destination` (ints or sequences)."""
    ndim = len(_shape(x))
    source = [source] if isinstance(source, (int, np.integer)) else list(source)
    destination = [destination] if isinstance(destination, (int, np.integer)) else list(destination)
    source = [s % ndim for s in source]
    destination = [d % ndim for d in destination]
    order = [i for i in range(ndim) if i not in source]
    for d, s in sorted(zip(destination, source)):
        order.insert(d, s)
    return transpose(x, order)


def swapaxes(x, axis1, axis2):
    """Exchanges two axes."""
    ndim = len(_shape(x))
    axes = list(range(ndim))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose(x, axes)


def broadcast_to(x, shape):
    """`x` broadcast to `shape`; the gradient sums back."""
    a = x if type(x) is _ndarray else to_array(x)
    try:
        out = np.broadcast_to(a, shape)
    except ValueError:
        raise ValueError(f"Cannot broadcast an array of shape {a.shape} to shape {tuple(shape)}.") from None
    if not _recording_tapes:
        return out
    s = a.shape
    return record(out, (x,), lambda g: (unbroadcast(g, s),), view_forward(out, a, lambda: np.broadcast_to(a, shape)))


def flip(x, axis=None):
    """Reverses the order of elements along `axis` (all axes when None)."""
    a = to_array(x)
    out = np.flip(a, axis=axis)
    if not _recording_tapes:
        return out
    return record(out, (x,), lambda g: (flip(g, axis),), view_forward(out, a, lambda: np.flip(a, axis=axis)))


def _to_common_dtype(xs):
    """`xs` cast (recorded) to Keras's result type of their dtypes when they differ (numpy would widen
    `int32` with `float32` to float64; Keras gives float32)."""
    kinds = {to_array(x).dtype for x in xs}
    if len(kinds) < 2:
        return xs
    target = np.dtype(dtypes.result_type(*(k.name for k in kinds)))
    return [_astype(x, target) for x in xs]


def concatenate(xs, axis=0):
    """Joins arrays along an existing `axis`."""
    xs = _to_common_dtype(list(xs))
    arrays = [to_array(x) for x in xs]
    try:
        out = np.concatenate(arrays, axis=axis)
    except ValueError:
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise ValueError(
            f"`concatenate` along axis {axis} needs equal sizes on every other axis, got shapes {shapes}."
        ) from None
    if not _recording_tapes:
        return out
    ax = axis % out.ndim
    bounds = np.cumsum([0] + [a.shape[ax] for a in arrays])

    def vjp(g):
        index = (slice(None),) * ax
        return tuple(getitem(g, index + (slice(int(lo), int(hi)),)) for lo, hi in zip(bounds[:-1], bounds[1:]))

    return record(out, tuple(xs), vjp, lambda: np.concatenate(arrays, axis=axis, out=out))


def stack(x, axis=0):
    """Joins arrays of one shape along a new `axis`."""
    x = _to_common_dtype(list(x))
    arrays = [to_array(e) for e in x]
    try:
        out = np.stack(arrays, axis=axis)
    except ValueError:
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise ValueError(f"`stack` needs arrays of one shape, got shapes {shapes}.") from None
    if not _recording_tapes:
        return out
    ax = axis % out.ndim
    return record(
        out, tuple(x), lambda g: tuple(getitem(g, (slice(None),) * ax + (i,)) for i in range(len(arrays))),
        lambda: np.stack(arrays, axis=axis, out=out),
    )


def split(x, indices_or_sections, axis=0):
    """Splits `x` along `axis` into a list of arrays."""
    a = to_array(x)
    try:
        parts = np.split(a, indices_or_sections, axis=axis)
    except ValueError:
        raise ValueError(
            f"`split` cannot divide axis {axis} of size {a.shape[axis]} into "
            f"{indices_or_sections} equal sections."
        ) from None
    if not _recording_tapes:
        return parts
    ax = axis % a.ndim
    result, start = [], 0
    for p in parts:
        stop = start + p.shape[ax]
        result.append(getitem(x, (slice(None),) * ax + (slice(start, stop),)))
        start = stop
    return result


def _is_basic_key(key):
    """True when `x[key]` is basic indexing (ints, slices, `...`, None): a view, each element once."""
    parts = key if isinstance(key, tuple) else (key,)
    return builtins.all(k is None or k is Ellipsis or isinstance(k, slice)
               or (isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_))) for k in parts)


def _add_at(out, key, gv, basic):
    """`np.add.at(out, key, gv)`; for a basic key (no index repeats) the same sums, added into the view
    at once (`np.add.at` goes element by element, which made the backward of slicing slow)."""
    view = out[key] if basic else None
    if isinstance(view, np.ndarray) and view.size and np.shares_memory(view, out):
        np.add(view, gv, out=view)
    else:
        np.add.at(out, key, gv)


def _scatter_add(g, key, shape, dtype):
    """zeros(shape) with `g` added at `key` (repeated indices accumulate)."""
    gv = value_of(g)
    out = np.zeros(shape, dtype=dtype)
    basic = _is_basic_key(key)
    _add_at(out, key, gv, basic)
    if not _recording_tapes:
        return out

    def forward():
        out.fill(0)
        _add_at(out, key, gv, basic)

    return record(out, (g,), lambda gg: (getitem(gg, key),), forward)


def getitem(x, key):
    """`x[key]` (basic and integer-array indexing); the gradient scatters back."""
    a = x if type(x) is _ndarray else to_array(x)
    if isinstance(key, tuple):
        index_inputs = tuple(k for k in key if isinstance(k, TensorOperators))
        key = tuple(value_of(k) for k in key)
    else:
        index_inputs = (key,) if isinstance(key, TensorOperators) else ()
        key = value_of(key)
    out = a[key]
    if not _recording_tapes:
        return out
    return _record_gather(x, a, key, out, index_inputs)


def _record_gather(x, a, key, out, index_inputs=()):
    """Records `out = a[key]` (`a` the value of `x`); `index_inputs`: tracked tensors whose
    values the index arrays in `key` are (a replay reads their new values)."""
    out = _recordable(out)
    shape, dtype = a.shape, a.dtype
    nothing = (None,) * len(index_inputs)
    forward = view_forward(out, a, lambda: a[key])
    if forward is not nothing_to_replay and builtins.any(
        isinstance(k, _ndarray) and k.dtype == np.bool_ for k in (key if isinstance(key, tuple) else (key,))
    ):
        forward = _fixed_size_selection(out, a, key)
    return record(out, (x,) + index_inputs, lambda g: (_scatter_add(g, key, shape, dtype),) + nothing, forward)


def _fixed_size_selection(out, a, key):
    """The replay of a boolean-mask selection: a mask from the data may select another count."""

    def replay():
        selected = a[key]
        if selected.shape != out.shape:
            raise ValueError(
                f"A boolean mask selected {out.shape[0]} elements when the step was recorded and "
                f"{selected.shape[0]} now: a replayed step needs the same shapes. Select with "
                "`ops.where` (same shape whatever the mask) instead."
            )
        np.copyto(out, selected)

    return replay


def take(x, indices, axis=None):
    """Elements of `x` at `indices` along `axis` (of the flattened `x` when None)."""
    a, idx = to_array(x), to_array(indices)
    try:
        out = np.take(a, idx, axis=axis)
    except IndexError as e:
        raise ValueError(f"`take`: {e} (input shape {a.shape}, axis {axis}).") from None
    if not _recording_tapes:
        return out
    index = indices if is_tracked(indices) else idx  # a tracked index: replays read its new values
    if axis is None:
        return getitem(ravel(x), index)
    return getitem(x, (slice(None),) * (axis % a.ndim) + (index,))


def take_along_axis(x, indices, axis=None):
    """Picks `x` values at `indices` along `axis`, as `np.take_along_axis`."""
    a, idx = to_array(x), to_array(indices)
    if axis is None:
        return take_along_axis(ravel(x), ravel(indices if is_tracked(indices) else idx), 0)
    try:
        out = np.take_along_axis(a, idx, axis=axis)
    except (IndexError, ValueError) as e:
        raise ValueError(
            f"`take_along_axis`: {e} (x shape {a.shape}, indices shape {idx.shape}, axis {axis})."
        ) from None
    if not _recording_tapes:
        return out
    ax = axis % a.ndim
    shape = np.broadcast_shapes(
        tuple(s for i, s in enumerate(a.shape) if i != ax), tuple(s for i, s in enumerate(idx.shape) if i != ax)
    )
    shape = shape[:ax] + (idx.shape[ax],) + shape[ax:]
    idx = np.broadcast_to(idx, shape)
    key = tuple(
        idx if i == ax else np.arange(n).reshape((-1,) + (1,) * (len(shape) - i - 1)) for i, n in enumerate(shape)
    )
    if a.shape != shape[:ax] + (a.shape[ax],) + shape[ax + 1:]:
        x = broadcast_to(x, shape[:ax] + (a.shape[ax],) + shape[ax + 1:])
    # `idx` is a view of the indices' array: a replay reads their new values through it.
    index_inputs = (indices,) if is_tracked(indices) else ()
    return _record_gather(x, to_array(x), key, to_array(x)[key], index_inputs)


def tile(x, repeats):
    """`x` repeated `repeats` times along each axis, as `np.tile`."""
    a = to_array(x)
    out = np.tile(a, repeats)
    if not _recording_tapes:
        return out
    reps = (repeats,) if isinstance(repeats, (int, np.integer)) else tuple(repeats)
    d = builtins.max(a.ndim, len(reps))
    shape = (1,) * (d - a.ndim) + a.shape
    reps = (1,) * (d - len(reps)) + reps
    interleaved = [n for pair in zip(reps, shape) for n in pair]

    def vjp(g):
        g = sum(reshape(g, interleaved), axis=tuple(range(0, 2 * d, 2)))
        return (reshape(g, a.shape),)

    return record(out, (x,), vjp, copy_forward(out, lambda: np.tile(a, repeats)))


def repeat(x, repeats, axis=None):
    """Repeats each element `repeats` times along `axis` (of the flattened input when None)."""
    a = to_array(x)
    out = np.repeat(a, value_of(repeats), axis=axis)
    if not _recording_tapes:
        return out
    n = a.size if axis is None else a.shape[axis]
    return take(x, np.repeat(np.arange(n), value_of(repeats)), axis=axis)


def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads `x` with `pad_width` (as `np.pad`); modes: constant, edge, reflect, symmetric, wrap."""
    a = to_array(x)
    kwargs = {"constant_values": constant_values} if mode == "constant" and constant_values is not None else {}
    try:
        out = np.pad(a, pad_width, mode=mode, **kwargs)
    except ValueError as e:
        raise ValueError(f"`pad` with pad_width={pad_width!r}, mode={mode!r} on shape {a.shape}: {e}") from None
    if not _recording_tapes:
        return out
    if mode == "constant":
        widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (a.ndim, 2))
        key = tuple(slice(int(lo), int(lo) + n) for (lo, _), n in zip(widths, a.shape))
        interior = out[key]  # the padding itself never changes: a replay copies the input in
        return record(out, (x,), lambda g: (getitem(g, key),), lambda: np.copyto(interior, a))
    # Other modes copy input elements: pad an index map and gather through it.
    source = np.pad(np.arange(a.size).reshape(a.shape), pad_width, mode=mode)
    return reshape(take(ravel(x), source.ravel()), out.shape)


def tril(x, k=0):
    """`x` with the elements above the `k`-th diagonal zeroed."""
    a = to_array(x)
    out = np.tril(a, k)
    if not _recording_tapes:
        return out
    return record(out, (x,), lambda g: (tril(g, k),), copy_forward(out, lambda: np.tril(a, k)))


def triu(x, k=0):
    """`x` with the elements below the `k`-th diagonal zeroed."""
    a = to_array(x)
    out = np.triu(a, k)
    if not _recording_tapes:
        return out
    return record(out, (x,), lambda g: (triu(g, k),), copy_forward(out, lambda: np.triu(a, k)))


def size(x):
    """Number of elements."""
    return int(np.size(value_of(x)))


def ndim(x):
    """Number of axes."""
    return int(np.ndim(value_of(x)))


# ---------------------------------------------------------------- comparisons and logic


def _compare(np_fn):
    def op(x1, x2):
        # Compared as numpy compares mixed types (exactly), not after a cast to Keras's type.
        a, b, out = _binary(np_fn, np_fn.__name__, x1, x2, promote=False)
        if not _recording_tapes:
            return out
        return record_no_gradient(out, (x1, x2), lambda: np_fn(a, b))

    op.__name__ = np_fn.__name__
    op.__doc__ = (
        f"Elementwise `{np_fn.__name__}` as a boolean array (no gradient; recorded on a tape "
        "when an input is tracked, so a replayed step compares the new values)."
    )
    return op


equal = _compare(np.equal)
not_equal = _compare(np.not_equal)
less = _compare(np.less)
less_equal = _compare(np.less_equal)
greater = _compare(np.greater)
greater_equal = _compare(np.greater_equal)
logical_and = _compare(np.logical_and)
logical_or = _compare(np.logical_or)
logical_xor = _compare(np.logical_xor)


def logical_not(x):
    """Elementwise boolean NOT."""
    return _without_gradient(x, np.logical_not)


def isnan(x):
    """True where `x` is NaN."""
    return _without_gradient(x, np.isnan)


def isinf(x):
    """True where `x` is +inf or -inf."""
    return _without_gradient(x, np.isinf)


def isfinite(x):
    """True where `x` is neither NaN nor infinite."""
    return _without_gradient(x, np.isfinite)


# ---------------------------------------------------------------- creation


def _dtype(dtype, default=None):
    from nanokeras.backend.dtypes import standardize_dtype

    if dtype is None and default is not None:
        return np.dtype(default)
    return standardize_dtype(dtype)


def _shape_arg(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)


def zeros(shape, dtype=None):
    """An array of zeros (`floatx()` unless `dtype` is given)."""
    return np.zeros(_shape_arg(shape), dtype=_dtype(dtype))


def ones(shape, dtype=None):
    """An array of ones (`floatx()` unless `dtype` is given)."""
    return np.ones(_shape_arg(shape), dtype=_dtype(dtype))


def full(shape, fill_value, dtype=None):
    """An array filled with `fill_value` (`floatx()` unless `dtype` is given)."""
    return np.full(_shape_arg(shape), value_of(fill_value), dtype=_dtype(dtype))


def zeros_like(x, dtype=None):
    """Zeros with the shape (and, by default, the dtype) of `x`."""
    return np.zeros_like(to_array(x), dtype=None if dtype is None else _dtype(dtype))


def ones_like(x, dtype=None):
    """Ones with the shape (and, by default, the dtype) of `x`."""
    return np.ones_like(to_array(x), dtype=None if dtype is None else _dtype(dtype))


def full_like(x, fill_value, dtype=None):
    """`fill_value` with the shape (and, by default, the dtype) of `x`."""
    return np.full_like(to_array(x), value_of(fill_value), dtype=None if dtype is None else _dtype(dtype))


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)`: int32 for ints, `floatx()` for floats.

    Example:
        >>> arange(3)
        array([0, 1, 2], dtype=int32)
    """
    values = [v for v in (start, stop, step) if v is not None]
    if dtype is None:
        is_float = builtins.any(isinstance(v, float) or np.asarray(v).dtype.kind == "f" for v in values)
        dtype = config.floatx() if is_float else "int32"
    if stop is None:
        start, stop = 0, start
    return np.arange(start, stop, 1 if step is None else step, dtype=_dtype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` (by default Keras's result type of `start`,
    `stop` and a float: `floatx()` for Python numbers and ints, float16 for float16)."""
    if dtype is None:
        dtype = dtypes.result_type(*(_kind_name(v) for v in (start, stop)), float)
    return np.linspace(
        value_of(start), value_of(stop), num, endpoint=endpoint, retstep=retstep, dtype=_dtype(dtype), axis=axis
    )


def _kind_name(value):
    """The dtype name of an array, or the Python type of a number (for `dtypes.result_type`)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return type(value)
    return to_array(value).dtype.name


def eye(N, M=None, k=0, dtype=None):
    """A 2-D array with ones on the `k`-th diagonal."""
    return np.eye(N, M, k=k, dtype=_dtype(dtype))


def identity(n, dtype=None):
    """The `n` x `n` identity matrix."""
    return np.identity(n, dtype=_dtype(dtype))


# `keras.ops.numpy` holds more functions than this file: they live in files of their own, named for
# what they hold, and are gathered here (after this module is complete: they build on its ops).
from nanokeras.ops import array_creation, array_manipulation, bitwise, complex_numbers  # noqa: E402
from nanokeras.ops import counting_and_searching, diagonals_and_products, elementwise_math  # noqa: E402
from nanokeras.ops import nan_reductions, predicates, quantiles, statistics  # noqa: E402
from nanokeras.ops.op_builders import gather as _gather  # noqa: E402

_gather(globals(), [elementwise_math, bitwise, predicates, complex_numbers, array_manipulation,
                    diagonals_and_products, array_creation, statistics, quantiles, nan_reductions,
                    counting_and_searching])
from nanokeras.ops import linalg_solvers  # noqa: E402

_gather(globals(), [linalg_solvers], "NUMPY_NAMES")
from nanokeras.ops import control_flow  # noqa: E402

_gather(globals(), [control_flow])
