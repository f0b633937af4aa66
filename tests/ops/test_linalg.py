"""`keras.ops.linalg`: values against numpy, gradients (first and second order) vs finite differences, errors."""

import numpy as np
import pytest

from nanokeras import ops
from tests.ops.gradient_check import check_gradients, gradient_of

rng = np.random.default_rng(0)


def well_conditioned(*batch, n=3, seed=0):
    r = np.random.default_rng(seed)
    return r.uniform(-1, 1, size=batch + (n, n)) + 3 * np.eye(n)


def spd(*batch, n=3, seed=0):
    a = np.random.default_rng(seed).uniform(-1, 1, size=batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def tall(m=4, n=3, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, size=(m, n)) + np.eye(m, n) * 2


la = ops.linalg
CASES = [
    ("inv", la.inv, [well_conditioned()]),
    ("inv_batched", la.inv, [well_conditioned(2)]),
    ("det", la.det, [well_conditioned(2)]),
    ("slogdet", lambda x: ops.slogdet(x)[1], [well_conditioned()]),
    ("logdet", ops.logdet, [spd(2)]),
    ("solve_vector", la.solve, [well_conditioned(), rng.uniform(-1, 1, 3)]),
    ("solve_matrices", la.solve, [well_conditioned(2), rng.uniform(-1, 1, (2, 3, 2))]),
    ("solve_triangular_lower", lambda a, b: la.solve_triangular(a, b, lower=True), [well_conditioned(), rng.uniform(-1, 1, (3, 2))]),
    ("solve_triangular_upper", la.solve_triangular, [well_conditioned(), rng.uniform(-1, 1, (3, 2))]),
    ("cholesky", lambda a: la.cholesky(ops.multiply(ops.add(a, ops.swapaxes(a, -1, -2)), 0.5)), [spd(2)]),
    ("cholesky_upper", lambda a: la.cholesky(ops.multiply(ops.add(a, ops.swapaxes(a, -1, -2)), 0.5), upper=True), [spd()]),
    ("cholesky_inverse", lambda a: la.cholesky_inverse(ops.tril(a)), [well_conditioned()]),
    ("pinv_square", la.pinv, [well_conditioned()]),
    ("pinv_tall", la.pinv, [tall()]),
    ("pinv_wide", la.pinv, [tall().T]),
    ("lstsq", la.lstsq, [tall(), rng.uniform(-1, 1, (4, 2))]),
    ("qr_q", lambda a: la.qr(a)[0], [tall()]),
    ("qr_r", lambda a: la.qr(a)[1], [tall()]),
    ("svd_values", lambda a: la.svd(a, compute_uv=False), [tall()]),
    ("svd_u", lambda a: la.svd(a, full_matrices=False)[0], [tall()]),
    ("svd_s", lambda a: la.svd(a, full_matrices=False)[1], [tall().T]),
    ("svd_vh", lambda a: la.svd(a, full_matrices=False)[2], [tall().T]),
    ("svd_square_all", lambda a: ops.add(ops.sum(la.svd(a)[0]), ops.sum(la.svd(a)[2])), [well_conditioned()]),
    ("eigh_values", lambda a: la.eigh(a)[0], [spd()]),
    ("eigh_vectors", lambda a: la.eigh(a)[1], [spd()]),
    ("eigh_not_symmetric", lambda a: la.eigh(a)[0], [well_conditioned()]),
    ("norm", lambda a: la.norm(a, axis=-1), [tall()]),
]


@pytest.mark.parametrize("fn,inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradients_match_finite_differences(fn, inputs):
    check_gradients(fn, *inputs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["inv", "det", "solve_matrices", "cholesky", "pinv_tall", "qr_r", "svd_values",
                                  "eigh_values"])
def test_second_derivatives(name):
    fn, inputs = {c[0]: c[1:] for c in CASES}[name]
    check_gradients(gradient_of(fn), *inputs, rtol=1e-4, atol=1e-5)


def test_values_match_numpy():
    a, s, t = well_conditioned(2), spd(2), tall()
    np.testing.assert_allclose(la.inv(a), np.linalg.inv(a))
    np.testing.assert_allclose(la.det(a), np.linalg.det(a))
    np.testing.assert_allclose(la.cholesky(s), np.linalg.cholesky(s))
    np.testing.assert_allclose(la.cholesky(s, upper=True), np.swapaxes(np.linalg.cholesky(s), -1, -2))
    np.testing.assert_allclose(la.cholesky_inverse(np.linalg.cholesky(s)), np.linalg.inv(s), rtol=1e-10)
    np.testing.assert_allclose(la.solve_triangular(a, np.ones((2, 3, 1)), lower=True),
                               np.linalg.solve(np.tril(a), np.ones((2, 3, 1))))
    np.testing.assert_allclose(la.lstsq(t, np.ones(4)), np.linalg.lstsq(t, np.ones(4), rcond=None)[0])
    np.testing.assert_allclose(la.pinv(t), np.linalg.pinv(t), rtol=1e-10)
    np.testing.assert_allclose(la.svd(t, compute_uv=False), np.linalg.svd(t, compute_uv=False))
    assert la.matrix_rank(np.ones((3, 3))).item() == 1 and la.matrix_rank(a).dtype == np.int32
    sign, logabs = ops.slogdet(-a)
    np.testing.assert_allclose(sign * np.exp(logabs), np.linalg.det(-a))
    w, v = la.eig(np.array([[0.0, -1.0], [1.0, 0.0]], "float32"))
    assert w.dtype == np.complex64 and sorted(w.imag.tolist()) == [-1.0, 1.0]


def test_lu_factor_packs_the_pivoted_factors_as_lapack():
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]])
    lu, pivots = la.lu_factor(a)
    assert pivots.tolist() == [2, 2, 2] and pivots.dtype == np.int32
    lower, upper = np.tril(lu, -1) + np.eye(3), np.triu(lu)
    permuted = a.copy()
    for i, p in enumerate(pivots):
        permuted[[i, p]] = permuted[[p, i]]
    np.testing.assert_allclose(lower @ upper, permuted)
    batched = la.lu_factor(np.stack([a, a.T]))
    np.testing.assert_allclose(batched[0][0], lu)


def test_jvp_gives_directional_derivatives():
    x, t = np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.5, -2.0])
    out, tangent = ops.jvp(lambda v: ops.multiply(ops.sin(v), v), (x,), (t,))
    np.testing.assert_allclose(out, np.sin(x) * x)
    np.testing.assert_allclose(tangent, (np.cos(x) * x + np.sin(x)) * t)
    (a, b), tangents, aux = ops.jvp(lambda p, q: ((ops.matmul(p, q), ops.sum(p)), "aux"),
                                    (np.eye(2), np.ones((2, 2))), (np.ones((2, 2)), np.zeros((2, 2))), has_aux=True)
    np.testing.assert_allclose(tangents[0], np.ones((2, 2)) @ np.ones((2, 2)))
    assert float(tangents[1]) == 4.0 and aux == "aux"


@pytest.mark.parametrize("call,error,match", [
    (lambda: la.inv(np.ones((2, 3))), ValueError, "square"),
    (lambda: la.inv(np.zeros((2, 2))), ValueError, "singular"),
    (lambda: la.cholesky(-np.eye(2)), ValueError, "positive definite"),
    (lambda: la.qr(np.ones((2, 2)), mode="r"), ValueError, "mode"),
    (lambda: la.lstsq(np.ones((3, 2)), np.ones(2)), ValueError, "lstsq"),
    (lambda: la.matrix_rank(np.ones(3)), ValueError, "rank >= 2"),
    (lambda: la.pinv(np.ones(3)), ValueError, "rank >= 2"),
    (lambda: ops.jvp(ops.sin, (np.ones(2),), (np.ones(3),)), ValueError, "shape"),
])
def test_bad_arguments_are_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_unsupported_gradients_say_so():
    import nanokeras as keras

    w = keras.Variable(np.ones((2, 3)) + np.eye(2, 3))
    with keras.GradientTape() as tape:
        loss = ops.sum(la.qr(w)[1])
    with pytest.raises(NotImplementedError, match="at least as many rows"):
        tape.gradient(loss, w)
