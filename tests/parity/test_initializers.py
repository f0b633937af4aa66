"""nanokeras.initializers against real Keras 3: exact for deterministic ones, statistics for random ones."""

import math

import numpy as np
import pytest

from nanokeras import initializers

SHAPES = [(7,), (20, 30), (5, 4, 6), (3, 3, 8, 16), (2, 3, 3, 4, 5)]


def _np(x):
    return np.asarray(x)


@pytest.mark.parametrize("shape", SHAPES + [()])
def test_compute_fans_match(keras, shape):
    from keras.src.initializers.random_initializers import compute_fans

    assert initializers.compute_fans(shape) == compute_fans(shape)


def test_compute_fans_with_axes_match(keras):
    from keras.src.initializers.random_initializers import compute_fans

    shape = (2, 3, 4, 5)
    axes = dict(input_axes=[0, 2], output_axes=[1, 3])
    assert initializers.compute_fans(shape, **axes) == compute_fans(shape, **axes)


@pytest.mark.parametrize(
    "name, args",
    [
        ("Zeros", {}),
        ("Ones", {}),
        ("Constant", {"value": 2.5}),
        ("Constant", {"value": -1}),
        ("Identity", {}),
        ("Identity", {"gain": 3.0}),
    ],
)
@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (4, 2)])
@pytest.mark.parametrize("dtype", [None, "float64", "int32"])
def test_deterministic_initializers_equal(keras, request, name, args, shape, dtype):
    if dtype == "float64":
        request.getfixturevalue("jax_x64")  # without it JAX truncates float64 to float32
    ours = getattr(initializers, name)(**args)(shape, dtype=dtype)
    theirs = _np(getattr(keras.initializers, name)(**args)(shape, dtype=dtype))
    np.testing.assert_array_equal(ours, theirs)
    # Keras's Identity promotes `gain * int_eye` to float; nanokeras returns the dtype asked for.
    if not (name == "Identity" and dtype == "int32"):
        assert ours.dtype == theirs.dtype
    assert ours.dtype == np.dtype(dtype or "float32")


def _ours_and_theirs(keras, name, shape, **kwargs):
    ours = getattr(initializers, name)(seed=1, **kwargs)(shape).astype(np.float64)
    theirs = _np(getattr(keras.initializers, name)(seed=1, **kwargs)(shape)).astype(np.float64)
    return ours, theirs


@pytest.mark.parametrize(
    "name", ["GlorotUniform", "HeUniform", "LecunUniform"]
)
@pytest.mark.parametrize("shape", [(200, 300), (3, 3, 64, 32)])
def test_uniform_presets_same_limit_and_spread(keras, name, shape):
    ours, theirs = _ours_and_theirs(keras, name, shape)
    assert ours.dtype == np.float64 and ours.shape == theirs.shape
    # Sample maxima approach the shared limit from below.
    assert abs(np.abs(ours).max() - np.abs(theirs).max()) < 0.01 * np.abs(theirs).max()
    assert abs(ours.std() / theirs.std() - 1) < 0.02


@pytest.mark.parametrize("name", ["GlorotNormal", "HeNormal", "LecunNormal"])
@pytest.mark.parametrize("shape", [(200, 300), (3, 3, 64, 32)])
def test_normal_presets_same_std_and_truncation(keras, name, shape):
    ours, theirs = _ours_and_theirs(keras, name, shape)
    assert abs(ours.std() / theirs.std() - 1) < 0.02
    assert abs(np.abs(ours).max() / np.abs(theirs).max() - 1) < 0.01


@pytest.mark.parametrize(
    "mode, distribution",
    [
        (m, d)
        for m in ("fan_in", "fan_out", "fan_avg")
        for d in ("truncated_normal", "untruncated_normal", "uniform", "normal")
    ],
)
def test_variance_scaling_same_std(keras, mode, distribution):
    kwargs = dict(scale=1.7, mode=mode, distribution=distribution)
    ours, theirs = _ours_and_theirs(keras, "VarianceScaling", (120, 500), **kwargs)
    assert abs(ours.std() / theirs.std() - 1) < 0.02
    ours_config = initializers.VarianceScaling(seed=1, **kwargs).get_config()
    theirs_config = keras.initializers.VarianceScaling(seed=1, **kwargs).get_config()
    assert ours_config == theirs_config


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("RandomNormal", dict(mean=0.3, stddev=0.2)),
        ("RandomUniform", dict(minval=-0.5, maxval=1.5)),
        ("TruncatedNormal", dict(mean=-1.0, stddev=0.5)),
        ("RandomNormal", {}),
        ("RandomUniform", {}),
        ("TruncatedNormal", {}),
    ],
)
def test_basic_random_same_distribution(keras, name, kwargs):
    ours, theirs = _ours_and_theirs(keras, name, (300, 400), **kwargs)
    scale = theirs.std()
    assert abs(ours.mean() - theirs.mean()) < 0.02 * scale
    assert abs(ours.std() / scale - 1) < 0.02
    for q in (1, 10, 50, 90, 99):
        assert abs(np.percentile(ours, q) - np.percentile(theirs, q)) < 0.05 * scale
    if name != "RandomNormal":  # bounded distributions: the extremes agree too
        assert abs(ours.min() - theirs.min()) < 0.01 * scale
        assert abs(ours.max() - theirs.max()) < 0.01 * scale
    assert initializers.get(name).get_config().keys() == keras.initializers.get(name).get_config().keys()


@pytest.mark.parametrize("shape", [(6, 6), (4, 9), (9, 4), (2, 3, 5)])
def test_orthogonal_same_properties(keras, shape):
    ours, theirs = _ours_and_theirs(keras, "Orthogonal", shape, gain=2.0)
    ours_flat, theirs_flat = ours.reshape(-1, shape[-1]), theirs.reshape(-1, shape[-1])
    gram = (lambda m: m.T @ m) if ours_flat.shape[0] >= ours_flat.shape[1] else (lambda m: m @ m.T)
    np.testing.assert_allclose(gram(ours_flat), gram(theirs_flat), atol=1e-4)


def test_unseeded_repeat_semantics_match(keras):
    for name in ["GlorotUniform", "RandomNormal", "Orthogonal"]:
        ours = getattr(initializers, name)()
        theirs = getattr(keras.initializers, name)()
        assert np.array_equal(ours((4, 4)), ours((4, 4))) == np.array_equal(
            _np(theirs((4, 4))), _np(theirs((4, 4)))
        )


def test_get_names_cover_keras(keras):
    from keras.src import initializers as keras_initializers

    theirs = set(keras_initializers.ALL_OBJECTS_DICT)
    ours = set(initializers.ALL_OBJECTS_DICT)
    assert ours == theirs
    for name in sorted(theirs):
        try:
            expected = type(keras.initializers.get(name)).__name__
        except KeyError:
            # Keras's get("constant") fails (Constant.from_config needs a value); ours
            # builds Constant(0.0), which is what the class default says.
            expected = keras_initializers.ALL_OBJECTS_DICT[name].__name__
        assert type(initializers.get(name)).__name__ == expected


def test_serialize_matches(keras):
    for name, kwargs in [("GlorotUniform", {"seed": 3}), ("Constant", {"value": 2.0}), ("Zeros", {})]:
        ours = initializers.serialize(getattr(initializers, name)(**kwargs))
        theirs = keras.initializers.serialize(getattr(keras.initializers, name)(**kwargs))
        assert ours == theirs
    # A Keras-written config is readable by nanokeras.
    config = keras.initializers.serialize(keras.initializers.HeNormal(seed=4))
    assert type(initializers.deserialize(config)) is initializers.HeNormal


def test_truncation_factor_matches_keras(keras):
    # Keras draws N(0, 1) truncated at +-2; its std is the constant it divides by.
    x = _np(keras.random.truncated_normal((400_000,), seed=0)).astype(np.float64)
    assert abs(x.std() - 0.87962566103423978) < 0.003
    assert np.abs(x).max() <= 2.0
    assert math.isclose(
        initializers.TruncatedNormal(stddev=1.0, seed=0)((400_000,)).astype(np.float64).std(),
        x.std(),
        rel_tol=0.005,
    )


@pytest.mark.parametrize("kwargs", [
    {}, {"side": "imag"}, {"window": "hamming", "scaling": "spectrum"}, {"window": "blackman", "periodic": True},
    {"window": "bartlett"}, {"window": "triang"}, {"window": "boxcar", "scaling": None}, {"window": None},
    {"window": "hann", "periodic": True, "side": "imag"}, {"window": [0.5, 1.0, 1.0, 0.5, 0.25, 0.1, 0.0, 1.0]},
])
def test_stft_kernels_match(keras, kwargs):
    ours = initializers.STFT(**kwargs)
    theirs = keras.initializers.STFT(**kwargs)
    for shape in ((8, 1, 5), (7, 1, 9)):
        if isinstance(kwargs.get("window"), list) and shape[0] != 8:
            continue
        np.testing.assert_allclose(ours(shape), _np(theirs(shape)), rtol=1e-5, atol=1e-6)
    assert ours.get_config() == theirs.get_config()
    assert type(initializers.get("stft")) is type(initializers.get("STFTInitializer")) is initializers.STFT
