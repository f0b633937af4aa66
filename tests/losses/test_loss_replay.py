"""Every built-in loss replays bit for bit (the compiled step's contract, see tests/ops/test_replay_contract.py).

The labels (and sample weights) are data that changes between steps (`Constant`),
the predictions are weights; each case is recorded once and replayed on two more
batches, and must give the values and gradients of recording afresh.
"""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.ops.tensor import Constant
from tests.ops.test_replay_contract import _check_replay, _next_values

L = keras.losses


def _rng(seed):
    return np.random.default_rng(seed)


def _floats(*shape, seed=0, low=-2.0, high=2.0):
    return _rng(seed).uniform(low, high, size=shape)


def _probabilities(*shape, seed=1):
    p = _rng(seed).uniform(0.05, 1.0, size=shape)
    return p / p.sum(-1, keepdims=True)


def _binary(*shape, seed=2):
    return _rng(seed).integers(0, 2, size=shape).astype("float64")


def _classes(*shape, n=3, seed=3):
    return _rng(seed).integers(0, n, size=shape)


def _one_hot(*shape, n=3, seed=3):
    return np.eye(n)[_classes(*shape, n=n, seed=seed)]


# (id, make_loss(dtype), y_true (data), y_pred (weights), sample_weight (data) or None)
CASES = [
    ("mean_squared_error", lambda d: L.MeanSquaredError(dtype=d), _floats(4, 3), _floats(4, 3, seed=5), None),
    ("mean_squared_error_int_labels", lambda d: L.MeanSquaredError(dtype=d), _classes(4, 3), _floats(4, 3, seed=5), None),
    ("mean_squared_error_sum", lambda d: L.MeanSquaredError(reduction="sum", dtype=d), _floats(4, 3), _floats(4, 3, seed=5),
     None),
    ("mean_squared_error_none", lambda d: L.MeanSquaredError(reduction="none", dtype=d), _floats(4, 3),
     _floats(4, 3, seed=5), None),
    ("mean_squared_error_sample_weight", lambda d: L.MeanSquaredError(dtype=d), _floats(4, 3), _floats(4, 3, seed=5),
     _floats(4, seed=6, low=0, high=1)),
    ("mean_squared_error_rank1_labels", lambda d: L.MeanSquaredError(dtype=d), _floats(4), _floats(4, 1, seed=5), None),
    ("mean_absolute_error", lambda d: L.MeanAbsoluteError(dtype=d), _floats(4, 3), _floats(4, 3, seed=5), None),
    ("mean_absolute_percentage_error", lambda d: L.MeanAbsolutePercentageError(dtype=d), _floats(4, 3),
     _floats(4, 3, seed=5), None),
    ("mean_squared_logarithmic_error", lambda d: L.MeanSquaredLogarithmicError(dtype=d), _floats(4, 3, low=0),
     _floats(4, 3, seed=5, low=0), None),
    ("cosine_similarity", lambda d: L.CosineSimilarity(dtype=d), _floats(4, 3), _floats(4, 3, seed=5), None),
    ("huber", lambda d: L.Huber(delta=0.8, dtype=d), _floats(4, 3), _floats(4, 3, seed=5), None),
    ("log_cosh", lambda d: L.LogCosh(dtype=d), _floats(4, 3), _floats(4, 3, seed=5), None),
    ("hinge", lambda d: L.Hinge(dtype=d), _binary(4, 3), _floats(4, 3, seed=5), None),
    ("squared_hinge", lambda d: L.SquaredHinge(dtype=d), _binary(4, 3), _floats(4, 3, seed=5), None),
    ("categorical_hinge", lambda d: L.CategoricalHinge(dtype=d), _one_hot(4), _floats(4, 3, seed=5), None),
    ("kl_divergence", lambda d: L.KLDivergence(dtype=d), _probabilities(4, 3), _probabilities(4, 3, seed=5), None),
    ("poisson", lambda d: L.Poisson(dtype=d), _floats(4, 3, low=0), _floats(4, 3, seed=5, low=0.1), None),
    ("binary_crossentropy", lambda d: L.BinaryCrossentropy(dtype=d), _binary(4, 2), _probabilities(4, 2), None),
    ("binary_crossentropy_int_labels", lambda d: L.BinaryCrossentropy(dtype=d), _classes(4, 2, n=2),
     _probabilities(4, 2), None),
    ("binary_crossentropy_rank1_labels", lambda d: L.BinaryCrossentropy(dtype=d), _binary(4), _probabilities(4, 1),
     None),
    ("binary_crossentropy_logits", lambda d: L.BinaryCrossentropy(from_logits=True, dtype=d), _binary(4, 2),
     _floats(4, 2, seed=5), None),
    ("binary_crossentropy_label_smoothing", lambda d: L.BinaryCrossentropy(label_smoothing=0.1, dtype=d), _binary(4, 2),
     _probabilities(4, 2), None),
    ("binary_crossentropy_axis0", lambda d: L.BinaryCrossentropy(axis=0, dtype=d), _binary(4, 2), _probabilities(4, 2),
     None),
    ("binary_crossentropy_sample_weight", lambda d: L.BinaryCrossentropy(dtype=d), _binary(4, 2), _probabilities(4, 2),
     _floats(4, seed=6, low=0, high=1)),
    ("binary_crossentropy_mean_with_sample_weight",
     lambda d: L.BinaryCrossentropy(reduction="mean_with_sample_weight", dtype=d), _binary(4, 2), _probabilities(4, 2),
     _floats(4, seed=6, low=0, high=1)),
    ("binary_focal_crossentropy", lambda d: L.BinaryFocalCrossentropy(apply_class_balancing=True, dtype=d), _binary(4, 2),
     _probabilities(4, 2), None),
    ("binary_focal_crossentropy_logits_smoothing",
     lambda d: L.BinaryFocalCrossentropy(from_logits=True, label_smoothing=0.2, gamma=1.5, dtype=d), _binary(4, 2),
     _floats(4, 2, seed=5), None),
    ("categorical_crossentropy", lambda d: L.CategoricalCrossentropy(dtype=d), _one_hot(5), _probabilities(5, 3), None),
    ("categorical_crossentropy_logits", lambda d: L.CategoricalCrossentropy(from_logits=True, dtype=d), _one_hot(5),
     _floats(5, 3, seed=5), None),
    ("categorical_crossentropy_label_smoothing", lambda d: L.CategoricalCrossentropy(label_smoothing=0.2, dtype=d),
     _one_hot(5), _probabilities(5, 3), None),
    ("categorical_crossentropy_axis1", lambda d: L.CategoricalCrossentropy(from_logits=True, axis=1, dtype=d),
     np.swapaxes(_one_hot(2, 4), 1, 2), _floats(2, 3, 4, seed=5), None),
    ("sparse_categorical_crossentropy", lambda d: L.SparseCategoricalCrossentropy(dtype=d), _classes(5),
     _probabilities(5, 3), None),
    ("sparse_categorical_crossentropy_logits", lambda d: L.SparseCategoricalCrossentropy(from_logits=True, dtype=d),
     _classes(5, 1), _floats(5, 3, seed=5), None),
    ("sparse_categorical_crossentropy_ignore_class",
     lambda d: L.SparseCategoricalCrossentropy(ignore_class=0, dtype=d), _classes(6), _probabilities(6, 3), None),
    ("sparse_categorical_crossentropy_ignore_class_logits_weighted",
     lambda d: L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2, dtype=d), _classes(6, 1),
     _floats(6, 3, seed=5), _floats(6, seed=6, low=0, high=1)),
    ("sparse_categorical_crossentropy_sum", lambda d: L.SparseCategoricalCrossentropy(reduction="sum", dtype=d),
     _classes(5), _probabilities(5, 3), None),
    ("sparse_categorical_crossentropy_axis0", lambda d: L.SparseCategoricalCrossentropy(axis=0, dtype=d), _classes(5),
     _probabilities(5, 3).T, None),
    ("function_wrapper_huber", lambda d: L.LossFunctionWrapper(L.huber, delta=0.5, dtype=d), _floats(4, 3),
     _floats(4, 3, seed=5), None),
]


def _case_sources(y_true, y_pred, sample_weight, dtype):
    labels = np.asarray(y_true)
    labels = labels.astype("int32") if labels.dtype.kind in "iu" else labels.astype(dtype)
    sources = [Constant(labels), keras.Variable(np.asarray(y_pred, dtype), dtype=dtype)]
    if sample_weight is not None:
        sources.append(Constant(np.asarray(sample_weight, dtype)))
    return sources


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "make_loss,y_true,y_pred,sample_weight", [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_loss_replays_bit_for_bit(make_loss, y_true, y_pred, sample_weight, dtype):
    loss = make_loss(dtype)
    sources = _case_sources(y_true, y_pred, sample_weight, dtype)
    _check_replay(lambda *args: loss(*args), sources)


def _replay_with_batches(loss, sources, batches):
    """Replays with the given data for `sources[0]` (then `sources[2]`, if any) at each step."""
    batches = iter(batches)
    current = {}

    def next_values(source, step):
        if source is sources[0]:
            current.update(next(batches))
            return current["y_true"]
        if len(sources) > 2 and source is sources[2]:
            return current["sample_weight"]
        return _next_values(source, step)

    _check_replay(lambda *args: loss(*args), sources, steps=2, next_values=next_values)


@pytest.mark.parametrize("loss_class", [L.Hinge, L.SquaredHinge])
def test_hinge_losses_replay_labels_switching_between_0_1_and_minus_1_1(loss_class):
    # 0/1 labels are turned into -1/1 (decided by ops, per batch): record with 0/1, then -1/1, then 0/1.
    sources = _case_sources(_binary(4, 3), _floats(4, 3, seed=5), None, "float32")
    _replay_with_batches(loss_class(), sources, [{"y_true": 2 * _binary(4, 3, seed=8) - 1}, {"y_true": _binary(4, 3)}])


def test_mean_with_sample_weight_replays_weights_that_sum_to_zero():
    loss = L.MeanSquaredError(reduction="mean_with_sample_weight")
    sources = _case_sources(_floats(4, 3), _floats(4, 3, seed=5), _floats(4, low=0.1, high=1), "float32")
    _replay_with_batches(loss, sources, [
        {"y_true": _floats(4, 3, seed=9), "sample_weight": np.zeros(4)},
        {"y_true": _floats(4, 3, seed=10), "sample_weight": _floats(4, seed=11, low=0.1, high=1)},
    ])


def test_ignore_class_replays_a_changing_number_of_ignored_labels():
    loss = L.SparseCategoricalCrossentropy(ignore_class=0)
    sources = _case_sources(np.array([1, 2, 0, 1, 2, 1]), _probabilities(6, 3), None, "float32")
    _replay_with_batches(loss, sources, [
        {"y_true": np.array([0, 0, 0, 1, 2, 0])},
        {"y_true": np.array([0, 0, 0, 0, 0, 0])},  # nothing counts: the loss is 0
    ])

