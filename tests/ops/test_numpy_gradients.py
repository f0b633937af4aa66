"""Every differentiable op in `ops.numpy`: tape gradients vs central finite differences (float64)."""

import numpy as np
import pytest

from nanokeras import ops
from tests.ops.gradient_check import check_gradients


def rand(*shape, low=-2.0, high=2.0, seed=0):
    return np.random.default_rng(seed + sum(shape)).uniform(low, high, size=shape)


def pos(*shape, seed=0):
    return rand(*shape, low=0.5, high=2.0, seed=seed)


# (id, fn, inputs): inputs avoid kinks and ties so finite differences are valid.
CASES = [
    ("add", ops.add, [rand(3, 4), rand(3, 4, seed=1)]),
    ("add_broadcast", ops.add, [rand(2, 3, 4), rand(3, 1, seed=1)]),
    ("add_scalar_array", ops.add, [rand(3), np.array(1.5)]),
    ("subtract_broadcast", ops.subtract, [rand(4, 1), rand(1, 3, seed=1)]),
    ("multiply_broadcast", ops.multiply, [rand(2, 3), rand(3, seed=1)]),
    ("divide_broadcast", ops.divide, [rand(2, 3), pos(2, 1, seed=1)]),
    ("negative", ops.negative, [rand(3)]),
    ("power", ops.power, [pos(3, 2), rand(3, 2, seed=1)]),
    ("power_broadcast", ops.power, [pos(2, 3), rand(3, seed=1)]),
    ("mod", ops.mod, [rand(5) + 5.3, np.array([1.7, 2.1, 1.3, 0.9, 1.1])]),
    ("maximum", ops.maximum, [rand(3, 4), rand(4, seed=1)]),
    ("minimum", ops.minimum, [rand(3, 4), rand(3, 1, seed=1)]),
    ("clip", lambda x: ops.clip(x, -1.0, 1.0), [np.array([-1.7, -0.3, 0.2, 0.9, 1.5])]),
    ("where", lambda a, b: ops.where(ops.greater(a, b), a, b * 2.0), [rand(3, 4), rand(4, seed=1)]),
    ("matmul_2d", ops.matmul, [rand(3, 4), rand(4, 2, seed=1)]),
    ("matmul_batched_broadcast", ops.matmul, [rand(2, 3, 4), rand(4, 5, seed=1)]),
    ("matmul_vec_mat", ops.matmul, [rand(4), rand(2, 4, 3, seed=1)]),
    ("matmul_mat_vec", ops.matmul, [rand(2, 3, 4), rand(4, seed=1)]),
    ("matmul_vec_vec", ops.matmul, [rand(4), rand(4, seed=1)]),
    ("dot_2d", ops.dot, [rand(3, 4), rand(4, 2, seed=1)]),
    ("dot_nd", ops.dot, [rand(2, 3, 4), rand(5, 4, 2, seed=1)]),
    ("dot_vec", ops.dot, [rand(2, 4), rand(4, seed=1)]),
    ("tensordot", lambda a, b: ops.tensordot(a, b, axes=([0, 2], [2, 0])), [rand(2, 3, 4), rand(4, 5, 2, seed=1)]),
    ("einsum_matmul", lambda a, b: ops.einsum("ij,jk->ik", a, b), [rand(3, 4), rand(4, 2, seed=1)]),
    ("einsum_ellipsis", lambda a, b: ops.einsum("...ij,jk", a, b), [rand(2, 3, 4), rand(4, 2, seed=1)]),
    ("einsum_summed_letter", lambda a, b: ops.einsum("ij,k->i", a, b), [rand(3, 4), rand(2, seed=1)]),
    ("outer", ops.outer, [rand(3), rand(2, 2, seed=1)]),
    ("exp", ops.exp, [rand(3, 2)]),
    ("exp2", ops.exp2, [rand(3)]),
    ("log", ops.log, [pos(3, 2)]),
    ("log2", ops.log2, [pos(3)]),
    ("log10", ops.log10, [pos(3)]),
    ("log1p", ops.log1p, [pos(3)]),
    ("expm1", ops.expm1, [rand(3)]),
    ("sqrt", ops.sqrt, [pos(3, 2)]),
    ("square", ops.square, [rand(3, 2)]),
    ("abs", ops.abs, [rand(5)]),
    ("reciprocal", ops.reciprocal, [pos(4)]),
    ("tanh", ops.tanh, [rand(4)]),
    ("sin", ops.sin, [rand(4)]),
    ("cos", ops.cos, [rand(4)]),
    ("tan", ops.tan, [rand(4, low=-1, high=1)]),
    ("arctan", ops.arctan, [rand(4)]),
    ("sinh", ops.sinh, [rand(4)]),
    ("cosh", ops.cosh, [rand(4)]),
    ("sum_all", ops.sum, [rand(3, 4)]),
    ("sum_axis", lambda x: ops.sum(x, axis=1), [rand(2, 3, 4)]),
    ("sum_axes_keepdims", lambda x: ops.sum(x, axis=(0, -1), keepdims=True), [rand(2, 3, 4)]),
    ("mean_all", ops.mean, [rand(3, 4)]),
    ("mean_axis", lambda x: ops.mean(x, axis=-1), [rand(3, 4)]),
    ("mean_list_axis_keepdims", lambda x: ops.mean(x, axis=[0, 2], keepdims=True), [rand(2, 3, 4)]),
    ("max_all", ops.max, [rand(3, 4)]),
    ("max_axis", lambda x: ops.max(x, axis=0), [rand(3, 4)]),
    ("min_axis_keepdims", lambda x: ops.min(x, axis=1, keepdims=True), [rand(3, 4)]),
    ("prod_axis", lambda x: ops.prod(x, axis=1), [rand(3, 4)]),
    ("prod_all", ops.prod, [rand(2, 3)]),
    ("var_all", ops.var, [rand(3, 4)]),
    ("var_axis", lambda x: ops.var(x, axis=0), [rand(3, 4)]),
    ("std_axis_keepdims", lambda x: ops.std(x, axis=1, keepdims=True), [rand(3, 4)]),
    ("cumsum_axis", lambda x: ops.cumsum(x, axis=1), [rand(3, 4)]),
    ("cumsum_flat", ops.cumsum, [rand(3, 4)]),
    ("sort", lambda x: ops.sort(x, axis=-1), [rand(3, 4)]),
    ("sort_axis0", lambda x: ops.sort(x, axis=0), [rand(3, 4)]),
    ("reshape", lambda x: ops.reshape(x, (4, -1)), [rand(2, 3, 2)]),
    ("transpose", lambda x: ops.transpose(x, (2, 0, 1)), [rand(2, 3, 4)]),
    ("transpose_negative_axes", lambda x: ops.transpose(x, (-1, 0, 1)), [rand(2, 3, 4)]),
    ("transpose_default", ops.transpose, [rand(2, 3)]),
    ("expand_dims", lambda x: ops.expand_dims(x, 1), [rand(2, 3)]),
    ("squeeze", lambda x: ops.squeeze(x, 1), [rand(2, 1, 3)]),
    ("ravel", ops.ravel, [rand(2, 3)]),
    ("moveaxis", lambda x: ops.moveaxis(x, 0, -1), [rand(2, 3, 4)]),
    ("swapaxes", lambda x: ops.swapaxes(x, 0, 2), [rand(2, 3, 4)]),
    ("broadcast_to", lambda x: ops.broadcast_to(x, (2, 3, 4)), [rand(3, 1)]),
    ("flip", lambda x: ops.flip(x, 1), [rand(2, 3)]),
    ("concatenate", lambda a, b: ops.concatenate([a, b], axis=1), [rand(2, 3), rand(2, 2, seed=1)]),
    ("stack", lambda a, b: ops.stack([a, b], axis=1), [rand(2, 3), rand(2, 3, seed=1)]),
    ("split", lambda x: ops.split(x, 2, axis=1)[1] * 2.0 + ops.split(x, 2, axis=1)[0], [rand(2, 4)]),
    ("split_indices", lambda x: ops.split(x, [1, 3], axis=0)[1], [rand(4, 2)]),
    ("take_axis", lambda x: ops.take(x, np.array([2, 0, 2]), axis=1), [rand(2, 3)]),
    ("take_flat", lambda x: ops.take(x, np.array([[0, 5], [5, 1]])), [rand(2, 3)]),
    ("take_along_axis", lambda x: ops.take_along_axis(x, np.array([[0, 2, 2], [1, 1, 0]]), axis=1), [rand(2, 3)]),
    ("take_along_axis_broadcast", lambda x: ops.take_along_axis(x, np.array([[2], [0]]), axis=1), [rand(2, 3)]),
    ("getitem_slice", lambda x: x[1:, ::2], [rand(3, 4)]),
    ("getitem_repeated_index", lambda x: x[np.array([0, 0, 2])], [rand(3, 2)]),
    ("getitem_int_ellipsis_newaxis", lambda x: x[1, ..., None, 1:], [rand(3, 2, 4)]),
    ("getitem_single_element", lambda x: x[2, 1] * x[0, 0], [rand(3, 2)]),
    ("getitem_mask", lambda x: x[np.array([True, False, True])], [rand(3, 2)]),
    ("tile", lambda x: ops.tile(x, (2, 3)), [rand(2, 3)]),
    ("tile_more_reps", lambda x: ops.tile(x, (2, 1, 2)), [rand(3)]),
    ("repeat_axis", lambda x: ops.repeat(x, 2, axis=0), [rand(2, 3)]),
    ("repeat_counts", lambda x: ops.repeat(x, np.array([1, 0, 3])), [rand(3)]),
    ("pad_constant", lambda x: ops.pad(x, ((1, 2), (0, 1)), constant_values=3.0), [rand(2, 3)]),
    ("pad_reflect", lambda x: ops.pad(x, ((1, 1), (2, 0)), mode="reflect"), [rand(3, 4)]),
    ("pad_symmetric", lambda x: ops.pad(x, 1, mode="symmetric"), [rand(2, 3)]),
    ("tril", ops.tril, [rand(3, 3)]),
    ("triu", lambda x: ops.triu(x, 1), [rand(3, 4)]),
    ("chain", lambda a, b: ops.sum(ops.exp(ops.matmul(a, b)) / 3.0, axis=0), [rand(2, 3) / 2, rand(3, 2, seed=1) / 2]),
]


@pytest.mark.parametrize("fn,inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradient_matches_finite_differences(fn, inputs):
    check_gradients(fn, *inputs)


def test_piecewise_constant_ops_have_zero_gradient():
    x = np.array([-1.3, 0.4, 2.6])
    for fn in (ops.sign, ops.round, ops.floor, ops.ceil, ops.trunc):
        check_gradients(lambda v: fn(v) + v * 2.0, x)


@pytest.mark.parametrize("key", [np.s_[1:, ::2], np.s_[1], np.s_[..., 0], np.s_[None, 2, 1], np.s_[2, 1],
                                 np.s_[np.array([0, 0, 2])], np.s_[np.array([True, False, True])]],
                         ids=["slices", "int", "ellipsis", "newaxis", "element", "repeated", "boolean"])
def test_slicing_gradients_are_numpys_add_at(key):
    # A basic key adds the gradient into a view at once: the same numbers as np.add.at, -0.0 included.
    from nanokeras.ops.numpy import _scatter_add

    x = np.zeros((3, 4), "float32")
    g = np.full(np.shape(x[key]), -0.0, "float32")
    g.flat[::2] = np.arange(1, g.size + 1, 2) if g.size > 1 else 1.0
    expected = np.zeros((3, 4), "float32")
    np.add.at(expected, key, g)
    got = _scatter_add(g, key, x.shape, x.dtype)
    np.testing.assert_array_equal(got, expected)
    assert np.array_equal(np.signbit(got), np.signbit(expected))
