"""Learning-rate schedules against real Keras 3 at many steps."""

import numpy as np
import pytest

from nanokeras.optimizers import schedules

STEPS = [0, 1, 2, 3, 5, 7, 9, 10, 11, 15, 19, 20, 21, 29, 30, 31, 45, 69, 70, 71, 100, 150, 151, 1000]

CASES = [
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5)),
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=7, decay_rate=0.9, staircase=True)),
    ("PiecewiseConstantDecay", dict(boundaries=[10, 30], values=[1.0, 0.5, 0.1])),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=30, end_learning_rate=0.01, power=2.0)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=30, power=0.5, cycle=True)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=True)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=30, alpha=0.1)),
    ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=30, warmup_target=0.2, warmup_steps=10)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10, t_mul=1.0, m_mul=0.5)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=7, t_mul=1.5, m_mul=0.9, alpha=0.05)),
]


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_schedule_values_match_keras(keras, name, kwargs):
    ours = getattr(schedules, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    for step in STEPS:
        expected = float(np.asarray(theirs(step)))
        got = float(np.asarray(ours(step)))
        assert got == pytest.approx(expected, rel=1e-5, abs=1e-7), (name, step)
    assert ours.get_config() == theirs.get_config()


def test_cosine_decay_restarts_serializes(keras):
    ours = schedules.CosineDecayRestarts(0.1, 10, t_mul=3.0)
    config = schedules.serialize(ours)
    assert config == keras.optimizers.schedules.serialize(keras.optimizers.schedules.CosineDecayRestarts(0.1, 10, t_mul=3.0))
    assert schedules.deserialize(config).get_config() == ours.get_config()


@pytest.mark.parametrize("values", [[3, 2, 1], [3, 2.5, 1], [np.float16(3), 2, 1], [np.int64(3), 2, 1], [True, False, True]])
def test_piecewise_constant_result_dtype_as_keras(keras, values):
    ours = schedules.PiecewiseConstantDecay([2, 5], values)
    theirs = keras.optimizers.schedules.PiecewiseConstantDecay([2, 5], values)
    for step in [0, 2, 3, 5, 6]:
        expected, got = np.asarray(theirs(step)), np.asarray(ours(step))
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
