"""`SpatialDropout1D/2D/3D`: whole channels dropped while training, identity otherwise."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers


@pytest.mark.parametrize("cls,shape,channel_axis", [
    (layers.SpatialDropout1D, (8, 5, 16), -1),
    (layers.SpatialDropout2D, (8, 4, 5, 16), -1),
    (layers.SpatialDropout3D, (8, 3, 4, 2, 16), -1),
])
def test_whole_channels_are_dropped_and_kept_ones_scaled(cls, shape, channel_axis):
    layer = cls(0.5, seed=1)
    x = np.ones(shape, "float32")
    np.testing.assert_array_equal(layer(x), x)  # inference
    y = np.asarray(layer(x, training=True))
    assert set(np.unique(y).tolist()) <= {0.0, 2.0}
    spatial = tuple(range(1, len(shape) - 1))
    assert np.all(y.min(axis=spatial) == y.max(axis=spatial))  # one decision per (sample, channel)
    assert 0.3 < (y == 0).mean() < 0.7


def test_channels_first():
    layer = layers.SpatialDropout2D(0.5, data_format="channels_first", seed=0)
    y = np.asarray(layer(np.ones((4, 6, 3, 3), "float32"), training=True))
    assert np.all(y.min(axis=(2, 3)) == y.max(axis=(2, 3)))


def test_gradient_is_the_mask_over_keep():
    layer = layers.SpatialDropout1D(0.25, seed=3)
    x = keras.Variable(np.random.default_rng(0).standard_normal((4, 3, 8)).astype("float32"))
    with keras.GradientTape() as tape:
        y = layer(x, training=True)
        loss = keras.ops.sum(y)
    grad = tape.gradient(loss, x)
    kept = np.asarray(y.value) != 0
    np.testing.assert_allclose(grad, kept / 0.75, rtol=1e-6)


def test_seeded_layers_repeat_and_config_is_keras():
    a, b = layers.SpatialDropout2D(0.4, seed=7), layers.SpatialDropout2D(0.4, seed=7)
    x = np.ones((3, 2, 2, 8), "float32")
    np.testing.assert_array_equal(a(x, training=True), b(x, training=True))
    config = a.get_config()
    assert set(config) == {"rate", "seed", "name", "dtype", "data_format"}
    assert set(layers.SpatialDropout1D(0.1).get_config()) == {"rate", "seed", "name", "dtype"}
    assert isinstance(a, layers.Dropout)
    assert layers.SpatialDropout2D.from_config(config).get_config() == config


def test_bad_rate_and_rank():
    with pytest.raises(ValueError, match="rate"):
        layers.SpatialDropout2D(1.0)
    with pytest.raises(ValueError, match="rank 4"):
        layers.SpatialDropout2D(0.5)(np.ones((2, 3, 4), "float32"), training=True)
