"""`keras.ops` math functions: logsumexp, top_k, norm, erf, rsqrt, segment_sum.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> float(ops.logsumexp(np.zeros(4, "float32")))  # log(4)
    1.3862943649291992
"""

import math as _math

import numpy as np

from nanokeras.backend import config
from nanokeras.ops import numpy as _np_ops
from nanokeras.ops.gradient_utils import (
    _recording_tapes,
    as_recordable,
    copy_forward,
    kept_shape,
    record,
    record_no_gradient,
    to_array,
    value_of,
)

__all__ = ["logsumexp", "top_k", "in_top_k", "norm", "erf", "erfc", "rsqrt", "segment_sum"]

_erf = np.frompyfunc(_math.erf, 1, 1)
_erfc = np.frompyfunc(_math.erfc, 1, 1)
_TWO_OVER_SQRT_PI = 2.0 / _math.sqrt(_math.pi)


def _float(x):
    a = to_array(x)
    return a.astype(config.floatx()) if a.dtype.kind in "iub" else a


def _float_input(x):
    """`x` as a float: itself (still tracked), or converted (recorded, so replays convert again)."""
    a = to_array(x)
    if a.dtype.kind not in "iub":
        return x
    return _np_ops._astype(x, config.floatx())


def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x), axis))`, computed without overflow.

    Example:
        >>> float(logsumexp(np.array([1000.0, 1000.0])))
        1000.6931471805599
    """
    x = _float_input(x)
    a = to_array(x)
    if a.size == 0:
        out = np.log(np.sum(np.exp(a), axis=axis, keepdims=keepdims))
        return out
    out = _logsumexp_keepdims(a, axis)
    result = out if keepdims else np.reshape(out, np.sum(a, axis=axis).shape)
    if not _recording_tapes:
        return result
    shape = a.shape

    def vjp(g):
        if not keepdims:
            g = _np_ops.reshape(g, kept_shape(shape, axis))
        total = out if not _recording_tapes else logsumexp(x, axis, True)
        return (_np_ops.multiply(g, _np_ops.exp(_np_ops.subtract(x, total))),)

    # `result` is `out` or a view of it: the replay writes into `out`.
    return record(result, (x,), vjp, copy_forward(out, lambda: _logsumexp_keepdims(a, axis)))


def _logsumexp_keepdims(a, axis):
    shift = np.max(a, axis=axis, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0).astype(a.dtype)
    with np.errstate(divide="ignore"):  # an all -inf row gives log(0) = -inf, as intended
        return np.log(np.sum(np.exp(a - shift), axis=axis, keepdims=True)) + shift


def top_k(x, k, sorted=True):
    """The `k` largest values along the last axis and their int32 indices.

    Ties keep the lower index first, as in JAX.

    Example:
        >>> values, indices = top_k(np.array([1.0, 3.0, 2.0]), 2)
        >>> values.tolist(), indices.tolist()
        ([3.0, 2.0], [1, 2])
    """
    a = to_array(x)
    if not isinstance(k, (int, np.integer)) or not 0 <= k <= a.shape[-1]:
        raise ValueError(f"`top_k` needs 0 <= k <= {a.shape[-1]} (the last axis size), got k={k!r}.")

    def largest_first():
        # A stable sort of the negated values keeps the lower index first among ties.
        order = -a if a.dtype.kind != "b" else ~a
        return np.argsort(order, axis=-1, kind="stable")[..., :k].astype(np.int32)

    indices = largest_first()
    if _recording_tapes:  # recorded, so that a replay ranks the new values
        indices = record_no_gradient(indices, (x,), largest_first)
    return _np_ops.take_along_axis(x, indices, -1), indices


def in_top_k(targets, predictions, k):
    """True where the prediction for `targets` ranks among the `k` largest of its row."""
    p, t = to_array(predictions), to_array(targets)

    def ranks_within_k():
        at_label = np.take_along_axis(p, t.astype(np.int64)[..., None], axis=-1)
        at_label = np.where(np.isnan(at_label), -np.inf, at_label)  # NaN never ranks high
        rank = 1 + np.sum(p > at_label, axis=-1)
        return rank <= k

    out = ranks_within_k()
    if not _recording_tapes:
        return out
    return record_no_gradient(out, (targets, predictions), ranks_within_k)


def _vector_norm(x, ord, axis, keepdims):
    ops = _np_ops
    if ord is None or ord == 2:
        return ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=keepdims))
    if ord == np.inf:
        return ops.max(ops.abs(x), axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return ops.min(ops.abs(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        nonzero = ops._astype(ops.not_equal(x, 0), to_array(x).dtype)
        return ops.sum(nonzero, axis=axis, keepdims=keepdims)
    if ord == 1:
        return ops.sum(ops.abs(x), axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"`norm`: ord={ord!r} is only valid for matrix norms (a 2-tuple `axis`).")
    p = float(ord)
    return ops.power(ops.sum(ops.power(ops.abs(x), p), axis=axis, keepdims=keepdims), 1.0 / p)


def _singular_norm(x, ord, axis, keepdims):
    """Matrix norms from singular values: 2, -2 and 'nuc'."""
    a = to_array(x)

    def norm_and_jacobian():
        moved = np.moveaxis(a, axis, (-2, -1))
        u, s, vt = np.linalg.svd(moved, full_matrices=False)
        if ord == "nuc":
            out, weights = s.sum(-1), np.ones_like(s)
        else:
            pick = np.argmax(s, -1) if ord == 2 else np.argmin(s, -1)
            out = np.take_along_axis(s, pick[..., None], -1)[..., 0]
            weights = (np.arange(s.shape[-1]) == pick[..., None]).astype(s.dtype)
        # d sigma_i / dA = u_i v_i^T
        jac = np.moveaxis(np.matmul(u * weights[..., None, :], vt), (-2, -1), axis)
        if keepdims:
            out = np.reshape(out, kept_shape(a.shape, axis))
        return out, jac

    out, jac = norm_and_jacobian()
    if not _recording_tapes:
        return out
    out = as_recordable(out)
    shape = a.shape

    def forward():
        nonlocal jac  # read by the vjp: replaced, not written into
        value, jac = norm_and_jacobian()
        np.copyto(out, value)

    return record(
        out, (x,), lambda g: (_np_ops.multiply(_np_ops.reshape(g, kept_shape(shape, axis)), jac),), forward
    )


def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm, as `np.linalg.norm` / `keras.ops.norm`.

    With `axis=None` a 1-D or 2-D input takes the vector or matrix norm named by
    `ord`; with `ord=None` too, any input takes the 2-norm of all its elements.

    Example:
        >>> float(norm(np.array([3.0, 4.0])))
        5.0
    """
    a = _float(x)
    x = x if a is value_of(x) else a
    if axis is None:
        if ord is None:
            out = _vector_norm(_np_ops.ravel(x), None, 0, False)
            return _np_ops.reshape(out, (1,) * a.ndim) if keepdims else out
        if a.ndim not in (1, 2):
            raise ValueError(f"`norm` with ord={ord!r} needs a 1-D or 2-D input or `axis`, got shape {a.shape}.")
        axis = tuple(range(a.ndim))
    if isinstance(axis, (int, np.integer)) or len(axis) == 1:
        axis = int(axis if isinstance(axis, (int, np.integer)) else axis[0])
        return _vector_norm(x, ord, axis, keepdims)
    if len(axis) != 2:
        raise ValueError(f"`norm` takes an int or a 2-tuple `axis`, got {axis!r}.")
    row, col = (int(i) % a.ndim for i in axis)
    if row == col:
        raise ValueError(f"`norm` needs two different axes, got {axis!r}.")
    ops = _np_ops
    if ord is None or ord == "fro":
        return ops.sqrt(ops.sum(ops.square(x), axis=(row, col), keepdims=keepdims))
    if ord in (2, -2, "nuc"):
        return _singular_norm(x, ord, (row, col), keepdims)
    if ord in (1, -1, np.inf, -np.inf):
        summed_axis, reduced_axis = (row, col) if ord in (1, -1) else (col, row)
        sums = ops.sum(ops.abs(x), axis=summed_axis, keepdims=True)
        reduce = ops.max if ord in (1, np.inf) else ops.min
        out = reduce(sums, axis=reduced_axis, keepdims=True)
        return out if keepdims else ops.squeeze(out, (row, col))
    raise ValueError(f"`norm`: invalid ord={ord!r} for a matrix norm. Use 'fro', 'nuc', 1, -1, 2, -2, inf or -inf.")


def erf(x):
    """The error function `2/sqrt(pi) * integral_0^x exp(-t^2) dt`, elementwise.

    Example:
        >>> round(float(erf(np.array(1.0))), 6)
        0.842701
    """
    x = _float_input(x)
    a = to_array(x)
    out = _erf_values(a)
    if not _recording_tapes:
        return out
    return record(
        out, (x,), lambda g: (_np_ops.multiply(g, _np_ops.multiply(_np_ops.exp(_np_ops.negative(_np_ops.square(x))), _TWO_OVER_SQRT_PI)),),
        copy_forward(out, lambda: _erf_values(a)),
    )


def _erf_values(a):
    return _erf(a).astype(a.dtype) if a.ndim else np.asarray(_math.erf(a), a.dtype)


def _erfc_values(a):
    return _erfc(a).astype(a.dtype) if a.ndim else np.asarray(_math.erfc(a), a.dtype)


def erfc(x):
    """The complementary error function `1 - erf(x)`, accurate for large `x`."""
    x = _float_input(x)
    a = to_array(x)
    out = _erfc_values(a)
    if not _recording_tapes:
        return out
    return record(
        out, (x,), lambda g: (_np_ops.multiply(g, _np_ops.multiply(_np_ops.exp(_np_ops.negative(_np_ops.square(x))), -_TWO_OVER_SQRT_PI)),),
        copy_forward(out, lambda: _erfc_values(a)),
    )


def rsqrt(x):
    """Elementwise `1 / sqrt(x)`."""
    return _np_ops.divide(1.0, _np_ops.sqrt(x))


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums the rows of `data` that share a segment id; ids outside the range are dropped.

    Example:
        >>> segment_sum(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 1])).tolist()
        [3.0, 3.0]
    """
    a = to_array(data)
    id_values = np.asarray(value_of(segment_ids))
    if id_values.ndim != 1 or id_values.shape[0] != a.shape[0]:
        raise ValueError(
            f"`segment_sum` needs 1-D `segment_ids` with one id per row of `data`; got ids "
            f"of shape {id_values.shape} for data of shape {a.shape}."
        )
    if num_segments is None:  # a shape: a constant of a replayed step
        num_segments = int(id_values.max()) + 1 if id_values.size else 0

    def sums():
        ids = id_values.astype(np.int64)
        keep = (ids >= 0) & (ids < num_segments)
        out = np.zeros((num_segments,) + a.shape[1:], dtype=a.dtype)
        np.add.at(out, ids[keep], a[keep])
        return out, ids, keep

    out, ids, keep = sums()
    if not _recording_tapes:
        return out

    def vjp(g):
        ids = id_values.astype(np.int64)
        keep = (ids >= 0) & (ids < num_segments)
        safe = np.where(keep, ids, 0)
        mask = keep.reshape((-1,) + (1,) * (a.ndim - 1)).astype(a.dtype)
        return _np_ops.multiply(_np_ops.take(g, safe, axis=0), mask), None

    return record(out, (data, segment_ids), vjp, copy_forward(out, lambda: sums()[0]))


# `keras.ops.math` holds more functions than this file: they live in files of their own, gathered here.
from nanokeras.ops import complex_numbers, fourier, linalg_solvers, segments  # noqa: E402
from nanokeras.ops.op_builders import gather as _gather  # noqa: E402

_gather(globals(), [complex_numbers, linalg_solvers, fourier, segments], "MATH_NAMES")
