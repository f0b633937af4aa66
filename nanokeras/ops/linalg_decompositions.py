"""Matrix decompositions of `keras.ops.linalg`: `qr`, `svd`, `eigh`, `eig`.

Gradients follow JAX: `qr` for tall (or square) matrices in "reduced" mode,
`svd` for its singular values and, with `full_matrices=False`, for its vectors
too; `eigh` symmetrizes its input (only the symmetric part matters).
Eigenvectors and singular vectors are unique only up to sign: computations
that depend on their signs may differ between libraries.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> w, v = ops.linalg.eigh(np.array([[2.0, 0.0], [0.0, 1.0]]))
    >>> w.tolist()
    [1.0, 2.0]
"""

import numpy as np

from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import _recording_tapes, as_recordable, record, to_array
from nanokeras.ops.linalg_solvers import _linalg, inv, square_matrices, transposed
from nanokeras.ops.op_builders import as_float, values, without_gradient

__all__ = ["qr", "svd", "eigh", "eig"]


def _record_parts(op, compute, x, vjp_of_parts):
    """Records a decomposition returning several arrays: one node per part, each with its vjp.

    `vjp_of_parts(index, g)` is the input gradient for an upstream gradient `g` of part `index`.
    """
    parts = _linalg(op, compute)
    if not _recording_tapes:
        return parts
    parts = [as_recordable(p) for p in parts]
    nodes = []
    for i, part in enumerate(parts):
        def forward(i=i, part=part):
            np.copyto(part, _linalg(op, compute)[i])

        nodes.append(record(part, (x,), (lambda i: lambda g: (vjp_of_parts(i, g),))(i), forward))
    return tuple(nodes)


def _copy_lower_to_upper(m):
    """`tril(m) + tril(m, -1)^T`: the lower triangle mirrored."""
    return ops.add(ops.tril(m), transposed(ops.tril(m, -1)))


def qr(x, mode="reduced"):
    """The QR decomposition `x = q @ r`: `q` with orthonormal columns, `r` upper triangular.

    `mode="reduced"` gives `q` of shape (..., m, k), `r` (..., k, n) with `k = min(m, n)`;
    `"complete"` gives a square `q`.
    """
    if mode not in ("reduced", "complete"):
        raise ValueError(f"`mode` must be 'reduced' or 'complete', got {mode!r}.")
    x = as_float(x)
    a = to_array(x)
    if a.ndim < 2:
        raise ValueError(f"`qr` needs an input of rank >= 2, got shape {a.shape}.")
    m, n = a.shape[-2:]

    def vjp(index, g):
        if mode != "reduced" or m < n:
            raise NotImplementedError(
                "The gradient of `qr` is defined for matrices with at least as many rows as columns in "
                f"'reduced' mode (got shape {a.shape}, mode={mode!r}), as in JAX."
            )
        q, r = qr(x)
        g_q = g if index == 0 else ops.zeros_like(to_array(q))
        g_r = g if index == 1 else ops.zeros_like(to_array(r))
        inner = ops.subtract(ops.matmul(r, transposed(g_r)), ops.matmul(transposed(g_q), q))
        rhs = ops.add(g_q, ops.matmul(q, _copy_lower_to_upper(inner)))
        # rhs @ R^-T, as the solution of R @ X^T = rhs^T.
        return transposed(ops.matmul(inv(r), transposed(rhs)))

    return _record_parts("qr", lambda: np.linalg.qr(a, mode=mode), x, vjp)


def svd(x, full_matrices=True, compute_uv=True):
    """The singular value decomposition `x = u @ diag(s) @ vh`; with `compute_uv=False`, `s` alone."""
    x = as_float(x)
    a = to_array(x)
    if a.ndim < 2:
        raise ValueError(f"`svd` needs an input of rank >= 2, got shape {a.shape}.")
    if not compute_uv:
        def vjp_values(g):
            u, _, vh = svd(x, full_matrices=False)
            return ops.matmul(ops.multiply(u, ops.expand_dims(g, -2)), vh)

        return _record_parts("svd", lambda: (np.linalg.svd(a, compute_uv=False),), x,
                             lambda i, g: vjp_values(g))[0]

    m, n = a.shape[-2:]

    def vjp(index, g):
        if full_matrices and m != n:
            raise NotImplementedError(
                "The gradient of `svd` with singular vectors needs `full_matrices=False` (or square matrices), "
                "as in JAX."
            )
        u, s, vh = svd(x, full_matrices=False)
        v = transposed(vh)
        g_u = g if index == 0 else None
        g_s = g if index == 1 else None
        g_v = transposed(g) if index == 2 else None
        k = min(m, n)
        s_row, s_col = ops.expand_dims(s, -2), ops.expand_dims(s, -1)
        eye = np.eye(k, dtype=a.dtype)
        # F_ij = 1 / (s_j^2 - s_i^2) off the diagonal.
        difference = ops.subtract(ops.square(s_row), ops.square(s_col))
        f = ops.where(eye.astype(bool), 0.0, ops.divide(1.0, ops.where(eye.astype(bool), 1.0, difference)))
        grad = ops.zeros_like(a)
        if g_s is not None:
            grad = ops.add(grad, ops.matmul(ops.multiply(u, ops.expand_dims(g_s, -2)), vh))
        if g_u is not None:
            ut_gu = ops.matmul(transposed(u), g_u)
            j = ops.multiply(f, ops.subtract(ut_gu, transposed(ut_gu)))
            term = ops.matmul(ops.matmul(u, ops.multiply(j, s_row)), vh)
            if m > k:
                projection = ops.subtract(np.eye(m, dtype=a.dtype), ops.matmul(u, transposed(u)))
                term = ops.add(term, ops.matmul(ops.matmul(projection, ops.divide(g_u, s_row)), vh))
            grad = ops.add(grad, term)
        if g_v is not None:
            vt_gv = ops.matmul(transposed(v), g_v)
            j = ops.multiply(f, ops.subtract(vt_gv, transposed(vt_gv)))
            term = ops.matmul(ops.matmul(u, ops.multiply(s_col, j)), vh)
            if n > k:
                projection = ops.subtract(np.eye(n, dtype=a.dtype), ops.matmul(v, vh))
                term = ops.add(term, ops.matmul(ops.matmul(u, ops.divide(transposed(g_v), s_col)), projection))
            grad = ops.add(grad, term)
        return grad

    return _record_parts("svd", lambda: np.linalg.svd(a, full_matrices=full_matrices), x, vjp)


def eigh(x):
    """Eigenvalues (ascending) and eigenvectors (columns) of symmetric matrices.

    The input is symmetrized first, `(x + x.T) / 2`, as JAX does: the result and
    its gradient depend on the symmetric part only.
    """
    x = square_matrices(x, "eigh")
    a = to_array(x)

    def vjp(index, g):
        w, v = eigh(x)
        vt = transposed(v)
        if index == 0:
            inner = ops.multiply(ops.expand_dims(g, -1), np.eye(a.shape[-1], dtype=a.dtype))
        else:
            eye = np.eye(a.shape[-1], dtype=bool)
            difference = ops.subtract(ops.expand_dims(w, -2), ops.expand_dims(w, -1))
            f = ops.where(eye, 0.0, ops.divide(1.0, ops.where(eye, 1.0, difference)))
            inner = ops.multiply(f, ops.matmul(vt, g))
        grad = ops.matmul(ops.matmul(v, inner), vt)
        return ops.multiply(ops.add(grad, transposed(grad)), 0.5)

    return _record_parts("eigh", lambda: np.linalg.eigh((a + np.swapaxes(a, -1, -2)) / 2), x, vjp)


def eig(x):
    """Eigenvalues and eigenvectors of general square matrices, complex (no gradient)."""
    x = square_matrices(x, "eig")

    def compute():
        w, v = _linalg("eig", np.linalg.eig, values(x)[0])
        dtype = np.complex128 if to_array(x).dtype == np.float64 else np.complex64
        return w.astype(dtype), v.astype(dtype)

    return without_gradient(compute, (x,))
