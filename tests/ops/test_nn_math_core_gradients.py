"""Gradients of `ops.nn`, `ops.math` and `ops.core` vs finite differences, and second derivatives."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from tests.ops.gradient_check import check_gradients, gradient_of


def rand(*shape, low=-3.0, high=3.0, seed=0):
    x = np.random.default_rng(seed + sum(shape)).uniform(low, high, size=shape)
    # keep clear of the kinks at 0, +-3 and 6 so finite differences are valid
    for kink in (0.0, 3.0, -3.0, 6.0):
        x = np.where(np.abs(x - kink) < 0.05, x + 0.1, x)
    return x


CASES = [
    ("sigmoid", ops.sigmoid, [rand(3, 4)]),
    ("relu", ops.relu, [rand(3, 4)]),
    ("relu6", ops.relu6, [rand(3, 4, low=-2, high=8)]),
    ("leaky_relu", lambda x: ops.leaky_relu(x, negative_slope=0.3), [rand(3, 4)]),
    ("elu", lambda x: ops.elu(x, alpha=0.7), [rand(3, 4)]),
    ("selu", ops.selu, [rand(3, 4)]),
    ("celu", lambda x: ops.celu(x, alpha=1.5), [rand(3, 4)]),
    ("softplus", ops.softplus, [rand(3, 4)]),
    ("softsign", ops.softsign, [rand(3, 4)]),
    ("silu", ops.silu, [rand(3, 4)]),
    ("log_sigmoid", ops.log_sigmoid, [rand(3, 4)]),
    ("hard_sigmoid", ops.hard_sigmoid, [rand(3, 4, low=-5, high=5)]),
    ("hard_silu", ops.hard_silu, [rand(3, 4, low=-5, high=5)]),
    ("hard_tanh", ops.hard_tanh, [rand(3, 4)]),
    ("gelu_approximate", ops.gelu, [rand(3, 4)]),
    ("gelu_exact", lambda x: ops.gelu(x, approximate=False), [rand(3, 4)]),
    ("glu", ops.glu, [rand(3, 4)]),
    ("mish", ops.nn.mish, [rand(3, 4)]),
    ("softmax_last", ops.softmax, [rand(3, 4)]),
    ("softmax_axis0", lambda x: ops.softmax(x, axis=0), [rand(3, 4)]),
    ("log_softmax", ops.log_softmax, [rand(3, 4)]),
    ("log_softmax_axis0", lambda x: ops.log_softmax(x, axis=0), [rand(3, 4)]),
    ("moments", lambda x: ops.concatenate(ops.moments(x, axes=[0]), axis=0), [rand(3, 4)]),
    ("batch_normalization", lambda x, m, v, b, s: ops.batch_normalization(x, m, v, axis=-1, offset=b, scale=s),
     [rand(3, 4), rand(4, seed=1), rand(4, low=0.5, high=2, seed=2), rand(4, seed=3), rand(4, seed=4)]),
    ("logsumexp_all", ops.logsumexp, [rand(3, 4)]),
    ("logsumexp_axis", lambda x: ops.logsumexp(x, axis=1), [rand(3, 4)]),
    ("logsumexp_keepdims", lambda x: ops.logsumexp(x, axis=0, keepdims=True), [rand(3, 4)]),
    ("top_k_values", lambda x: ops.top_k(x, 2)[0], [rand(3, 4)]),
    ("norm_vector", lambda x: ops.norm(x), [rand(5)]),
    ("norm_axis", lambda x: ops.norm(x, axis=1), [rand(3, 4)]),
    ("norm_l1", lambda x: ops.norm(x, ord=1, axis=0), [rand(3, 4)]),
    ("norm_p3", lambda x: ops.norm(x, ord=3, axis=-1, keepdims=True), [rand(3, 4)]),
    ("norm_inf", lambda x: ops.norm(x, ord=np.inf, axis=-1), [rand(3, 4)]),
    ("norm_fro", lambda x: ops.norm(x, ord="fro", axis=(0, 1)), [rand(3, 4)]),
    ("norm_matrix_1", lambda x: ops.norm(x, ord=1), [rand(3, 4)]),
    ("norm_matrix_inf", lambda x: ops.norm(x, ord=np.inf), [rand(3, 4)]),
    ("norm_matrix_2", lambda x: ops.norm(x, ord=2), [rand(3, 4)]),
    ("norm_nuclear", lambda x: ops.norm(x, ord="nuc"), [rand(3, 4)]),
    ("erf", ops.erf, [rand(5)]),
    ("erfc", ops.erfc, [rand(5)]),
    ("rsqrt", ops.rsqrt, [rand(5, low=0.5, high=3)]),
    ("segment_sum", lambda x: ops.segment_sum(x, np.array([0, 2, 0, 1]), num_segments=3), [rand(4, 2)]),
    # The float32 forward pass loses digits: finite differences need a larger step and tolerance.
    ("cast_float", lambda x: ops.cast(x, "float32") * 1.0, [rand(3)], dict(rtol=1e-2, atol=1e-3, eps=1e-3)),
    ("slice", lambda x: ops.slice(x, [1, 0], [2, 2]), [rand(3, 4)]),
    ("slice_update", lambda x, u: ops.slice_update(x, [1, 1], u), [rand(3, 4), rand(2, 2, seed=1)]),
    ("convert_to_tensor_keeps_tracking", lambda x: ops.convert_to_tensor(x) * 2.0, [rand(3)]),
]


@pytest.mark.parametrize("fn,inputs,tolerance", [(c[1], c[2], c[3] if len(c) > 3 else {}) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_gradient_matches_finite_differences(fn, inputs, tolerance):
    check_gradients(fn, *inputs, **tolerance)


def test_stop_gradient_blocks_the_gradient():
    x = keras.Variable(np.array([1.0, 2.0]), dtype="float64")
    with keras.GradientTape() as tape:
        y = ops.sum(x * ops.stop_gradient(x))
    np.testing.assert_allclose(tape.gradient(y, x), [1.0, 2.0])


def test_cast_to_int_has_no_gradient():
    x = keras.Variable(np.array([1.5, 2.5]), dtype="float64")
    with keras.GradientTape() as tape:
        y = ops.sum(ops.cast(x, "int32"))
    assert tape.gradient(y, x) is None


SECOND_ORDER = [
    ("multiply", lambda x: x * x * x, rand(3)),
    ("divide", lambda x: 1.0 / (x + 5.0), rand(3)),
    ("exp", ops.exp, rand(3)),
    ("log", ops.log, rand(3, low=0.5, high=2)),
    ("sqrt", ops.sqrt, rand(3, low=0.5, high=2)),
    ("tanh", ops.tanh, rand(3)),
    ("sin", ops.sin, rand(3)),
    ("power", lambda x: ops.power(x, 3.0), rand(3, low=0.5, high=2)),
    ("sigmoid", ops.sigmoid, rand(3)),
    ("softplus", ops.softplus, rand(3)),
    ("softmax", ops.softmax, rand(2, 3)),
    ("log_softmax", ops.log_softmax, rand(2, 3)),
    ("logsumexp", lambda x: ops.logsumexp(x, axis=-1), rand(2, 3)),
    ("gelu_exact", lambda x: ops.gelu(x, approximate=False), rand(3)),
    ("elu", ops.elu, rand(4)),
    ("matmul", lambda x: ops.matmul(x, ops.transpose(x)), rand(2, 3)),
    ("einsum", lambda x: ops.einsum("ij,ij->i", x, x) * ops.sum(x), rand(2, 3)),
    ("getitem", lambda x: ops.square(x[1:]), rand(3)),
    ("mean_var", lambda x: ops.var(x, axis=0) * ops.mean(x, axis=0), rand(3, 2)),
    ("max", lambda x: ops.max(ops.square(x), axis=0), rand(3, 2)),
]


@pytest.mark.parametrize("fn,x", [c[1:] for c in SECOND_ORDER], ids=[c[0] for c in SECOND_ORDER])
def test_second_derivative_matches_finite_differences(fn, x):
    check_gradients(gradient_of(fn), x, rtol=1e-4, atol=1e-5)
