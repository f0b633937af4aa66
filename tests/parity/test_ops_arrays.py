"""Array manipulation, diagonals and products, creation against real Keras: values, dtypes, jax.grad."""

import numpy as np
import pytest

from tests.parity.ops_parity import check_forward, check_gradients

rng = np.random.default_rng(0)


def f(*shape):
    return rng.uniform(-2, 2, size=shape).astype("float32")


A23, B23, A34, V3, V4, C3 = f(2, 3), f(2, 3), f(3, 4), f(3), f(4), f(2, 3, 4)

DIFFERENTIABLE = [
    ("append", lambda m, a, b: m.append(a, b), [A23, V4]),
    ("append_axis", lambda m, a, b: m.append(a, b, axis=0), [A23, B23]),
    ("array_split", lambda m, x: m.array_split(x, 3, axis=1)[1], [A34]),
    ("hsplit", lambda m, x: m.hsplit(x, 2)[1], [A34]),
    ("vsplit", lambda m, x: m.vsplit(x, 3)[2], [A34]),
    ("dsplit", lambda m, x: m.dsplit(x, [1, 3])[1], [C3]),
    ("hstack", lambda m, a, b: m.hstack([a, b]), [A23, B23]),
    ("vstack", lambda m, a, b: m.vstack([a, b]), [V3, B23]),
    ("dstack", lambda m, a, b: m.dstack([a, b]), [A23, B23]),
    ("fliplr", lambda m, x: m.fliplr(x), [A34]),
    ("flipud", lambda m, x: m.flipud(x), [A34]),
    ("rot90", lambda m, x: m.rot90(x), [A34]),
    ("rot90_k3", lambda m, x: m.rot90(x, k=3, axes=(1, 2)), [C3]),
    ("roll", lambda m, x: m.roll(x, 5), [A34]),
    ("roll_axis", lambda m, x: m.roll(x, -1, axis=1), [A34]),
    ("unstack", lambda m, x: m.unstack(x, axis=1)[2], [A34]),
    ("copy", lambda m, x: m.copy(x), [A34]),
    ("get_item", lambda m, x: m.get_item(x, 1), [A34]),
    ("select", lambda m, a, b: m.select([a > 0.5, b < 0.0], [a, b], default=0.25), [A23, B23]),
    ("diag_vector", lambda m, x: m.diag(x, -1), [V3]),
    ("diag_matrix", lambda m, x: m.diag(x, 1), [A34]),
    ("diagflat", lambda m, x: m.diagflat(x), [A23]),
    ("diagonal", lambda m, x: m.diagonal(x, 1, 1, 2), [C3]),
    ("trace", lambda m, x: m.trace(x, -1, 0, 2), [C3]),
    ("kron", lambda m, a, b: m.kron(a, b), [A23, B23]),
    ("inner", lambda m, a, b: m.inner(a, b), [A23, B23]),
    ("vdot", lambda m, a, b: m.vdot(a, b), [A23, B23]),
    ("cross", lambda m, a, b: m.cross(a, b), [A23, B23]),
    ("cross_axes", lambda m, a, b: m.cross(a, b, axisa=0, axisb=0, axisc=0), [f(3, 2), f(3, 2)]),
    ("vander", lambda m, x: m.vander(x), [V4]),
    ("vander_n", lambda m, x: m.vander(x, 2, increasing=True), [V4]),
    ("meshgrid", lambda m, a, b: m.meshgrid(a, b)[1], [V3, V4]),
    ("meshgrid_ij", lambda m, a, b: m.meshgrid(a, b, indexing="ij")[0], [V3, V4]),
]

INTEGER = [
    ("append_int", lambda m: m.append(np.arange(3, dtype="int32"), np.array([1.5], "float32"))),
    ("hstack_mixed", lambda m: m.hstack([np.arange(3, dtype="int8"), np.arange(2, dtype="int32")])),
    ("roll_int", lambda m: m.roll(np.arange(6, dtype="int32").reshape(2, 3), (1, 2), axis=(0, 1))),
    ("select_int", lambda m: m.select([np.arange(5) < 2], [np.arange(5, dtype="int32")], default=7)),
    ("unravel_index", lambda m: m.unravel_index(np.array([1, 5, 7], "int32"), (2, 4))),
    ("trace_int8", lambda m: m.trace(np.ones((3, 3), "int8"))),
    ("trace_uint8", lambda m: m.trace(np.ones((3, 3), "uint8"))),
    ("kron_int", lambda m: m.kron(np.arange(4, dtype="int32").reshape(2, 2), np.ones((2, 1), "int8"))),
    ("vander_int", lambda m: m.vander(np.arange(3, dtype="int32"))),
    ("diag_int", lambda m: m.diag(np.arange(3, dtype="int32"), 1)),
    ("tri", lambda m: m.tri(3, 4, -1)), ("tri_int", lambda m: m.tri(3, dtype="int32")),
    ("logspace", lambda m: m.logspace(0.0, 2.0, 5)), ("geomspace", lambda m: m.geomspace(1.0, 100.0, 4)),
    ("bartlett", lambda m: m.bartlett(6)), ("blackman", lambda m: m.blackman(6)), ("hamming", lambda m: m.hamming(6)),
    ("hanning", lambda m: m.hanning(6)), ("kaiser", lambda m: m.kaiser(6, 4.0)),
    ("array", lambda m: m.array([1.0, 2.0])), ("array_dtype", lambda m: m.array([1, 2], dtype="int8")),
    ("empty_shape", lambda m: m.zeros_like(m.empty((2, 3)))), ("empty_like", lambda m: m.zeros_like(m.empty_like(A23))),
    ("view", lambda m: m.view(np.array([1.0, -2.0], "float32"), "int32")),
]


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=[c[0] for c in DIFFERENTIABLE])
def test_values_match_keras(keras, case):
    check_forward(keras, case[1], case[2])


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=[c[0] for c in DIFFERENTIABLE])
def test_gradients_match_jax(keras, case):
    check_gradients(keras, case[1], case[2])


@pytest.mark.parametrize("name,call", INTEGER, ids=[c[0] for c in INTEGER])
def test_integer_and_creation_results_match_keras(keras, name, call):
    check_forward(keras, call, [], rtol=1e-6)
