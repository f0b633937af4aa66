"""Parity of `nanokeras.losses` with real Keras 3 (JAX backend): values and gradients w.r.t. y_pred."""

import numpy as np
import pytest

import nanokeras as nk

RNG = np.random.default_rng(11)
N, C = 6, 4
T = RNG.random((N, C)).astype("float32")
P = RNG.uniform(0.02, 0.98, size=(N, C)).astype("float32")
P_EDGE = P.copy()
P_EDGE[0, 0], P_EDGE[1, 1], P_EDGE[2, 2] = 0.0, 1.0, 1.0  # clipped probabilities
LOGITS = (RNG.normal(size=(N, C)) * 4).astype("float32")
BINARY = (RNG.random((N, C)) > 0.5).astype("float32")
LABELS = RNG.integers(0, C, size=N)
ONE_HOT = np.eye(C, dtype="float32")[LABELS]
WEIGHTS = RNG.uniform(0, 2, size=N).astype("float32")
EMBEDDINGS = RNG.normal(size=(N, 3)).astype("float32")
EMBEDDINGS /= np.linalg.norm(EMBEDDINGS, axis=1, keepdims=True)
PROBS = P / P.sum(axis=1, keepdims=True)

# (function name, class name, kwargs, y_true, y_pred)
CASES = [
    ("mean_squared_error", "MeanSquaredError", {}, T, P),
    ("mean_absolute_error", "MeanAbsoluteError", {}, T, P),
    ("mean_absolute_percentage_error", "MeanAbsolutePercentageError", {}, T + 0.1, P),
    ("mean_squared_logarithmic_error", "MeanSquaredLogarithmicError", {}, T, P),
    ("cosine_similarity", "CosineSimilarity", {}, T, P),
    ("cosine_similarity", "CosineSimilarity", {"axis": 0}, T, P),
    ("huber", "Huber", {}, T, LOGITS),
    ("huber", "Huber", {"delta": 0.3}, T, P * 2),
    ("log_cosh", "LogCosh", {}, T, LOGITS),
    ("hinge", "Hinge", {}, BINARY, LOGITS),
    ("hinge", "Hinge", {}, BINARY * 2 - 1, LOGITS),
    ("squared_hinge", "SquaredHinge", {}, BINARY, LOGITS),
    ("categorical_hinge", "CategoricalHinge", {}, ONE_HOT, P),
    ("kl_divergence", "KLDivergence", {}, T, P),
    ("poisson", "Poisson", {}, T, P),
    ("binary_crossentropy", "BinaryCrossentropy", {}, BINARY, P),
    ("binary_crossentropy", "BinaryCrossentropy", {}, BINARY, P_EDGE),
    ("binary_crossentropy", "BinaryCrossentropy", {"label_smoothing": 0.1}, BINARY, P),
    ("binary_crossentropy", "BinaryCrossentropy", {"from_logits": True}, BINARY, LOGITS),
    ("binary_crossentropy", "BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.3}, T, LOGITS),
    ("binary_crossentropy", "BinaryCrossentropy", {"axis": 0}, BINARY, P),
    ("binary_focal_crossentropy", "BinaryFocalCrossentropy", {}, BINARY, P),
    (
        "binary_focal_crossentropy",
        "BinaryFocalCrossentropy",
        {"apply_class_balancing": True, "alpha": 0.4, "gamma": 3.0, "from_logits": True, "label_smoothing": 0.1},
        BINARY,
        LOGITS,
    ),
    ("categorical_crossentropy", "CategoricalCrossentropy", {}, ONE_HOT, P),
    ("categorical_crossentropy", "CategoricalCrossentropy", {}, ONE_HOT, P_EDGE),
    ("categorical_crossentropy", "CategoricalCrossentropy", {"label_smoothing": 0.2}, ONE_HOT, P),
    ("categorical_crossentropy", "CategoricalCrossentropy", {"from_logits": True}, ONE_HOT, LOGITS),
    ("categorical_crossentropy", "CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, T, LOGITS),
    ("categorical_crossentropy", "CategoricalCrossentropy", {"axis": 0}, ONE_HOT, P),
    ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", {}, LABELS, P),
    ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", {}, LABELS, P_EDGE),
    ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", {"from_logits": True}, LABELS, LOGITS),
    ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", {"from_logits": True}, LABELS[:, None], LOGITS),
    (
        "sparse_categorical_crossentropy",
        "SparseCategoricalCrossentropy",
        {"from_logits": True, "ignore_class": 1},
        LABELS,
        LOGITS,
    ),
    # Issue 13's losses.
    ("dice", "Dice", {}, BINARY, P),
    ("dice", "Dice", {"axis": -1}, T, P),
    ("dice", "Dice", {"axis": (1,)}, BINARY, P),
    ("tversky", "Tversky", {}, BINARY, P),
    ("tversky", "Tversky", {"alpha": 0.3, "beta": 0.7, "axis": -1}, T, P),
    ("circle", "Circle", {}, LABELS, EMBEDDINGS),
    ("circle", "Circle", {"gamma": 10.0, "margin": 0.25, "remove_diagonal": False}, LABELS, EMBEDDINGS),
    ("categorical_focal_crossentropy", "CategoricalFocalCrossentropy", {}, ONE_HOT, P),
    ("categorical_focal_crossentropy", "CategoricalFocalCrossentropy",
     {"alpha": 0.5, "gamma": 1.5, "from_logits": True, "label_smoothing": 0.1}, ONE_HOT, LOGITS),
    ("categorical_focal_crossentropy", "CategoricalFocalCrossentropy", {}, ONE_HOT, P_EDGE),
    ("categorical_generalized_cross_entropy", "CategoricalGeneralizedCrossEntropy", {"q": 0.5}, LABELS, PROBS),
    ("categorical_generalized_cross_entropy", "CategoricalGeneralizedCrossEntropy", {"q": 0.8}, LABELS, PROBS),
]
IDS = [f"{c[0]}-{'-'.join(f'{k}={v}' for k, v in c[2].items())}-{i}" for i, c in enumerate(CASES)]
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None]


def assert_close(ours, theirs, rtol):
    theirs = np.asarray(theirs)
    ours = np.asarray(ours)
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype == np.float32
    # relative tolerance, with an absolute floor at float32 rounding of the typical magnitude
    floor = rtol * max(1.0, float(np.max(np.abs(theirs)))) if theirs.size else 0
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=floor)


@pytest.mark.parametrize("fn_name, cls_name, kwargs, y_true, y_pred", CASES, ids=IDS)
def test_function_values(keras, fn_name, cls_name, kwargs, y_true, y_pred):
    theirs = getattr(keras.losses, fn_name)(y_true, y_pred, **kwargs)
    ours = getattr(nk.losses, fn_name)(y_true, y_pred, **kwargs)
    assert_close(ours, theirs, 1e-6)


@pytest.mark.parametrize("reduction", REDUCTIONS, ids=str)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("fn_name, cls_name, kwargs, y_true, y_pred", CASES, ids=IDS)
def test_class_values(keras, fn_name, cls_name, kwargs, y_true, y_pred, reduction, weighted):
    weights = WEIGHTS if weighted else None
    if weighted and kwargs.get("axis") == 0:
        weights = RNG.uniform(0, 2, size=C).astype("float32")
    theirs = getattr(keras.losses, cls_name)(reduction=reduction, **kwargs)(y_true, y_pred, sample_weight=weights)
    ours = getattr(nk.losses, cls_name)(reduction=reduction, **kwargs)(y_true, y_pred, sample_weight=weights)
    assert_close(ours, theirs, 1e-6)


@pytest.mark.parametrize("fn_name, cls_name, kwargs, y_true, y_pred", CASES, ids=IDS)
def test_gradients_wrt_predictions(keras, fn_name, cls_name, kwargs, y_true, y_pred):
    import jax
    import jax.numpy as jnp

    weights = None if kwargs.get("axis", -1) == 0 else WEIGHTS
    their_loss = getattr(keras.losses, cls_name)(**kwargs)
    theirs = jax.grad(lambda p: their_loss(y_true, p, sample_weight=weights))(jnp.asarray(y_pred))
    our_loss = getattr(nk.losses, cls_name)(**kwargs)
    w = nk.Variable(y_pred)
    with nk.GradientTape() as tape:
        value = our_loss(y_true, w, sample_weight=weights)
    ours = tape.gradient(value, w)
    assert_close(ours, theirs, 1e-5)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("op", ["binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"])
def test_fused_ops_match_keras_ops(keras, op, from_logits):
    import jax
    import jax.numpy as jnp

    y_pred = LOGITS if from_logits else P_EDGE
    y_true = {"binary_crossentropy": BINARY, "categorical_crossentropy": T, "sparse_categorical_crossentropy": LABELS}[op]
    theirs = getattr(keras.ops, op)(y_true, y_pred, from_logits=from_logits)
    assert_close(getattr(nk.ops, op)(y_true, y_pred, from_logits=from_logits), theirs, 1e-6)
    seed = RNG.normal(size=np.shape(theirs)).astype("float32")
    their_grad = jax.grad(lambda p: jnp.sum(getattr(keras.ops, op)(y_true, p, from_logits=from_logits) * seed))(
        jnp.asarray(y_pred)
    )
    w = nk.Variable(y_pred)
    with nk.GradientTape() as tape:
        value = nk.ops.sum(getattr(nk.ops, op)(y_true, w, from_logits=from_logits) * seed)
    assert_close(tape.gradient(value, w), their_grad, 1e-5)


def test_get_accepts_the_same_names(keras):
    from keras.src.losses import ALL_OBJECTS_DICT

    implemented = set(nk.losses.registry.ALL_OBJECTS)
    ours_missing = {name for name in ALL_OBJECTS_DICT if name not in implemented}
    assert not ours_missing, ours_missing
