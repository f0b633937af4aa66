"""`keras.losses.ctc` / `CTC`: closed forms, labels kept as ids, errors, and training on the tape and compiled paths."""

import itertools
import math

import numpy as np
import pytest

import nanokeras as keras


def _brute_force_ctc(labels, logits):
    """-log of the summed probability of every path that collapses to `labels` (blank 0)."""
    steps, classes = logits.shape
    log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    total = 0.0
    for path in itertools.product(range(classes), repeat=steps):
        collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or path[i - 1] != c)]
        if collapsed == list(labels):
            total += math.exp(sum(log_probs[t, c] for t, c in enumerate(path)))
    return -math.log(total)


def test_values_equal_the_sum_over_all_alignments():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(2, 4, 3))
    labels = np.array([[1, 2, 0], [2, 2, 0]])
    expected = [_brute_force_ctc([1, 2], logits[0]), _brute_force_ctc([2, 2], logits[1])]
    np.testing.assert_allclose(keras.losses.ctc(labels, logits), expected, rtol=1e-6)
    mean = keras.losses.CTC()(labels, logits)
    np.testing.assert_allclose(mean, np.mean(expected), rtol=1e-6)
    assert keras.losses.get("ctc") is keras.losses.ctc and isinstance(keras.losses.get("CTC"), keras.losses.CTC)
    assert keras.losses.CTC.casts_labels_to_float is False


def test_wrong_shapes_are_explained():
    with pytest.raises(ValueError, match=r"`y_true` of the CTC loss .* \(batch_size, max_length\)"):
        keras.losses.ctc(np.array([1, 2]), np.zeros((1, 3, 3)))
    with pytest.raises(ValueError, match=r"`y_pred` of the CTC loss must be logits .* got shape \(1, 3\)"):
        keras.losses.ctc(np.array([[1, 2]]), np.zeros((1, 3)))


@pytest.mark.parametrize("jit_compile", [True, False])
def test_a_model_learns_the_labels(jit_compile):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(1)
    first = rng.integers(1, 4, size=32)
    labels = np.stack([first, first % 3 + 1], axis=1)  # two different ids: no blank needed between them
    x = np.zeros((32, 6, 4), "float32")
    x[:, :3, :] = np.eye(4)[labels[:, 0]][:, None, :]
    x[:, 3:, :] = np.eye(4)[labels[:, 1]][:, None, :]
    model = keras.Sequential([keras.Input((6, 4)), keras.layers.Dense(4)])
    model.compile(keras.optimizers.Adam(0.05), keras.losses.CTC(), jit_compile=jit_compile)
    history = model.fit(x, labels, epochs=40, batch_size=8, verbose=0).history["loss"]
    assert history[-1] < 0.2 * history[0]
    decoded = keras.ops.ctc_decode(model.predict(x, verbose=0), np.full(32, 6))[0][0]
    assert np.array_equal(np.asarray(decoded)[:, :2], labels)
