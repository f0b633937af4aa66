"""Property tests (hypothesis): gradients of broadcasting ops over arbitrary broadcastable shapes.

A gradient flowing back into a broadcast input must be summed over the axes that
broadcasting added or stretched, whatever the shapes. Hypothesis draws the shapes;
it runs derandomized and without its example database, so every run is the same and
nothing is written to the working tree.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nanokeras as keras
from nanokeras import ops

REPRODUCIBLE = settings(derandomize=True, database=None, max_examples=60, deadline=None)
SHAPES = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3)


def _sum_to_shape(g, shape):
    """The reference rule: sum `g` over the leading axes broadcasting added and the 1-axes it stretched."""
    g = g.sum(axis=tuple(range(g.ndim - len(shape))))
    return g.sum(axis=tuple(i for i, d in enumerate(shape) if d == 1), keepdims=True).reshape(shape)


@pytest.mark.parametrize("op, partials", [
    (ops.add, lambda a, b: (np.ones_like(a * b), np.ones_like(a * b))),
    (ops.subtract, lambda a, b: (np.ones_like(a * b), -np.ones_like(a * b))),
    (ops.multiply, lambda a, b: (b + 0 * a, a + 0 * b)),
    (ops.divide, lambda a, b: (1 / b + 0 * a, -a / b**2)),
    (ops.maximum, lambda a, b: ((a > b) + 0.0 * b, (a < b) + 0.0 * a)),
], ids=["add", "subtract", "multiply", "divide", "maximum"])
@REPRODUCIBLE
@given(shapes=SHAPES, seed=st.integers(0, 2**16))
def test_binary_op_gradients_unbroadcast(op, partials, shapes, seed):
    (shape_a, shape_b), out_shape = shapes.input_shapes, shapes.result_shape
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 2.0, size=shape_a)
    b = rng.uniform(0.5, 2.0, size=shape_b) * rng.choice([-1.0, 1.0], size=shape_b)
    upstream = rng.normal(size=out_shape)
    va, vb = keras.Variable(a, dtype="float64"), keras.Variable(b, dtype="float64")
    with keras.GradientTape() as tape:
        objective = ops.sum(op(va, vb) * upstream)
    grad_a, grad_b = tape.gradient(objective, [va, vb])
    partial_a, partial_b = partials(a, b)
    np.testing.assert_allclose(np.asarray(grad_a), _sum_to_shape(upstream * partial_a, shape_a), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.asarray(grad_b), _sum_to_shape(upstream * partial_b, shape_b), rtol=1e-12, atol=1e-12)
    assert np.shape(grad_a) == shape_a and np.shape(grad_b) == shape_b


@REPRODUCIBLE
@given(shapes=SHAPES)
def test_forward_values_and_dtypes_equal_numpy(shapes):
    a = np.arange(int(np.prod(shapes.input_shapes[0])), dtype="float32").reshape(shapes.input_shapes[0])
    b = np.ones(shapes.input_shapes[1], dtype="float32") * 0.5
    out = ops.add(a, b)
    np.testing.assert_array_equal(out, a + b)
    assert out.dtype == np.float32 and out.shape == shapes.result_shape
