"""CTC: the loss against a brute-force sum over alignments, its gradient, decoding, errors."""

import itertools

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from tests.ops.gradient_check import check_gradients

rng = np.random.default_rng(0)


def _collapse(path, blank=0):
    out = []
    for i, c in enumerate(path):
        if c != blank and (i == 0 or path[i - 1] != c):
            out.append(c)
    return tuple(out)


def _brute_force_loss(logits, labels, steps, blank=0):
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    total = 0.0
    for path in itertools.product(range(logits.shape[-1]), repeat=steps):
        if _collapse(path, blank) == tuple(labels):
            total += np.prod([probs[t, c] for t, c in enumerate(path)])
    return -np.log(total)


@pytest.mark.parametrize("labels,steps", [([1], 3), ([1, 1], 4), ([1, 2], 4), ([2, 1, 2], 5), ([], 3)])
def test_loss_is_minus_the_log_of_all_alignments(labels, steps):
    logits = rng.normal(size=(1, 5, 3))
    target = np.zeros((1, 3), "int32")
    target[0, :len(labels)] = labels
    loss = ops.ctc_loss(target, logits, np.array([len(labels)]), np.array([steps]))
    np.testing.assert_allclose(loss[0], _brute_force_loss(logits[0, :steps], labels, steps), rtol=1e-10)


def test_blank_index_and_batches():
    logits = rng.normal(size=(2, 4, 3))
    target = np.array([[0, 1], [1, 1]])
    loss = ops.ctc_loss(target, logits, np.array([2, 2]), np.array([4, 4]), mask_index=2)
    np.testing.assert_allclose(loss[0], _brute_force_loss(logits[0], [0, 1], 4, blank=2), rtol=1e-10)
    np.testing.assert_allclose(loss[1], _brute_force_loss(logits[1], [1, 1], 4, blank=2), rtol=1e-10)


def test_gradient_matches_finite_differences_and_ignores_steps_past_the_length():
    target, lengths = np.array([[1, 2, 2], [3, 1, 0]]), np.array([3, 2])
    steps = np.array([6, 4])
    check_gradients(lambda x: ops.ctc_loss(target, x, lengths, steps), rng.normal(size=(2, 6, 4)))
    w = keras.Variable(rng.normal(size=(2, 6, 4)))
    with keras.GradientTape() as tape:
        total = ops.sum(ops.ctc_loss(target, w, lengths, steps))
    assert not tape.gradient(total, w)[1, 4:].any()


def test_impossible_alignments_give_an_infinite_loss():
    loss = ops.ctc_loss(np.array([[1, 1, 1]]), rng.normal(size=(1, 4, 3)), np.array([3]), np.array([4]))
    assert np.isinf(loss[0])


def test_greedy_decoding_collapses_repeats_and_drops_blanks():
    steps = np.array([[0, 1, 1, 0, 1, 2, 2, 0]])
    logits = np.eye(3)[steps] * 5.0
    decoded, scores = ops.ctc_decode(logits, np.array([8]))
    assert decoded[0, 0].tolist() == [1, 1, 2, -1, -1, -1, -1, -1] and scores.tolist() == [[-40.0]]
    decoded, _ = ops.ctc_decode(logits, np.array([8]), merge_repeated=False)
    assert decoded[0, 0, :5].tolist() == [1, 1, 1, 2, 2]
    decoded, _ = ops.ctc_decode(logits, np.array([3]))
    assert decoded[0, 0, :2].tolist() == [1, -1]


def test_beam_search_finds_the_most_probable_labels():
    logits = rng.normal(size=(1, 4, 3)) * 2
    decoded, scores = ops.ctc_decode(logits, np.array([4]), strategy="beam_search", beam_width=50, top_paths=3)
    candidates = {_collapse(p) for p in itertools.product(range(3), repeat=4)}
    best = sorted(candidates, key=lambda labels: _brute_force_loss(logits[0], labels, 4))[:3]
    for k, labels in enumerate(best):
        assert tuple(decoded[k, 0][decoded[k, 0] >= 0].tolist()) == labels
        np.testing.assert_allclose(-scores[0, k], _brute_force_loss(logits[0], labels, 4), rtol=1e-6)


@pytest.mark.parametrize("call,match", [
    (lambda: ops.ctc_loss(np.ones((2, 3)), np.ones((2, 3)), np.ones(2), np.ones(2)), "batch, steps, classes"),
    (lambda: ops.ctc_loss(np.ones((1, 3), "int32"), np.ones((1, 4, 3)), np.array([4]), np.array([4])), "exceed"),
    (lambda: ops.ctc_decode(np.ones((1, 4, 3)), np.array([4]), strategy="best"), "strategy"),
    (lambda: ops.ctc_decode(np.ones((4, 3)), np.array([4])), "batch, steps, classes"),
])
def test_bad_arguments_are_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


CASES = [
    ("ctc_loss", lambda x: ops.ctc_loss(np.array([[1, 2, 2], [3, 1, 0]]), x, np.array([3, 2]), np.array([6, 4])),
     [np.random.default_rng(5).normal(size=(2, 6, 4))]),
]
