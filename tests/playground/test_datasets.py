"""nanokeras/playground/datasets.py: the built-in datasets and the split the code panel repeats."""

import numpy as np
import pytest

from nanokeras.playground import datasets
from nanokeras.playground.settings import Settings


@pytest.mark.parametrize("name", sorted(datasets.GENERATORS))
def test_generators_give_float32_points_and_balanced_integer_labels(name):
    x, y = datasets.GENERATORS[name](200, noise=0.1, rng=np.random.default_rng(3))
    assert x.shape == (200, 2) and x.dtype == np.float32
    assert y.shape == (200,) and y.dtype == np.int32
    assert set(np.unique(y)) == {0, 1}
    assert 60 <= int(y.sum()) <= 140  # both classes well represented
    assert np.all(np.isfinite(x)) and np.abs(x).max() < 5


@pytest.mark.parametrize("name", sorted(datasets.GENERATORS))
def test_generators_depend_only_on_the_generator_they_are_given(name):
    first = datasets.GENERATORS[name](50, noise=0.2, rng=np.random.default_rng(11))
    second = datasets.GENERATORS[name](50, noise=0.2, rng=np.random.default_rng(11))
    other = datasets.GENERATORS[name](50, noise=0.2, rng=np.random.default_rng(12))
    np.testing.assert_array_equal(first[0], second[0])
    assert not np.array_equal(first[0], other[0])


def test_noise_free_shapes_are_what_their_names_say():
    rng = np.random.default_rng(0)
    x, y = datasets.circles(400, noise=0.0, rng=rng)
    radius = np.hypot(x[:, 0], x[:, 1])
    assert radius[y == 0].max() <= 0.5 + 1e-6 and radius[y == 1].min() >= 0.7 - 1e-6
    x, y = datasets.xor(400, noise=0.0, rng=rng)
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] > 0).astype(int))
    assert np.abs(x).min() >= 0.05 - 1e-6  # the gap along the axes
    x, y = datasets.blobs(4000, noise=0.0, rng=rng)
    np.testing.assert_allclose(x[y == 0].mean(axis=0), [-0.6, -0.6], atol=0.03)
    np.testing.assert_allclose(x[y == 1].mean(axis=0), [0.6, 0.6], atol=0.03)
    np.testing.assert_allclose(x[y == 1].std(axis=0), [0.25, 0.25], atol=0.02)
    x, y = datasets.moons(400, noise=0.0, rng=rng)
    upper = x[y == 0] + [0.5, 0.25]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-5)
    x, y = datasets.spiral(400, noise=0.0, rng=rng)
    radius = np.hypot(x[:, 0], x[:, 1])
    assert radius.min() >= 0.05 - 1e-6 and radius.max() <= 1.0 + 1e-6


def test_split_holds_out_the_asked_fraction_without_overlap():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10)
    (x_train, y_train), (x_test, y_test) = datasets.split(x, y, 0.3, np.random.default_rng(0))
    assert len(x_test) == 3 and len(x_train) == 7
    assert sorted(y_train.tolist() + y_test.tolist()) == list(range(10))
    np.testing.assert_array_equal(x_train[:, 0] // 2, y_train)  # rows stay with their labels


def test_load_repeats_for_the_same_seed_and_changes_with_it():
    first = datasets.load(Settings(dataset="spiral", points=100, seed=4))
    again = datasets.load(Settings(dataset="spiral", points=100, seed=4))
    other = datasets.load(Settings(dataset="spiral", points=100, seed=5))
    np.testing.assert_array_equal(first[0][0], again[0][0])
    assert not np.array_equal(first[0][0], other[0][0])
    assert len(first[0][0]) == 70 and len(first[1][0]) == 30
