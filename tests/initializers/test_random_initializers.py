import json
import math

import numpy as np
import pytest

from nanokeras import initializers
from nanokeras.backend import random as backend_random

N = 200_000  # large enough that sample moments are within ~1% of the true ones


def _std_of_truncated_unit_normal():
    # Closed form: var = 1 - 2*b*phi(b) / (2*Phi(b) - 1) for truncation at +-b.
    b = 2.0
    phi = math.exp(-b * b / 2) / math.sqrt(2 * math.pi)
    mass = math.erf(b / math.sqrt(2))
    return math.sqrt(1 - 2 * b * phi / mass)


def test_truncation_factor_matches_closed_form():
    from nanokeras.initializers.variance_scaling import TRUNCATED_STDDEV_FACTOR

    assert abs(_std_of_truncated_unit_normal() - TRUNCATED_STDDEV_FACTOR) < 1e-12


def test_random_normal_moments():
    x = initializers.RandomNormal(mean=1.5, stddev=0.3, seed=0)((N,))
    assert x.dtype == np.float32
    assert abs(x.mean() - 1.5) < 0.005
    assert abs(x.std() - 0.3) < 0.003


def test_random_normal_default_stddev():
    x = initializers.RandomNormal(seed=1)((N,))
    assert abs(x.std() - 0.05) < 0.0005


def test_random_uniform_bounds_and_moments():
    x = initializers.RandomUniform(minval=-2.0, maxval=3.0, seed=0)((N,))
    assert x.min() >= -2.0 and x.max() < 3.0
    assert abs(x.mean() - 0.5) < 0.02
    assert abs(x.var() - 25 / 12) < 0.03
    y = initializers.RandomUniform(seed=0)((N,))
    assert y.min() >= -0.05 and y.max() < 0.05


def test_truncated_normal_bounds_and_std():
    x = initializers.TruncatedNormal(mean=0.5, stddev=2.0, seed=0)((N,))
    assert np.abs(x - 0.5).max() <= 4.0 + 1e-6
    assert abs(x.mean() - 0.5) < 0.02
    assert abs(x.std() - 2.0 * _std_of_truncated_unit_normal()) < 0.02


@pytest.mark.parametrize(
    "cls, shape, limit",
    [
        (initializers.GlorotUniform, (30, 50), math.sqrt(6 / 80)),
        (initializers.HeUniform, (30, 50), math.sqrt(6 / 30)),
        (initializers.LecunUniform, (30, 50), math.sqrt(3 / 30)),
        (initializers.GlorotUniform, (3, 3, 8, 16), math.sqrt(6 / (72 + 144))),
    ],
)
def test_uniform_presets_limits(cls, shape, limit):
    x = cls(seed=3)(shape)
    assert x.shape == shape and x.dtype == np.float32
    assert np.abs(x).max() <= limit
    # Nearly all of the interval is used: the extremes come close to the limit.
    assert np.abs(x).max() > 0.98 * limit
    big = cls(seed=4)((shape[0], shape[1]) if len(shape) == 2 else shape)
    assert abs(big.std() - limit / math.sqrt(3)) < 0.05 * limit


@pytest.mark.parametrize(
    "cls, fan_in, fan_out, expected_var",
    [
        (initializers.GlorotNormal, 400, 600, 2 / 1000),
        (initializers.HeNormal, 400, 600, 2 / 400),
        (initializers.LecunNormal, 400, 600, 1 / 400),
    ],
)
def test_normal_presets_variance_is_exact_after_truncation(cls, fan_in, fan_out, expected_var):
    x = cls(seed=5)((fan_in, fan_out)).astype(np.float64)
    assert abs(x.var() / expected_var - 1) < 0.02
    bound = 2 * math.sqrt(expected_var) / 0.87962566103423978
    assert np.abs(x).max() <= bound * (1 + 1e-6)


@pytest.mark.parametrize(
    "mode, distribution, expected_var",
    [
        ("fan_in", "untruncated_normal", 3.0 / 100),
        ("fan_out", "uniform", 3.0 / 400),
        ("fan_avg", "truncated_normal", 3.0 / 250),
        ("fan_avg", "normal", 3.0 / 250),
    ],
)
def test_variance_scaling_modes(mode, distribution, expected_var):
    init = initializers.VarianceScaling(scale=3.0, mode=mode, distribution=distribution, seed=0)
    x = init((100, 400)).astype(np.float64)
    assert abs(x.var() / expected_var - 1) < 0.03
    assert abs(x.mean()) < 0.01 * math.sqrt(expected_var) * 10


def test_variance_scaling_small_fan_is_clamped_to_one():
    x = initializers.VarianceScaling(1.0, "fan_in", "uniform", seed=0)((0, 5))
    assert x.shape == (0, 5)
    x = initializers.VarianceScaling(1.0, "fan_in", "uniform", seed=0)(())
    assert abs(float(x)) <= math.sqrt(3)


def test_untruncated_normal_has_tails():
    x = initializers.VarianceScaling(1.0, "fan_in", "untruncated_normal", seed=0)((1, N))
    assert np.abs(x).max() > 3.0


@pytest.mark.parametrize(
    "shape, fans",
    [
        ((), (1, 1)),
        ((7,), (7, 7)),
        ((3, 5), (3, 5)),
        ((5, 4, 6), (20, 30)),
        ((3, 3, 8, 16), (72, 144)),
        ((2, 3, 3, 4, 5), (72, 90)),
    ],
)
def test_compute_fans(shape, fans):
    assert initializers.compute_fans(shape) == fans


def test_compute_fans_with_axes():
    assert initializers.compute_fans((2, 3, 4, 5), input_axes=[0, 1], output_axes=[2, 3]) == (6, 20)
    x = initializers.GlorotUniform(seed=0, input_axes=[0, 1], output_axes=[2])((2, 3, 4))
    assert np.abs(x).max() <= math.sqrt(6 / 10)


ALL_RANDOM = [
    initializers.RandomNormal,
    initializers.RandomUniform,
    initializers.TruncatedNormal,
    initializers.VarianceScaling,
    initializers.GlorotUniform,
    initializers.GlorotNormal,
    initializers.HeNormal,
    initializers.HeUniform,
    initializers.LecunNormal,
    initializers.LecunUniform,
    initializers.Orthogonal,
]


@pytest.mark.parametrize("cls", ALL_RANDOM)
def test_int_seed_is_deterministic(cls):
    a = cls(seed=42)((6, 5))
    b = cls(seed=42)((6, 5))
    init = cls(seed=42)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(init((6, 5)), init((6, 5)))
    assert not np.array_equal(a, cls(seed=43)((6, 5)))


@pytest.mark.parametrize("cls", ALL_RANDOM)
def test_unseeded_follows_global_seed(cls):
    backend_random.seed_global_generator(7)
    first = cls()
    a = first((4, 4))
    # Keras 3 semantics: the same unseeded instance repeats its values.
    np.testing.assert_array_equal(a, first((4, 4)))
    b = cls()((4, 4))
    assert not np.array_equal(a, b)
    backend_random.seed_global_generator(7)
    np.testing.assert_array_equal(cls()((4, 4)), a)


def test_generator_seed_gives_fresh_values_each_call():
    init = initializers.RandomNormal(seed=np.random.default_rng(0))
    assert not np.array_equal(init((5,)), init((5,)))
    assert init.get_config()["seed"] is None


@pytest.mark.parametrize("cls", ALL_RANDOM)
@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_random_dtypes(cls, dtype):
    assert cls(seed=0)((3, 4), dtype=dtype).dtype == np.dtype(dtype)


@pytest.mark.parametrize("cls", ALL_RANDOM)
def test_random_rejects_int_dtype(cls):
    with pytest.raises(ValueError, match="must be a float type"):
        cls(seed=0)((3, 4), dtype="int32")


@pytest.mark.parametrize("cls", ALL_RANDOM)
def test_config_roundtrip(cls):
    init = cls(seed=11)
    config = json.loads(json.dumps(init.get_config()))
    assert config["seed"] == 11
    np.testing.assert_array_equal(cls.from_config(config)((5, 3)), init((5, 3)))
    np.testing.assert_array_equal(init.clone()((5, 3)), init((5, 3)))


def test_unseeded_config_keeps_seed_none():
    assert initializers.GlorotUniform().get_config() == {
        "seed": None,
        "input_axes": None,
        "output_axes": None,
    }
    assert initializers.VarianceScaling(distribution="normal").get_config()["distribution"] == (
        "truncated_normal"
    )


@pytest.mark.parametrize("shape", [(4, 4), (3, 7), (7, 3), (2, 3, 5)])
def test_orthogonal(shape):
    q = initializers.Orthogonal(gain=1.5, seed=0)(shape).astype(np.float64)
    assert q.shape == shape
    flat = q.reshape(-1, shape[-1]) / 1.5
    if flat.shape[0] >= flat.shape[1]:
        np.testing.assert_allclose(flat.T @ flat, np.eye(flat.shape[1]), atol=1e-5)
    else:
        np.testing.assert_allclose(flat @ flat.T, np.eye(flat.shape[0]), atol=1e-5)


def test_orthogonal_rejects_vectors():
    with pytest.raises(ValueError, match="rank >= 2"):
        initializers.Orthogonal()((4,))


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: initializers.RandomNormal(stddev=-1.0), "stddev"),
        (lambda: initializers.TruncatedNormal(stddev=-0.1), "stddev"),
        (lambda: initializers.RandomUniform(minval=1.0, maxval=0.0), "minval <= maxval"),
        (lambda: initializers.VarianceScaling(scale=0.0), "scale"),
        (lambda: initializers.VarianceScaling(scale=-1.0), "scale"),
        (lambda: initializers.VarianceScaling(mode="fan_sum"), "mode"),
        (lambda: initializers.VarianceScaling(distribution="gaussian"), "distribution"),
        (lambda: initializers.VarianceScaling(distribution=3), "distribution"),
        (lambda: initializers.RandomNormal(seed=1.5), "seed"),
        (lambda: initializers.RandomNormal(seed="x"), "seed"),
        (lambda: initializers.RandomNormal(seed=-3), "seed"),
        (lambda: initializers.RandomNormal(mean="a"), "mean"),
    ],
)
def test_validation(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_rejected_construction_does_not_consume_global_randomness():
    backend_random.seed_global_generator(3)
    with pytest.raises(ValueError):
        initializers.RandomNormal(stddev=-1.0)
    after_error = initializers.RandomNormal()((3,))
    backend_random.seed_global_generator(3)
    np.testing.assert_array_equal(initializers.RandomNormal()((3,)), after_error)
