"""Each loss against its formula written out with numpy, and its gradient against finite differences."""

import math
import warnings

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import losses

RNG = np.random.default_rng(7)
T = RNG.random((4, 3)).astype("float32")
P = (RNG.random((4, 3)) + 0.05).astype("float32")
LOGITS = (RNG.normal(size=(4, 3)) * 3).astype("float32")
LABELS = np.array([0, 2, 1, 1])
ONE_HOT = np.eye(3, dtype="float32")[LABELS]
BINARY = (T > 0.5).astype("float32")
EPS = 1e-7
# The clip bounds as float32 computes them (1 - 1e-7 rounds to 0.99999988).
LO, HI = float(np.float32(EPS)), float(np.float32(1 - EPS))


def close(actual, expected, rtol=2e-6):
    actual = np.asarray(actual)
    assert actual.dtype == np.float32
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=1e-6)


def f64(x):
    return np.asarray(x, dtype=np.float64)


def softplus(x):
    return np.logaddexp(0, x)


def log_softmax(x):
    x = f64(x)
    return x - np.log(np.sum(np.exp(x - x.max(-1, keepdims=True)), -1, keepdims=True)) - x.max(-1, keepdims=True)


# ------------------------------------------------------------------ regression


def test_mean_squared_and_absolute_errors():
    close(losses.mean_squared_error(T, P), np.mean((f64(T) - P) ** 2, -1))
    close(losses.mean_absolute_error(T, P), np.mean(np.abs(f64(T) - P), -1))
    assert losses.mse is losses.mean_squared_error and losses.mae is losses.mean_absolute_error


def test_mean_absolute_percentage_error_guards_zero_labels():
    t = np.array([[2.0, 0.0]], dtype="float32")
    p = np.array([[1.0, 1e-6]], dtype="float32")
    close(losses.mean_absolute_percentage_error(t, p), [100 * (0.5 + 1e-6 / EPS) / 2], rtol=1e-5)
    close(losses.mape(T, P), 100 * np.mean(np.abs((f64(T) - P) / f64(T)), -1), rtol=1e-5)


def test_mean_squared_logarithmic_error_floors_inputs_at_epsilon():
    p = np.array([[-3.0, 1.0]], dtype="float32")
    t = np.array([[0.0, 3.0]], dtype="float32")
    expected = np.mean((np.log([EPS + 1, 2.0]) - np.log([EPS + 1, 4.0])) ** 2)
    close(losses.msle(t, p), [expected])


def test_cosine_similarity():
    expected = -np.sum(
        f64(T) / np.linalg.norm(f64(T), axis=-1, keepdims=True) * P / np.linalg.norm(f64(P), axis=-1, keepdims=True),
        -1,
    )
    close(losses.cosine_similarity(T, P), expected)
    # a zero vector has similarity 0, not NaN
    close(losses.cosine_similarity(np.zeros((1, 2), "float32"), np.ones((1, 2), "float32")), [0.0])
    close(losses.cosine_similarity(T, P, axis=0), -np.sum(f64(T) / np.linalg.norm(f64(T), axis=0) * P / np.linalg.norm(f64(P), axis=0), 0))


@pytest.mark.parametrize("delta", [1.0, 0.3])
def test_huber(delta):
    err = f64(P) * 2 - T
    quad = 0.5 * err**2
    lin = delta * np.abs(err) - 0.5 * delta**2
    close(losses.huber(T, P * 2, delta=delta), np.mean(np.where(np.abs(err) <= delta, quad, lin), -1))


def test_log_cosh_is_stable_for_large_errors():
    x = f64(P) * 3 - T
    close(losses.log_cosh(T, P * 3), np.mean(np.log(np.cosh(x)), -1))
    close(losses.log_cosh(np.zeros((1, 1), "float32"), np.array([[200.0]], "float32")), [200.0 - math.log(2.0)])


# ---------------------------------------------------------------------- hinge


def test_hinge_losses_convert_binary_labels():
    p = P - 0.5
    signed = 2 * f64(BINARY) - 1
    margin = np.maximum(1 - signed * p, 0)
    close(losses.hinge(BINARY, p), np.mean(margin, -1))
    close(losses.hinge(signed, p), np.mean(margin, -1))
    close(losses.squared_hinge(BINARY, p), np.mean(margin**2, -1))
    # labels that are not all 0/1 are used as they are
    close(losses.hinge(T, p), np.mean(np.maximum(1 - f64(T) * p, 0), -1))


def test_categorical_hinge():
    pos = np.sum(ONE_HOT * f64(P), -1)
    neg = np.max((1 - ONE_HOT) * f64(P), -1)
    close(losses.categorical_hinge(ONE_HOT, P), np.maximum(neg - pos + 1, 0))


# --------------------------------------------------------------- probabilistic


def test_kl_divergence_and_poisson():
    t, p = np.clip(f64(T), EPS, 1), np.clip(f64(P), EPS, 1)
    close(losses.kl_divergence(T, P), np.sum(t * np.log(t / p), -1), rtol=1e-5)
    assert losses.kld is losses.kl_divergence is losses.kullback_leibler_divergence
    close(losses.poisson(T, P), np.mean(f64(P) - T * np.log(f64(P) + EPS), -1))


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_binary_crossentropy(smoothing):
    t = f64(BINARY) * (1 - smoothing) + 0.5 * smoothing
    p = np.clip(f64(P), LO, HI)  # P has entries above 1
    expected = np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p)), -1)
    close(losses.binary_crossentropy(BINARY, P, label_smoothing=smoothing), expected, rtol=1e-5)
    from_logits = np.mean(t * softplus(-f64(LOGITS)) + (1 - t) * softplus(LOGITS), -1)
    close(losses.binary_crossentropy(BINARY, LOGITS, from_logits=True, label_smoothing=smoothing), from_logits)
    close(losses.binary_crossentropy(BINARY, P, axis=0), np.mean(-(f64(BINARY) * np.log(p) + (1 - f64(BINARY)) * np.log(1 - p)), 0), rtol=1e-5)


@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_categorical_crossentropy(smoothing):
    t = f64(ONE_HOT) * (1 - smoothing) + smoothing / 3
    q = np.clip(f64(P) / np.sum(f64(P), -1, keepdims=True), EPS, 1 - EPS)
    close(losses.categorical_crossentropy(ONE_HOT, P, label_smoothing=smoothing), -np.sum(t * np.log(q), -1), rtol=1e-5)
    close(
        losses.categorical_crossentropy(ONE_HOT, LOGITS, from_logits=True, label_smoothing=smoothing),
        -np.sum(t * log_softmax(LOGITS), -1),
    )


def test_categorical_crossentropy_warns_for_one_class_and_rejects_bool_axis():
    with pytest.warns(SyntaxWarning, match="binary_crossentropy"):
        losses.categorical_crossentropy(np.ones((2, 1)), np.ones((2, 1)))
    with pytest.raises(ValueError, match="axis"):
        losses.categorical_crossentropy(ONE_HOT, P, axis=True)


def test_sparse_categorical_crossentropy_label_shapes():
    q = f64(P) / np.sum(f64(P), -1, keepdims=True)
    expected = -np.log(q[np.arange(4), LABELS])
    close(losses.sparse_categorical_crossentropy(LABELS, P), expected, rtol=1e-5)
    close(losses.sparse_categorical_crossentropy(LABELS[:, None], P), expected, rtol=1e-5)
    close(losses.sparse_categorical_crossentropy(LABELS.astype("float32"), P), expected, rtol=1e-5)
    close(
        losses.sparse_categorical_crossentropy(LABELS, LOGITS, from_logits=True),
        -log_softmax(LOGITS)[np.arange(4), LABELS],
    )


def test_sparse_ignore_class_zeroes_and_averages_over_the_rest():
    labels = np.array([0, -1, 1, -1])
    lp = log_softmax(LOGITS)
    expected = np.array([-lp[0, 0], 0.0, -lp[2, 1], 0.0])
    fn = losses.sparse_categorical_crossentropy(labels, LOGITS, from_logits=True, ignore_class=-1)
    close(fn, expected)
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
    assert float(loss(labels, LOGITS)) == pytest.approx(expected.sum() / 2, rel=1e-6)
    assert float(losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction="sum")(labels, P)) > 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # ignored rows must not produce NaN warnings
        losses.SparseCategoricalCrossentropy(ignore_class=-1)(labels, P)


@pytest.mark.parametrize("balance", [False, True])
def test_binary_focal_crossentropy(balance):
    t, p = f64(BINARY), 1 / (1 + np.exp(-f64(LOGITS)))
    pc = np.clip(p, EPS, 1 - EPS)
    bce = -(t * np.log(pc) + (1 - t) * np.log(1 - pc))
    p_t = t * p + (1 - t) * (1 - p)
    focal = (1 - p_t) ** 2.0 * bce
    if balance:
        focal *= t * 0.3 + (1 - t) * 0.7
    out = losses.binary_focal_crossentropy(BINARY, LOGITS, apply_class_balancing=balance, alpha=0.3, from_logits=True)
    close(out, np.mean(focal, -1), rtol=1e-5)


# ------------------------------------------------------------------- classes


@pytest.mark.parametrize(
    "loss, fn, kwargs",
    [
        (losses.MeanSquaredError(), losses.mean_squared_error, {}),
        (losses.MeanAbsoluteError(), losses.mean_absolute_error, {}),
        (losses.MeanAbsolutePercentageError(), losses.mean_absolute_percentage_error, {}),
        (losses.MeanSquaredLogarithmicError(), losses.mean_squared_logarithmic_error, {}),
        (losses.CosineSimilarity(axis=0), losses.cosine_similarity, {"axis": 0}),
        (losses.Huber(delta=0.1), losses.huber, {"delta": 0.1}),
        (losses.LogCosh(), losses.log_cosh, {}),
        (losses.Hinge(), losses.hinge, {}),
        (losses.SquaredHinge(), losses.squared_hinge, {}),
        (losses.CategoricalHinge(), losses.categorical_hinge, {}),
        (losses.KLDivergence(), losses.kl_divergence, {}),
        (losses.Poisson(), losses.poisson, {}),
        (losses.BinaryCrossentropy(label_smoothing=0.1), losses.binary_crossentropy, {"label_smoothing": 0.1}),
        (losses.BinaryFocalCrossentropy(gamma=1.5), losses.binary_focal_crossentropy, {"gamma": 1.5}),
        (losses.CategoricalCrossentropy(from_logits=True), losses.categorical_crossentropy, {"from_logits": True}),
    ],
)
def test_classes_average_their_function(loss, fn, kwargs):
    per_sample = np.asarray(fn(T, P, **kwargs))
    assert float(loss(T, P)) == pytest.approx(float(np.mean(per_sample)), rel=1e-6)
    weights = np.arange(per_sample.shape[0], dtype="float32") / 2
    summed = type(loss).from_config({**loss.get_config(), "reduction": "sum"})(T, P, weights)
    assert float(summed) == pytest.approx(float(np.sum(per_sample * weights)), rel=1e-6)


def test_binary_crossentropy_class_accepts_labels_n_against_outputs_n_by_1():
    bce = losses.BinaryCrossentropy()
    p = np.array([[0.8], [0.3]], dtype="float32")
    assert float(bce(np.array([1, 0]), p)) == pytest.approx(-(np.log(0.8) + np.log(0.7)) / 2, rel=1e-6)


def test_sparse_class_integer_labels_shape_n_by_1():
    scce = losses.SparseCategoricalCrossentropy(from_logits=True)
    expected = np.mean(-log_softmax(LOGITS)[np.arange(4), LABELS])
    assert float(scce(LABELS[:, None], LOGITS)) == pytest.approx(expected, rel=1e-6)


# ------------------------------------------------------------------ gradients


def numeric_grad(f, x, h=1e-6):
    x = f64(x)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (float(f(xp)) - float(f(xm))) / (2 * h)
    return grad


GRADIENT_CASES = [
    (losses.MeanSquaredError, {}, T, P),
    (losses.MeanAbsoluteError, {}, T, P),
    (losses.MeanAbsolutePercentageError, {}, T, P),
    (losses.MeanSquaredLogarithmicError, {}, T, P),
    (losses.CosineSimilarity, {}, T, P),
    (losses.Huber, {"delta": 0.4}, T, P * 2),
    (losses.LogCosh, {}, T, P * 3),
    (losses.Hinge, {}, BINARY, P - 0.55),
    (losses.SquaredHinge, {}, BINARY, P - 0.55),
    (losses.CategoricalHinge, {}, ONE_HOT, P),
    (losses.KLDivergence, {}, T, P),
    (losses.Poisson, {}, T, P),
    (losses.BinaryCrossentropy, {"label_smoothing": 0.1}, BINARY, P),
    (losses.BinaryCrossentropy, {"from_logits": True}, BINARY, LOGITS),
    (losses.BinaryFocalCrossentropy, {"from_logits": True, "apply_class_balancing": True}, BINARY, LOGITS),
    (losses.CategoricalCrossentropy, {"label_smoothing": 0.2}, ONE_HOT, P),
    (losses.CategoricalCrossentropy, {"from_logits": True}, ONE_HOT, LOGITS),
    (losses.SparseCategoricalCrossentropy, {}, LABELS, P),
    (losses.SparseCategoricalCrossentropy, {"from_logits": True}, LABELS, LOGITS),
]


@pytest.mark.parametrize("cls, kwargs, y_true, y_pred", GRADIENT_CASES, ids=lambda v: getattr(v, "__name__", None))
def test_gradient_with_respect_to_predictions(cls, kwargs, y_true, y_pred):
    loss = cls(dtype="float64", **kwargs)
    weights = np.array([1.0, 0.5, 2.0, 0.0])
    w = keras.Variable(f64(y_pred))
    with keras.GradientTape() as tape:
        value = loss(y_true, w, sample_weight=weights)
    grad = tape.gradient(value, w)
    expected = numeric_grad(lambda v: loss(y_true, v, sample_weight=weights), y_pred)
    np.testing.assert_allclose(grad, expected, rtol=1e-5, atol=1e-7)
