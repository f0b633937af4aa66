"""Parity of normalization, reshaping and regularization layers with real Keras 3 (same weights, same outputs)."""

import numpy as np
import pytest

import nanokeras as nk

RNG = np.random.default_rng(42)


def _np(x):
    return np.asarray(x)


def test_batch_normalization_training_inference_and_moving_stats(keras):
    x_batches = [RNG.normal(1.0, 2.0, size=(16, 4)).astype("float32") for _ in range(3)]
    ours, theirs = nk.layers.BatchNormalization(momentum=0.8), keras.layers.BatchNormalization(momentum=0.8)
    ours(x_batches[0]), theirs(x_batches[0])
    weights = [RNG.normal(size=4).astype("float32") for _ in range(2)] + [np.zeros(4, "float32"), np.ones(4, "float32")]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    for x in x_batches:
        np.testing.assert_allclose(_np(ours(x, training=True)), _np(theirs(x, training=True)), rtol=1e-5, atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, _np(b), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(ours(x_batches[0])), _np(theirs(x_batches[0])), rtol=1e-5, atol=1e-5)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]


def test_batch_normalization_axis_1(keras):
    x = RNG.normal(size=(4, 3, 5)).astype("float32")
    ours, theirs = nk.layers.BatchNormalization(axis=1), keras.layers.BatchNormalization(axis=1)
    np.testing.assert_allclose(_np(ours(x, training=True)), _np(theirs(x, training=True)), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ours.moving_variance.numpy(), _np(theirs.moving_variance), rtol=1e-5)


@pytest.mark.parametrize("kwargs", [{}, {"axis": [1, 2]}, {"center": False, "epsilon": 1e-5}])
def test_layer_normalization(keras, kwargs):
    x = RNG.normal(size=(3, 4, 5)).astype("float32")
    ours, theirs = nk.layers.LayerNormalization(**kwargs), keras.layers.LayerNormalization(**kwargs)
    ours(x), theirs(x)
    weights = [RNG.normal(size=w.shape).astype("float32") for w in theirs.weights]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    np.testing.assert_allclose(_np(ours(x)), _np(theirs(x)), rtol=1e-5, atol=1e-5)
    assert ours.get_config()["axis"] == theirs.get_config()["axis"]


def test_unit_normalization(keras):
    x = RNG.normal(size=(3, 4, 5)).astype("float32")
    x[0] = 0
    for axis in (-1, [1, 2]):
        np.testing.assert_allclose(_np(nk.layers.UnitNormalization(axis=axis)(x)),
                                   _np(keras.layers.UnitNormalization(axis=axis)(x)), rtol=1e-5, atol=1e-7)


def test_reshaping_layers(keras):
    x = RNG.normal(size=(2, 3, 4)).astype("float32")
    for name, args in (("Flatten", ()), ("Reshape", ((4, -1),)), ("Permute", ((2, 1),))):
        np.testing.assert_array_equal(_np(getattr(nk.layers, name)(*args)(x)), _np(getattr(keras.layers, name)(*args)(x)))
        assert getattr(nk.layers, name)(*args).compute_output_shape((None, 3, 4)) == \
            tuple(getattr(keras.layers, name)(*args).compute_output_shape((None, 3, 4)))
    v = x[:, 0]
    np.testing.assert_array_equal(_np(nk.layers.RepeatVector(3)(v)), _np(keras.layers.RepeatVector(3)(v)))


def test_regularization_layers_deterministic_cases_and_configs(keras):
    x = RNG.normal(size=(4, 6)).astype("float32")
    for name, args in (("Dropout", (0.0,)), ("GaussianNoise", (0.0,)), ("GaussianDropout", (0.0,)),
                       ("AlphaDropout", (0.0,))):
        np.testing.assert_array_equal(_np(getattr(nk.layers, name)(*args)(x, training=True)), x)
    for name, args in (("Dropout", (0.3,)), ("GaussianNoise", (0.3,)), ("GaussianDropout", (0.3,)),
                       ("AlphaDropout", (0.3,))):
        np.testing.assert_array_equal(_np(getattr(nk.layers, name)(*args)(x, training=False)),
                                      _np(getattr(keras.layers, name)(*args)(x, training=False)))
        ours = getattr(nk.layers, name)(*args, seed=1).get_config()
        theirs = getattr(keras.layers, name)(*args, seed=1).get_config()
        assert set(ours) - {"dtype"} == set(theirs) - {"dtype"}


def test_dropout_statistics_match(keras):
    x = np.ones((500, 200), dtype="float32")
    ours = _np(nk.layers.Dropout(0.3, seed=1)(x, training=True))
    theirs = _np(keras.layers.Dropout(0.3, seed=1)(x, training=True))
    assert set(np.unique(ours).tolist()) == set(np.unique(theirs).tolist())
    assert abs((ours == 0).mean() - (theirs == 0).mean()) < 0.01
    ours = _np(nk.layers.AlphaDropout(0.3, seed=1)(x, training=True))
    theirs = _np(keras.layers.AlphaDropout(0.3, seed=1)(x, training=True))
    np.testing.assert_allclose(np.unique(ours), np.unique(theirs), rtol=1e-6)
    assert abs(ours.mean() - theirs.mean()) < 0.02


def test_activity_regularization_loss(keras):
    x = RNG.normal(size=(5, 3)).astype("float32")
    ours, theirs = nk.layers.ActivityRegularization(0.1, 0.2), keras.layers.ActivityRegularization(0.1, 0.2)
    ours(x), theirs(x)
    np.testing.assert_allclose(float(ours.losses[0]), float(theirs.losses[0]), rtol=1e-6)
