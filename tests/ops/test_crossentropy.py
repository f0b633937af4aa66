"""Fused cross-entropy ops: values by hand, gradients against finite differences (float64)."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.ops.crossentropy import (
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)

EPS = 1e-7


def numeric_grad(f, x, h=1e-6):
    """Central differences of sum(f(x)) with respect to each element of x (float64)."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (np.sum(f(xp)) - np.sum(f(xm))) / (2 * h)
    return grad


def tape_grads(f, target, output, seed=None):
    t, o = keras.Variable(target, dtype="float64"), keras.Variable(output, dtype="float64")
    with keras.GradientTape() as tape:
        loss = f(t, o)
        if seed is not None:
            loss = loss * seed
        loss = keras.ops.sum(loss)
    gt, go = tape.gradient(loss, [t, o])
    return gt, go


# ------------------------------------------------------------------ values by hand


def test_binary_probabilities_value():
    t = np.array([[1.0, 0.0], [0.3, 1.0]], dtype="float32")
    o = np.array([[0.9, 0.2], [0.6, 0.5]], dtype="float32")
    expected = -(t * np.log(o) + (1 - t) * np.log(1 - o))
    out = binary_crossentropy(t, o)
    assert out.dtype == np.float32 and out.shape == (2, 2)
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_binary_clips_probabilities():
    out = binary_crossentropy(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    np.testing.assert_allclose(out, [-np.log(EPS)] * 2, rtol=1e-6)


def test_binary_logits_value_and_stability():
    x = np.array([-200.0, -3.0, 0.0, 2.5, 90.0], dtype="float32")
    t = np.array([1.0, 0.0, 1.0, 0.2, 1.0], dtype="float32")
    x64 = x.astype(np.float64)
    # -log(sigmoid(x)) = log(1 + exp(-x)), -log(1 - sigmoid(x)) = log(1 + exp(x))
    expected = t * np.logaddexp(0, -x64) + (1 - t) * np.logaddexp(0, x64)
    out = binary_crossentropy(t, x, from_logits=True)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    assert np.all(np.isfinite(out))
    # a confident correct prediction has a tiny but non-zero loss
    assert 0 < out[-1] < 1e-38


def test_categorical_probabilities_normalizes_then_clips():
    t = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], dtype="float32")
    o = np.array([[1.0, 3.0, 0.0], [0.5, 0.5, 0.0]], dtype="float32")
    out = categorical_crossentropy(t, o)
    np.testing.assert_allclose(out, [-np.log(0.75), -np.log(EPS)], rtol=1e-6)
    assert out.dtype == np.float32 and out.shape == (2,)


def test_categorical_logits_value():
    t = np.array([[0.1, 0.7, 0.2]], dtype="float32")
    x = np.array([[1.0, 2.0, -1.0]], dtype="float32")
    log_sm = x - np.log(np.sum(np.exp(x)))
    np.testing.assert_allclose(
        categorical_crossentropy(t, x, from_logits=True), -np.sum(t * log_sm, -1), rtol=1e-6
    )
    big = np.array([[1000.0, 0.0, -1000.0]], dtype="float32")
    np.testing.assert_allclose(
        categorical_crossentropy(np.array([[0.0, 1.0, 0.0]]), big, from_logits=True), [1000.0], rtol=1e-6
    )


def test_categorical_axis():
    t = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 0.0]], dtype="float32")
    o = np.array([[0.2, 0.6], [0.3, 0.2], [0.5, 0.2]], dtype="float32")
    out = categorical_crossentropy(t, o, axis=0)
    np.testing.assert_allclose(out, [-np.log(0.3), -np.log(0.6)], rtol=1e-6)


def test_sparse_matches_one_hot():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 4)).astype("float32")
    labels = np.array([0, 3, 1, 2, 2, 0])
    onehot = np.eye(4, dtype="float32")[labels]
    for from_logits in (False, True):
        o = x if from_logits else np.abs(x)
        np.testing.assert_allclose(
            sparse_categorical_crossentropy(labels, o, from_logits=from_logits),
            categorical_crossentropy(onehot, o, from_logits=from_logits),
            rtol=1e-6,
        )


def test_sparse_label_forms():
    o = np.array([[0.2, 0.8], [0.6, 0.4]], dtype="float32")
    expected = [-np.log(0.8), -np.log(0.6)]
    for labels in ([1, 0], np.array([[1], [0]]), np.array([1.0, 0.0]), np.array([1.9, 0.2])):
        np.testing.assert_allclose(sparse_categorical_crossentropy(labels, o), expected, rtol=1e-6)


def test_sparse_out_of_range_labels_give_zero_like_keras_on_jax():
    o = np.array([[0.2, 0.8], [0.6, 0.4], [0.5, 0.5]], dtype="float32")
    out = sparse_categorical_crossentropy(np.array([5, -1, 1]), o)
    np.testing.assert_allclose(out, [0.0, 0.0, -np.log(0.5)], rtol=1e-6)


def test_sparse_axis_and_higher_rank():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    labels = rng.integers(0, 3, size=(2, 4))
    onehot = np.moveaxis(np.eye(3, dtype="float32")[labels], -1, 1)
    np.testing.assert_allclose(
        sparse_categorical_crossentropy(labels, x, from_logits=True, axis=1),
        categorical_crossentropy(onehot, x, from_logits=True, axis=1),
        rtol=1e-6,
    )


# ------------------------------------------------------------------------ errors


def test_shape_mismatch_errors():
    with pytest.raises(ValueError, match=r"same shape.*target.shape=\(2,\).*output.shape=\(2, 1\)"):
        binary_crossentropy(np.zeros(2), np.zeros((2, 1)))
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        categorical_crossentropy(np.zeros(3), np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"\(3,\)"):
        sparse_categorical_crossentropy(np.zeros((3, 4)), np.ones((3, 4)))
    with pytest.raises(ValueError, match="rank"):
        categorical_crossentropy(np.array(1.0), np.array(1.0))
    with pytest.raises(TypeError, match="integer class labels"):
        sparse_categorical_crossentropy(np.array(["a"]), np.ones((1, 2)))


def test_float32_in_float32_out_everywhere():
    t = np.array([[0.0, 1.0]], dtype="float32")
    o = keras.Variable(np.array([[0.3, 0.7]], dtype="float32"))
    for f in (
        lambda: binary_crossentropy(t, o),
        lambda: binary_crossentropy(np.array([[0, 1]]), o, from_logits=True),
        lambda: categorical_crossentropy(t, o),
        lambda: categorical_crossentropy(t, o, from_logits=True),
        lambda: sparse_categorical_crossentropy(np.array([1]), o),
        lambda: sparse_categorical_crossentropy(np.array([1]), o, from_logits=True),
    ):
        assert isinstance(f(), np.ndarray) and f().dtype == np.float32
        with keras.GradientTape() as tape:
            loss = f()
        assert loss.dtype == np.float32
        assert tape.gradient(loss, o).dtype == np.float32


# -------------------------------------------------------------------- gradients


@pytest.mark.parametrize("from_logits", [False, True])
def test_binary_gradients_match_finite_differences(from_logits):
    rng = np.random.default_rng(2)
    t = rng.random((3, 4))
    o = rng.normal(size=(3, 4)) * 3 if from_logits else rng.uniform(0.05, 0.95, size=(3, 4))
    seed = rng.normal(size=(3, 4))
    f = lambda tt, oo: binary_crossentropy(tt, oo, from_logits=from_logits)  # noqa: E731
    gt, go = tape_grads(f, t, o, seed)
    np.testing.assert_allclose(go, numeric_grad(lambda v: f(t, v) * seed, o), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gt, numeric_grad(lambda v: f(v, o) * seed, t), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("axis", [-1, 0])
def test_categorical_gradients_match_finite_differences(from_logits, axis):
    rng = np.random.default_rng(3)
    t = rng.random((3, 4))  # soft labels that do not sum to one
    o = rng.normal(size=(3, 4)) * 2 if from_logits else rng.uniform(0.1, 1.0, size=(3, 4))
    seed = rng.normal(size=4 if axis == 0 else 3)
    f = lambda tt, oo: categorical_crossentropy(tt, oo, from_logits=from_logits, axis=axis)  # noqa: E731
    gt, go = tape_grads(f, t, o, seed)
    np.testing.assert_allclose(go, numeric_grad(lambda v: f(t, v) * seed, o), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gt, numeric_grad(lambda v: f(v, o) * seed, t), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_gradients_match_finite_differences(from_logits):
    rng = np.random.default_rng(4)
    labels = np.array([2, 0, 3, 7, -2])  # the last two are out of range
    o = rng.normal(size=(5, 4)) * 2 if from_logits else rng.uniform(0.1, 1.0, size=(5, 4))
    seed = rng.normal(size=5)
    w = keras.Variable(o, dtype="float64")
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(sparse_categorical_crossentropy(labels, w, from_logits=from_logits) * seed)
    grad = tape.gradient(loss, w)
    expected = numeric_grad(lambda v: sparse_categorical_crossentropy(labels, v, from_logits=from_logits) * seed, o)
    np.testing.assert_allclose(grad, expected, rtol=1e-6, atol=1e-8)
    assert np.all(grad[3:] == 0)


def test_gradient_is_zero_where_probabilities_are_clipped():
    t = np.array([1.0, 0.0, 1.0, 0.0, 0.5])
    o = np.array([0.0, 1.0, 1.0, 1e-9, 0.4])
    _, go = tape_grads(binary_crossentropy, t, o)
    # steps smaller than the distance to the clip bounds
    expected = numeric_grad(lambda v: binary_crossentropy(t, v), o, h=1e-10)
    expected[4] = numeric_grad(lambda v: binary_crossentropy(t[4:], v), o[4:])[0]
    np.testing.assert_allclose(go, expected, rtol=1e-6, atol=1e-8)
    assert np.all(go[:4] == 0) and go[4] != 0


def test_categorical_clipped_class_passes_no_gradient_through_its_log():
    t = np.array([[1.0, 0.0, 0.0]])
    o = np.array([[1e-9, 0.5, 0.5]])  # class 0 is clipped up to epsilon
    _, go = tape_grads(categorical_crossentropy, t, o)
    np.testing.assert_allclose(go, np.zeros((1, 3)), atol=1e-12)
    sparse = keras.Variable(o)
    with keras.GradientTape() as tape:
        loss = sparse_categorical_crossentropy(np.array([0]), sparse)
    np.testing.assert_allclose(tape.gradient(loss, sparse), np.zeros((1, 3)), atol=1e-12)


def test_gradient_at_the_clip_bound_is_halved_like_jax():
    # JAX's clip = min(max(x, lo), hi) splits the gradient evenly at a tie.
    t = np.array([1.0, 0.0])
    o = np.array([EPS, 1 - EPS])
    _, go = tape_grads(binary_crossentropy, t, o)
    np.testing.assert_allclose(go, [-0.5 / EPS, 0.5 / EPS], rtol=1e-9)


def test_watched_numpy_array_and_untracked_target():
    o = np.array([[0.2, 0.5, 0.3]])
    with keras.GradientTape() as tape:
        tape.watch(o)
        loss = categorical_crossentropy(np.array([[0.0, 1.0, 0.0]]), o)
        grad = tape.gradient(loss, o)  # a watched array is a source only while the tape is open
    np.testing.assert_allclose(grad, [[1.0, -1.0, 1.0]], rtol=1e-9)


def test_untracked_inputs_record_nothing():
    with keras.GradientTape() as tape:
        out = binary_crossentropy(np.array([1.0]), np.array([0.5]))
    assert isinstance(out, np.ndarray)
    assert tape._nodes == []


def test_exported_from_ops():
    for name in ("binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"):
        # keras.ops wraps each op so it also accepts symbolic tensors (functional API).
        assert getattr(keras.ops, name).__wrapped__ is globals()[name]


# ------------------------------------------------------------ second derivatives


@pytest.mark.parametrize(
    "f, target, output",
    [
        (lambda t, o: binary_crossentropy(t, o), np.array([1.0, 0.0, 0.3]), np.array([0.3, 0.6, 0.5])),
        (lambda t, o: binary_crossentropy(t, o, from_logits=True), np.array([1.0, 0.0, 0.3]), np.array([0.3, -2.0, 1.5])),
        (lambda t, o: categorical_crossentropy(t, o), np.array([[0.2, 0.8, 0.0]]), np.array([[0.3, 0.5, 0.4]])),
        (
            lambda t, o: categorical_crossentropy(t, o, from_logits=True),
            np.array([[0.2, 0.8, 0.0]]),
            np.array([[0.3, -1.0, 2.0]]),
        ),
        (lambda t, o: sparse_categorical_crossentropy(np.array([2]), o), None, np.array([[0.3, 0.5, 0.4]])),
        (
            lambda t, o: sparse_categorical_crossentropy(np.array([0]), o, from_logits=True),
            None,
            np.array([[0.3, -1.0, 2.0]]),
        ),
    ],
)
def test_second_derivative_through_an_outer_tape(f, target, output):
    """The gradient of (d loss / d output) . v matches finite differences of the first gradient."""
    v = np.linspace(0.5, 1.5, output.size).reshape(output.shape)

    def first_grad(o_value):
        o = keras.Variable(o_value, dtype="float64")
        with keras.GradientTape() as tape:
            loss = keras.ops.sum(f(target, o))
        return tape.gradient(loss, o)

    o = keras.Variable(output, dtype="float64")
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            loss = keras.ops.sum(f(target, o))
        g = inner.gradient(loss, o)
        directional = keras.ops.sum(g * v)
    hessian_v = outer.gradient(directional, o)
    expected = numeric_grad(lambda x: np.sum(first_grad(x) * v), output)
    np.testing.assert_allclose(hessian_v, expected, rtol=1e-5, atol=1e-7)
