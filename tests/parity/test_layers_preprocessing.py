"""Parity of the preprocessing layers with real Keras 3."""

import numpy as np
import pytest

import nanokeras as nk
from tests.parity.conftest import skip_or_fail

RNG = np.random.default_rng(7)


def _np(x):
    return np.asarray(x)


@pytest.mark.parametrize("axis", [-1, None, (1, 2)])
def test_normalization_adapt_statistics_and_outputs(keras, axis):
    data = RNG.normal(5.0, 3.0, size=(20, 3, 4)).astype("float32")
    ours, theirs = nk.layers.Normalization(axis=axis), keras.layers.Normalization(axis=axis)
    ours.adapt(data)
    theirs.adapt(data)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, _np(b), rtol=1e-6)
        assert a.dtype == _np(b).dtype
    np.testing.assert_allclose(_np(ours(data)), _np(theirs(data)), rtol=1e-5, atol=1e-5)


def test_normalization_batched_adapt_and_given_stats_and_invert(keras):
    batches = [RNG.normal(size=(10, 2)).astype("float32") for _ in range(3)]
    ours, theirs = nk.layers.Normalization(), keras.layers.Normalization()
    ours.adapt(batches)
    try:
        theirs.adapt(batches)
    except ImportError:  # real Keras checks for tf.data first; only arrays work without TensorFlow
        theirs.adapt(np.concatenate(batches))
    np.testing.assert_allclose(ours.adapt_mean.numpy(), _np(theirs.adapt_mean), rtol=1e-5)
    np.testing.assert_allclose(ours.adapt_variance.numpy(), _np(theirs.adapt_variance), rtol=1e-5)
    x = batches[0]
    kwargs = {"mean": [1.0, -2.0], "variance": [4.0, 0.0], "invert": True}
    np.testing.assert_allclose(_np(nk.layers.Normalization(**kwargs)(x)),
                               _np(keras.layers.Normalization(**kwargs)(x)), rtol=1e-6)
    config = nk.layers.Normalization(**kwargs).get_config()
    theirs_config = keras.layers.Normalization(**kwargs).get_config()
    assert {k: config[k] for k in ("axis", "invert", "mean", "variance")} == \
        {k: theirs_config[k] for k in ("axis", "invert", "mean", "variance")}


def test_rescaling(keras):
    x = RNG.integers(0, 256, size=(2, 4, 3)).astype("uint8")
    for scale, offset in ((1 / 255.0, 0.0), (1 / 127.5, -1), ([0.5, 1.0, 2.0], [0.1, 0.2, 0.3])):
        np.testing.assert_allclose(_np(nk.layers.Rescaling(scale, offset)(x)),
                                   _np(keras.layers.Rescaling(scale, offset)(x)), rtol=1e-6)


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_with_boundaries(keras, mode):
    x = RNG.normal(size=(5, 3)).astype("float32")
    x[0, 0] = 0.0  # on a boundary
    bounds = [-1.0, 0.0, 0.5]
    ours = _np(nk.layers.Discretization(bin_boundaries=bounds, output_mode=mode)(x))
    theirs = _np(keras.layers.Discretization(bin_boundaries=bounds, output_mode=mode)(x))
    np.testing.assert_array_equal(ours, theirs)
    assert ours.dtype == theirs.dtype
    assert nk.layers.Discretization(bin_boundaries=bounds, output_mode=mode).compute_output_shape((None, 3)) == \
        tuple(keras.layers.Discretization(bin_boundaries=bounds, output_mode=mode).compute_output_shape((None, 3)))


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
@pytest.mark.parametrize("shape", [(6,), (3, 2), (3, 1), (2, 3, 2)])
def test_category_encoding(keras, mode, shape):
    ids = RNG.integers(0, 5, size=shape)
    ours = _np(nk.layers.CategoryEncoding(5, output_mode=mode)(ids))
    theirs = _np(keras.layers.CategoryEncoding(5, output_mode=mode)(ids))
    np.testing.assert_array_equal(ours, theirs)
    assert ours.dtype == theirs.dtype
    assert nk.layers.CategoryEncoding(5, mode).compute_output_shape((None,) + shape[1:]) == \
        tuple(keras.layers.CategoryEncoding(5, mode).compute_output_shape((None,) + shape[1:]))


def _lookup_or_skip(keras, name, **kwargs):
    try:
        return getattr(keras.layers, name)(**kwargs)
    except ImportError as error:
        skip_or_fail(f"real Keras {name} needs TensorFlow ({error}); install tensorflow-cpu "
                     "(nanokeras lookups are also checked against Keras's documented examples in tests/layers).")


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_integer_and_string_lookup(keras, mode):
    ints = np.array([[12, 1138, 42], [42, 1000, 36]])
    theirs = _lookup_or_skip(keras, "IntegerLookup", output_mode=mode)
    ours = nk.layers.IntegerLookup(output_mode=mode)
    theirs.adapt(ints)
    ours.adapt(ints)
    np.testing.assert_array_equal(_np(ours(ints)), _np(theirs(ints)))
    strings = np.array([["a", "c", "d"], ["d", "z", "b"]])
    theirs = _lookup_or_skip(keras, "StringLookup", output_mode=mode, mask_token="")
    ours = nk.layers.StringLookup(output_mode=mode, mask_token="")
    theirs.adapt(strings)
    ours.adapt(strings)
    assert ours.get_vocabulary() == theirs.get_vocabulary()
    np.testing.assert_array_equal(_np(ours(strings)), _np(theirs(strings)))
