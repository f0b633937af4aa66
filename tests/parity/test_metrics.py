"""nanokeras.metrics against real Keras 3: the same batches give the same results."""

import zlib

import numpy as np
import pytest

from nanokeras import metrics

N, C = 6, 4


def _rng(seed):
    return np.random.default_rng(seed)


def _binary(rng, n=N):
    return (rng.integers(0, 2, (n, 1)).astype("float32"),
            rng.uniform(0, 1, (n, 1)).astype("float32"))


def _binary_flat(rng, n=N):
    t, p = _binary(rng, n)
    return t[:, 0], p[:, 0]


def _binary_mixed(rng, n=N):  # (n,) labels with (n, 1) predictions
    t, p = _binary(rng, n)
    return t[:, 0], p


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype("float32")


def _categorical(rng, n=N):
    labels = rng.integers(0, C, n)
    return np.eye(C, dtype="float32")[labels], _softmax(rng.normal(size=(n, C)))


def _sparse(rng, n=N):
    return rng.integers(0, C, n).astype("float32"), _softmax(rng.normal(size=(n, C)))


def _sparse_column(rng, n=N):
    t, p = _sparse(rng, n)
    return t[:, None], p


def _sparse_int(rng, n=N):
    t, p = _sparse(rng, n)
    return t.astype("int64"), p


def _logits(rng, n=N):
    labels = rng.integers(0, C, n)
    return np.eye(C, dtype="float32")[labels], rng.normal(size=(n, C)).astype("float32") * 3


def _binary_logits(rng, n=N):
    return (rng.integers(0, 2, (n, 1)).astype("float32"),
            rng.normal(size=(n, 1)).astype("float32") * 3)


def _regression(rng, n=N):
    return (rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 3)).astype("float32"))


def _positive(rng, n=N):
    return (rng.uniform(0, 3, (n, 3)).astype("float32"), rng.uniform(0, 3, (n, 3)).astype("float32"))


def _multilabel(rng, n=N):
    return (rng.integers(0, 2, (n, C)).astype("float32"),
            rng.uniform(0, 1, (n, C)).astype("float32"))


def _sparse_ids(rng, n=N):
    return rng.integers(0, C, n), rng.integers(0, C, n)


def _equal_values(rng, n=N):
    t = rng.integers(0, 3, (n, 1)).astype("float32")
    p = np.where(rng.uniform(size=(n, 1)) < 0.5, t, t + 1).astype("float32")
    return t, p


CASES = [
    ("Accuracy", {}, _equal_values),
    ("BinaryAccuracy", {}, _binary),
    ("BinaryAccuracy", {}, _binary_flat),
    ("BinaryAccuracy", {}, _binary_mixed),
    ("BinaryAccuracy", {"threshold": 0.3}, _binary),
    ("CategoricalAccuracy", {}, _categorical),
    ("SparseCategoricalAccuracy", {}, _sparse),
    ("SparseCategoricalAccuracy", {}, _sparse_column),
    ("SparseCategoricalAccuracy", {}, _sparse_int),
    ("TopKCategoricalAccuracy", {"k": 2}, _categorical),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, _sparse),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, _sparse_column),
    ("MeanSquaredError", {}, _regression),
    ("MeanAbsoluteError", {}, _regression),
    ("MeanAbsolutePercentageError", {}, _regression),
    ("MeanSquaredLogarithmicError", {}, _positive),
    ("RootMeanSquaredError", {}, _regression),
    ("CosineSimilarity", {}, _regression),
    ("LogCoshError", {}, _regression),
    ("BinaryCrossentropy", {}, _binary),
    ("BinaryCrossentropy", {"from_logits": True}, _binary_logits),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, _binary),
    ("CategoricalCrossentropy", {}, _categorical),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, _logits),
    ("SparseCategoricalCrossentropy", {}, _sparse),
    ("SparseCategoricalCrossentropy", {}, _sparse_column),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, _sparse),
    ("SparseCategoricalCrossentropy", {"ignore_class": 0}, _sparse),
    ("KLDivergence", {}, _categorical),
    ("Poisson", {}, _positive),
    ("TruePositives", {}, _binary),
    ("FalsePositives", {"thresholds": [0.2, 0.5, 0.8]}, _binary),
    ("TrueNegatives", {}, _binary_flat),
    ("FalseNegatives", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, _binary),
    ("Precision", {}, _binary),
    ("Precision", {"thresholds": [0.3, 0.6]}, _binary),
    ("Precision", {"top_k": 2}, _multilabel),
    ("Precision", {"class_id": 1}, _multilabel),
    ("Recall", {}, _binary),
    ("Recall", {"top_k": 1, "class_id": 2}, _multilabel),
    ("Recall", {"thresholds": [0.0, 0.5, 1.0]}, _binary_flat),
    ("AUC", {}, _binary),
    ("AUC", {"curve": "PR"}, _binary),
    ("AUC", {"curve": "PR", "summation_method": "minoring"}, _binary),
    ("AUC", {"summation_method": "majoring"}, _multilabel),
    ("AUC", {"curve": "PRGAIN"}, _binary),
    ("AUC", {"num_thresholds": 7, "from_logits": True}, _binary_logits),
    ("AUC", {"thresholds": [0.1, 0.4, 0.45, 0.9]}, _binary),
    ("AUC", {"multi_label": True}, _multilabel),
    ("AUC", {"multi_label": True, "curve": "PR", "label_weights": [1, 2, 0, 1]}, _multilabel),
    # Issue 13's metrics.
    ("F1Score", {}, _multilabel),
    ("F1Score", {"average": "micro", "threshold": 0.5}, _multilabel),
    ("F1Score", {"average": "macro"}, _categorical),
    ("F1Score", {"average": "weighted", "threshold": 0.4}, _multilabel),
    ("FBetaScore", {"beta": 2.0}, _multilabel),
    ("FBetaScore", {"beta": 0.5, "average": "macro", "threshold": 0.6}, _multilabel),
    ("R2Score", {}, _regression),
    ("R2Score", {"class_aggregation": None}, _regression),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, _regression),
    ("PearsonCorrelation", {}, _regression),
    ("ConcordanceCorrelation", {}, _regression),
    ("Hinge", {}, _binary_logits),
    ("SquaredHinge", {}, _binary_logits),
    ("CategoricalHinge", {}, _categorical),
    ("IoU", {"num_classes": C, "target_class_ids": [0, 2], "dtype": "float32"}, _sparse_ids),
    ("MeanIoU", {"num_classes": C, "dtype": "float32"}, _sparse_ids),
    ("MeanIoU", {"num_classes": C, "dtype": "float32", "ignore_class": 1}, _sparse_ids),
    ("MeanIoU", {"num_classes": C, "dtype": "float32", "sparse_y_pred": False}, _sparse),
    ("BinaryIoU", {"dtype": "float32"}, _binary),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3, "dtype": "float32"}, _binary),
    ("OneHotIoU", {"num_classes": C, "target_class_ids": [1, 3], "dtype": "float32"}, _categorical),
    ("OneHotMeanIoU", {"num_classes": C, "dtype": "float32"}, _categorical),
    ("PrecisionAtRecall", {"recall": 0.5}, _binary),
    ("PrecisionAtRecall", {"recall": 0.8, "num_thresholds": 7}, _binary),
    ("RecallAtPrecision", {"precision": 0.6}, _binary),
    ("RecallAtPrecision", {"precision": 0.3, "class_id": 2}, _multilabel),
    ("SensitivityAtSpecificity", {"specificity": 0.5}, _binary),
    ("SensitivityAtSpecificity", {"specificity": 0.7, "num_thresholds": 1}, _binary),
    ("SpecificityAtSensitivity", {"sensitivity": 0.4}, _binary_flat),
]


def _tolerance(name):
    return 1e-5 if name == "AUC" else 1e-6


def _close(ours, theirs, name):
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
    tol = _tolerance(name)
    np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)


@pytest.mark.parametrize("weighted", [False, True], ids=["plain", "weighted"])
@pytest.mark.parametrize("name,kwargs,data", CASES,
                         ids=[f"{c[0]}-{c[2].__name__}-{i}" for i, c in enumerate(CASES)])
def test_metric_sequences_match_keras(keras, name, kwargs, data, weighted):
    ours = getattr(metrics, name)(**kwargs)
    theirs = getattr(keras.metrics, name)(**kwargs)
    # A stable seed per case (Python's `hash` of a string changes with every process).
    rng = _rng(zlib.crc32(f"{name}-{sorted(kwargs.items())}-{data.__name__}-{weighted}".encode()))
    for step in range(4):
        if step == 3:
            ours.reset_state()
            theirs.reset_state()
        n = [N, 1, 3, N][step]
        y_true, y_pred = data(rng, n)
        sw = rng.uniform(0, 2, n).astype("float32") if weighted else None
        if sw is not None and step == 2:
            sw[0] = 0.0
        ours.update_state(y_true, y_pred, sample_weight=sw)
        theirs.update_state(y_true, y_pred, sample_weight=sw)
        _close(ours.result(), theirs.result(), name)
    assert _base_name(ours.name) == _base_name(theirs.name)


def _base_name(name):
    # Keras's automatic-name counters live for the whole session; ours reset per test.
    head, _, tail = name.rpartition("_")
    return head if head and tail.isdigit() else name


@pytest.mark.parametrize("weights", [None, "per_sample", "per_element"])
def test_mean_and_sum_match_keras(keras, weights):
    rng = _rng(3)
    for cls in ("Mean", "Sum"):
        ours, theirs = getattr(metrics, cls)(), getattr(keras.metrics, cls)()
        for shape in [(), (5,), (4, 3), (2, 3, 2)]:
            values = rng.normal(size=shape).astype("float32")
            sw = None
            if weights == "per_sample" and shape:
                sw = rng.uniform(size=shape[:1]).astype("float32")
            elif weights == "per_element":
                sw = rng.uniform(size=shape).astype("float32")
            ours.update_state(values, sample_weight=sw)
            theirs.update_state(values, sample_weight=sw)
            _close(ours.result(), theirs.result(), cls)


@pytest.mark.parametrize("fn", [
    "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
    "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy",
])
@pytest.mark.parametrize("labels", ["flat", "column"])
def test_accuracy_functions_match_keras_shapes(keras, fn, labels):
    rng = _rng(5)
    if fn in ("binary_accuracy",):
        y_true, y_pred = _binary(rng)
    elif fn.startswith("sparse"):
        y_true, y_pred = _sparse(rng)
        if labels == "column":
            y_true = y_true[:, None]
    else:
        y_true, y_pred = _categorical(rng)
    if labels == "column" and fn == "binary_accuracy":
        y_true = y_true[:, 0]
    ours = getattr(metrics, fn)(y_true, y_pred)
    theirs = np.asarray(getattr(keras.metrics, fn)(y_true, y_pred))
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("identifier", [
    "mse", "MSE", "mae", "mape", "msle", "bce", "accuracy", "binary_accuracy", "AUC", "auc",
    "Precision", "categorical_crossentropy", "kl_divergence", "root_mean_squared_error",
])
def test_get_matches_keras(keras, identifier):
    ours, theirs = metrics.get(identifier), keras.metrics.get(identifier)
    assert type(ours).__name__ == type(theirs).__name__
    assert _base_name(ours.name) == _base_name(theirs.name)


@pytest.mark.parametrize("identifier", ["acc", "accuracy", "ACC", "mae", "mse", "auc",
                                        "binary_crossentropy"])
@pytest.mark.parametrize("shapes", [((4, 1), (4, 1)), ((4,), (4, 3)), ((4, 1), (4, 3)),
                                    ((4, 3), (4, 3))])
def test_resolve_metric_matches_keras_compile(keras, identifier, shapes):
    from keras.src.trainers.compile_utils import get_metric

    from nanokeras.metrics.resolve import resolve_metric

    y_true, y_pred = np.zeros(shapes[0], "float32"), np.zeros(shapes[1], "float32")
    ours = resolve_metric(identifier, y_true, y_pred)
    theirs = get_metric(identifier, y_true, y_pred)
    assert (type(ours).__name__, ours.name) == (type(theirs).__name__, theirs.name)


def test_resolve_metric_function_and_instance_names_match_keras(keras):
    from keras.src.trainers.compile_utils import get_metric

    from nanokeras.metrics.resolve import resolve_metric

    y = np.zeros((2, 1), "float32")
    ours = resolve_metric(metrics.mean_squared_error, y, y)
    theirs = get_metric(keras.metrics.mean_squared_error, y, y)
    assert (type(ours).__name__, ours.name) == (type(theirs).__name__, theirs.name)
    ours = resolve_metric(metrics.AUC(name="my_auc"), y, y)
    theirs = get_metric(keras.metrics.AUC(name="my_auc"), y, y)
    assert ours.name == theirs.name == "my_auc"


@pytest.mark.parametrize("name,kwargs", [
    ("AUC", {"curve": "PR", "num_thresholds": 50}), ("Precision", {"thresholds": [0.2, 0.7]}),
    ("BinaryAccuracy", {"threshold": 0.3}), ("SparseTopKCategoricalAccuracy", {"k": 3}),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}), ("Mean", {}),
])
def test_configs_match_keras(keras, name, kwargs):
    ours = getattr(metrics, name)(name="m", **kwargs).get_config()
    theirs = getattr(keras.metrics, name)(name="m", **kwargs).get_config()
    assert ours == theirs


ISSUE13_CONFIGS = [
    ("F1Score", {"average": "macro", "threshold": 0.5}), ("FBetaScore", {"beta": 2.0}), ("R2Score", {}),
    ("PearsonCorrelation", {"axis": 0}), ("ConcordanceCorrelation", {}), ("Hinge", {}), ("SquaredHinge", {}),
    ("CategoricalHinge", {}), ("IoU", {"num_classes": 3, "target_class_ids": [1]}), ("MeanIoU", {"num_classes": 3}),
    ("BinaryIoU", {}), ("OneHotIoU", {"num_classes": 3, "target_class_ids": [0]}), ("OneHotMeanIoU", {"num_classes": 2}),
    ("PrecisionAtRecall", {"recall": 0.5}), ("RecallAtPrecision", {"precision": 0.5, "class_id": 1}),
    ("SensitivityAtSpecificity", {"specificity": 0.5}), ("SpecificityAtSensitivity", {"sensitivity": 0.5}),
]


@pytest.mark.parametrize("name,kwargs", ISSUE13_CONFIGS, ids=[c[0] for c in ISSUE13_CONFIGS])
def test_issue13_metric_configs_match_keras(keras, name, kwargs):
    ours = getattr(metrics, name)(name="m", **kwargs).get_config()
    theirs = getattr(keras.metrics, name)(name="m", **kwargs).get_config()
    assert ours == theirs
    if not {"num_classes", "recall", "precision", "specificity", "sensitivity"} & set(kwargs):
        assert type(metrics.get(name)) is getattr(metrics, name)  # (the others need arguments)


def test_loss_functions_published_as_metrics(keras):
    rng = _rng(9)
    t, p = _binary_logits(rng)
    for name in ("hinge", "squared_hinge", "huber", "binary_focal_crossentropy"):
        np.testing.assert_allclose(getattr(metrics, name)(t, p), np.asarray(getattr(keras.metrics, name)(t, p)),
                                   rtol=1e-6, atol=1e-6)
    t, p = _categorical(rng)
    for name in ("categorical_hinge", "categorical_focal_crossentropy", "pearson_correlation",
                 "concordance_correlation"):
        np.testing.assert_allclose(getattr(metrics, name)(t, p), np.asarray(getattr(keras.metrics, name)(t, p)),
                                   rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, kwargs, args", [
    ("AUC", {}, ([0, 1, 1, 0], [0.2, 0.8, 0.4, 0.6])),
    ("AUC", {"curve": "PR"}, ([0, 1, 1, 0], [0.2, 0.8, 0.4, 0.6])),
    ("R2Score", {}, (np.array([[0.0], [1.0], [3.0]]), np.array([[0.2], [0.8], [2.5]]))),
])
def test_auc_and_r2_state_dtype_ignores_float16_as_keras(keras, name, kwargs, args):
    ours, theirs = getattr(metrics, name)(dtype="float16", **kwargs), getattr(keras.metrics, name)(dtype="float16", **kwargs)
    ours.update_state(*args)
    theirs.update_state(*args)
    assert [str(v.dtype) for v in ours.variables] == [str(v.dtype) for v in theirs.variables]
    assert np.asarray(ours.result()).dtype == np.asarray(theirs.result()).dtype
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(float(ours.result()), float(theirs.result()), rtol=2e-3)
