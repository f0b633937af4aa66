import random

import numpy as np
import pytest

from nanokeras import initializers
from nanokeras.backend import random as backend_random
from nanokeras.utils.rng_utils import set_random_seed


def _draw_everything():
    return (
        random.random(),
        float(np.random.rand()),
        float(backend_random.global_generator().random()),
        initializers.GlorotUniform()((3, 3)).tolist(),
    )


def test_same_seed_same_numbers_everywhere():
    set_random_seed(123)
    first = _draw_everything()
    set_random_seed(123)
    assert _draw_everything() == first
    set_random_seed(124)
    second = _draw_everything()
    for a, b in zip(first, second):
        assert a != b


def test_numpy_integer_seed_accepted():
    set_random_seed(np.int64(5))
    a = np.random.rand()
    set_random_seed(5)
    assert np.random.rand() == a


@pytest.mark.parametrize("seed", [1.5, "1", None, True, [1]])
def test_non_integer_seed_rejected(seed):
    with pytest.raises(ValueError, match="integer"):
        set_random_seed(seed)


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_out_of_range_seed_rejected_without_side_effects(seed):
    set_random_seed(9)
    expected = (random.random(), float(np.random.rand()))
    set_random_seed(9)
    with pytest.raises(ValueError, match="2\\*\\*32"):
        set_random_seed(seed)
    assert (random.random(), float(np.random.rand())) == expected
