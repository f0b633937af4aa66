"""Linear algebra of `keras.ops.linalg`: inverses, determinants, solving systems, Cholesky, least squares.

Inputs are matrices or batches of them (`(..., n, n)`). Gradients are those JAX
gives: `inv' : -A^-T g A^-T`, `det' : g det A^-T`, the symmetric Cholesky
gradient, and the pseudo-inverse's three-term rule (so `lstsq`, written with
`pinv`, is differentiable too).

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> a = np.array([[2.0, 1.0], [1.0, 3.0]])
    >>> ops.linalg.solve(a, np.array([3.0, 5.0])).round(6).tolist()
    [0.8, 1.4]
    >>> round(float(ops.linalg.det(a)), 6)
    5.0
"""

import numpy as np

from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import _recording_tapes, as_recordable, copy_forward, record, to_array
from nanokeras.ops.op_builders import as_float, promoted, values, without_gradient

__all__ = ["inv", "det", "solve", "solve_triangular", "cholesky", "cholesky_inverse", "lstsq", "pinv", "matrix_rank",
           "lu_factor"]
NUMPY_NAMES = ["slogdet"]
MATH_NAMES = ["logdet"]


def transposed(x):
    """The matrices of `x` transposed (its last two axes swapped)."""
    return ops.swapaxes(x, -1, -2)


def square_matrices(x, op):
    """`x` as floats, checked to hold square matrices."""
    x = as_float(x)
    shape = np.shape(to_array(x))
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(f"`{op}` needs square matrices (shape (..., n, n)), got shape {shape}.")
    return x


def _linalg(op, compute, *arrays):
    """`compute(*arrays)`, with numpy's LinAlgError as a clear ValueError."""
    try:
        return compute(*arrays)
    except np.linalg.LinAlgError as error:
        raise ValueError(f"`{op}` failed: {error}. Check the input is not singular (or, for `cholesky`, that it "
                         "is symmetric positive definite).") from None


def _recorded(op, compute, inputs, vjp):
    """Records `compute()` (a numpy computation on the inputs' current values) with `vjp`."""
    out = _linalg(op, compute)
    if not _recording_tapes:
        return out
    out = as_recordable(out)
    return record(out, inputs, vjp, copy_forward(out, compute))


def inv(x):
    """The inverse of each square matrix."""
    x = square_matrices(x, "inv")
    a = to_array(x)

    def vjp(g):
        inverse_t = transposed(inv(x))
        return (ops.negative(ops.matmul(ops.matmul(inverse_t, g), inverse_t)),)

    return _recorded("inv", lambda: np.linalg.inv(a), (x,), vjp)


def det(x):
    """The determinant of each square matrix."""
    x = square_matrices(x, "det")
    a = to_array(x)

    def vjp(g):
        scale = ops.expand_dims(ops.expand_dims(ops.multiply(g, det(x)), -1), -1)
        return (ops.multiply(scale, transposed(inv(x))),)

    return _recorded("det", lambda: np.linalg.det(a), (x,), vjp)


def slogdet(x):
    """`(sign, log|det|)` of each square matrix: the determinant without overflow."""
    x = square_matrices(x, "slogdet")
    a = to_array(x)
    sign = without_gradient(lambda: np.linalg.slogdet(values(x)[0])[0], (x,))

    def vjp(g):
        return (ops.multiply(ops.expand_dims(ops.expand_dims(g, -1), -1), transposed(inv(x))),)

    return sign, _recorded("slogdet", lambda: np.linalg.slogdet(a)[1], (x,), vjp)


def logdet(x):
    """`log(det(x))` of (symmetric positive definite) matrices, computed as `slogdet(x)[1]`."""
    return slogdet(x)[1]


def solve(a, b):
    """`x` with `a @ x = b`: `b` is a vector (1-D) or a batch of matrices `(..., n, k)`."""
    a = square_matrices(a, "solve")
    a, b = promoted(a, b, to_float=True)
    A, B = to_array(a), to_array(b)
    vector = B.ndim == 1

    def vjp(g):
        x = solve(a, b)
        gb = solve(transposed(a), g)
        if vector:
            ga = ops.negative(ops.multiply(ops.expand_dims(gb, -1), ops.expand_dims(x, -2)))
        else:
            ga = ops.negative(ops.matmul(gb, transposed(x)))
        return ga, gb

    return _recorded("solve", lambda: np.linalg.solve(A, B[..., None])[..., 0] if vector else np.linalg.solve(A, B),
                     (a, b), vjp)


def solve_triangular(a, b, lower=False):
    """`x` with `a @ x = b`, reading only the lower (`lower=True`) or upper triangle of `a`."""
    a = square_matrices(a, "solve_triangular")
    a, b = promoted(a, b, to_float=True)
    triangle = ops.tril(a) if lower else ops.triu(a)
    return solve(triangle, b)


def _phi(x):
    """The lower triangle with the diagonal halved."""
    n = np.shape(to_array(x))[-1]
    return ops.multiply(ops.tril(x), (1.0 - 0.5 * np.eye(n)).astype(to_array(x).dtype))


def cholesky(x, upper=False):
    """The Cholesky factor of symmetric positive definite matrices: lower `L` with `L @ L.T = x`
    (or upper `U = L.T` with `U.T @ U = x`)."""
    x = square_matrices(x, "cholesky")
    a = to_array(x)

    def compute():
        factor = np.linalg.cholesky(a)
        if np.isnan(factor).any():
            raise np.linalg.LinAlgError("Matrix is not positive definite")
        return np.swapaxes(factor, -1, -2) if upper else factor

    def vjp(g):
        factor = cholesky(x)
        if upper:
            g = transposed(g)
        # The symmetric rule (as JAX): gA = sym(L^-T Phi(L^T g) L^-1).
        inner = _phi(ops.matmul(transposed(factor), g))
        factor_inv = inv(factor)
        grad = ops.matmul(ops.matmul(transposed(factor_inv), inner), factor_inv)
        return (ops.multiply(ops.add(grad, transposed(grad)), 0.5),)

    return _recorded("cholesky", compute, (x,), vjp)


def cholesky_inverse(x, upper=False):
    """The inverse of `A` from its Cholesky factor `x` (lower, or upper with `upper=True`)."""
    x = square_matrices(x, "cholesky_inverse")
    identity = np.eye(np.shape(to_array(x))[-1], dtype=to_array(x).dtype)
    factor_inv = solve_triangular(x, identity, lower=not upper)
    if upper:
        return ops.matmul(factor_inv, transposed(factor_inv))
    return ops.matmul(transposed(factor_inv), factor_inv)


def _default_rcond(shape, dtype):
    return 10 * max(shape[-2:]) * np.finfo(dtype).eps


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse (singular values below `rcond * largest` count as 0)."""
    x = as_float(x)
    a = to_array(x)
    if a.ndim < 2:
        raise ValueError(f"`pinv` needs an input of rank >= 2, got shape {a.shape}.")
    cutoff = _default_rcond(a.shape, a.dtype) if rcond is None else rcond

    def compute():
        return np.linalg.pinv(a, rcond=cutoff).astype(a.dtype)

    def vjp(g):
        p = pinv(x, rcond)
        pt = transposed(p)
        m, n = a.shape[-2], a.shape[-1]
        left = ops.subtract(np.eye(m, dtype=a.dtype), ops.matmul(x, p))
        right = ops.subtract(np.eye(n, dtype=a.dtype), ops.matmul(p, x))
        gt = transposed(g)
        return (ops.add(ops.add(ops.negative(ops.matmul(ops.matmul(pt, g), pt)),
                                ops.matmul(ops.matmul(left, gt), ops.matmul(p, pt))),
                        ops.matmul(ops.matmul(pt, p), ops.matmul(gt, right))),)

    return _recorded("pinv", compute, (x,), vjp)


def lstsq(a, b, rcond=None):
    """The least-squares solution `x` of `a @ x ~= b` (the one of least norm when there are several)."""
    a, b = promoted(a, b, to_float=True)
    A, B = to_array(a), to_array(b)
    if A.ndim != 2 or B.ndim not in (1, 2) or B.shape[0] != A.shape[0]:
        raise ValueError(f"`lstsq` needs a matrix `a` (m, n) and `b` of shape (m,) or (m, k); got {A.shape} and "
                         f"{B.shape}.")
    cutoff = np.finfo(A.dtype).eps * max(A.shape) if rcond is None else rcond
    return ops.matmul(pinv(a, rcond=cutoff), b)


def matrix_rank(x, tol=None):
    """The number of singular values above `tol` (by default `max(m, n) * eps * largest`), as int32."""
    a = to_array(x)
    if a.ndim < 2:
        raise ValueError(f"`matrix_rank` needs an input of rank >= 2, got shape {a.shape}.")
    return without_gradient(lambda: np.asarray(np.linalg.matrix_rank(values(x)[0], tol=tol)).astype(np.int32), (x,))


def _lu_factor_values(a):
    """Gaussian elimination with partial pivoting, packed as LAPACK's getrf packs it: (lu, pivots)."""
    lu = np.array(a, copy=True)
    n = lu.shape[-1]
    pivots = np.zeros(lu.shape[:-2] + (min(lu.shape[-2:]),), np.int32)
    for k in range(min(lu.shape[-2:])):
        rows = np.argmax(np.abs(lu[..., k:, k]), axis=-1) + k
        pivots[..., k] = rows
        current = np.take_along_axis(lu, rows[..., None, None].repeat(n, -1), axis=-2)
        top = lu[..., k:k + 1, :].copy()
        np.put_along_axis(lu, rows[..., None, None].repeat(n, -1), top, axis=-2)
        lu[..., k:k + 1, :] = current
        pivot = lu[..., k, k]
        with np.errstate(divide="ignore", invalid="ignore"):
            lu[..., k + 1:, k] = lu[..., k + 1:, k] / pivot[..., None]
        lu[..., k + 1:, k + 1:] -= lu[..., k + 1:, k:k + 1] * lu[..., k:k + 1, k + 1:]
    return lu, pivots


def lu_factor(x):
    """The LU factorization with partial pivoting, as `scipy.linalg.lu_factor` gives it: `(lu, pivots)`,
    `L` (unit diagonal) and `U` packed in `lu`, and row `i` swapped with row `pivots[i]` (no gradient)."""
    x = as_float(x)
    if to_array(x).ndim < 2:
        raise ValueError(f"`lu_factor` needs an input of rank >= 2, got shape {to_array(x).shape}.")
    return without_gradient(lambda: _lu_factor_values(values(x)[0]), (x,))
