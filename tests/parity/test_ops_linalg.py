"""`keras.ops.linalg` (and logdet, slogdet, jvp) against real Keras: values, dtypes, jax.grad.

Singular vectors and eigenvectors are unique only up to sign: those cases compare
sign-free quantities (squares of the vectors).
"""

import numpy as np
import pytest

from nanokeras import ops
from tests.parity.ops_parity import check_forward, check_gradients

rng = np.random.default_rng(0)
A = (rng.uniform(-1, 1, (3, 3)) + 3 * np.eye(3)).astype("float32")
AB = (rng.uniform(-1, 1, (2, 3, 3)) + 3 * np.eye(3)).astype("float32")
_s = rng.uniform(-1, 1, (2, 3, 3))
SPD = (_s @ np.swapaxes(_s, -1, -2) + 3 * np.eye(3)).astype("float32")
T = (rng.uniform(-1, 1, (4, 3)) + 2 * np.eye(4, 3)).astype("float32")
B = rng.uniform(-1, 1, (3, 2)).astype("float32")
V3 = rng.uniform(-1, 1, (3,)).astype("float32")


def sym(m, x):
    return m.multiply(m.add(x, m.swapaxes(x, -1, -2)), 0.5)


CASES = [
    ("inv", lambda m, x: m.linalg.inv(x), [AB]),
    ("det", lambda m, x: m.linalg.det(x), [AB]),
    ("slogdet", lambda m, x: m.slogdet(x)[1], [AB]),
    ("slogdet_sign", lambda m, x: m.multiply(m.slogdet(x)[0], m.slogdet(x)[1]), [-A]),
    ("logdet", lambda m, x: m.logdet(x), [SPD]),
    ("solve", lambda m, a, b: m.linalg.solve(a, b), [A, B]),
    ("solve_vector", lambda m, a, b: m.linalg.solve(a, b), [A, V3]),
    ("solve_batched", lambda m, a, b: m.linalg.solve(a, b), [AB, np.stack([B, B])]),
    ("solve_triangular", lambda m, a, b: m.linalg.solve_triangular(a, b), [A, B]),
    ("solve_triangular_lower", lambda m, a, b: m.linalg.solve_triangular(a, b, lower=True), [A, B]),
    ("cholesky", lambda m, x: m.linalg.cholesky(sym(m, x)), [SPD]),
    ("cholesky_upper", lambda m, x: m.linalg.cholesky(sym(m, x), upper=True), [SPD]),
    ("cholesky_inverse", lambda m, x: m.linalg.cholesky_inverse(m.tril(x)), [A]),
    ("cholesky_inverse_upper", lambda m, x: m.linalg.cholesky_inverse(m.triu(x), upper=True), [A]),
    ("pinv", lambda m, x: m.linalg.pinv(x), [T]),
    ("lstsq", lambda m, a, b: m.linalg.lstsq(a, b), [T, rng.uniform(-1, 1, (4, 2)).astype("float32")]),
    ("qr_q", lambda m, x: m.linalg.qr(x)[0], [T]),
    ("qr_r", lambda m, x: m.linalg.qr(x)[1], [T]),
    ("svd_values", lambda m, x: m.linalg.svd(x, compute_uv=False), [T]),
    ("svd_u_squared", lambda m, x: m.square(m.linalg.svd(x, full_matrices=False)[0]), [T]),
    ("svd_s", lambda m, x: m.linalg.svd(x, full_matrices=False)[1], [T]),
    ("svd_vh_squared", lambda m, x: m.square(m.linalg.svd(x, full_matrices=False)[2]), [T]),
    ("eigh_values", lambda m, x: m.linalg.eigh(x)[0], [SPD]),
    ("eigh_values_of_nonsymmetric", lambda m, x: m.linalg.eigh(x)[0], [A]),
    ("eigh_vectors_squared", lambda m, x: m.square(m.linalg.eigh(x)[1]), [SPD]),
    ("norm", lambda m, x: m.linalg.norm(x, ord="fro", axis=(-2, -1)), [AB]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_values_match_keras(keras, case):
    check_forward(keras, case[1], case[2], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_gradients_match_jax(keras, case):
    check_gradients(keras, case[1], case[2], rtol=1e-3, atol=1e-4)


def test_integer_results_and_complex_eigenvalues_match_keras(keras):
    check_forward(keras, lambda m: m.linalg.matrix_rank(np.ones((3, 3), "float32")), [])
    check_forward(keras, lambda m: m.linalg.matrix_rank(AB), [])
    ours, theirs = ops.linalg.eig(A), keras.ops.linalg.eig(A)
    assert ours[0].dtype == np.asarray(theirs[0]).dtype
    np.testing.assert_allclose(np.sort_complex(ours[0]), np.sort_complex(np.asarray(theirs[0])), rtol=1e-5)


def test_lu_factor_matches_keras(keras):
    check_forward(keras, lambda m: m.linalg.lu_factor(A), [], rtol=1e-5)
    check_forward(keras, lambda m: m.linalg.lu_factor(AB), [], rtol=1e-5)


def test_jvp_matches_keras(keras):
    def f(m, x, y):
        return m.sum(m.multiply(m.sin(x), y), axis=0)

    x, y = rng.uniform(-1, 1, (3, 2)).astype("float32"), rng.uniform(-1, 1, (3, 2)).astype("float32")
    tx, ty = np.ones((3, 2), "float32"), np.full((3, 2), 0.5, "float32")
    ours = ops.jvp(lambda a, b: f(ops, a, b), (x, y), (tx, ty))
    theirs = keras.ops.jvp(lambda a, b: f(keras.ops, a, b), (x, y), (tx, ty))
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o, np.asarray(t), rtol=1e-5)
