"""Lambda layer: calls, shape inference, training argument, configs and the no-code-loading rule."""

import os

import numpy as np
import pytest

import nanokeras as keras


def test_lambda_in_functional_and_sequential():
    x = keras.Input((4,))
    y = keras.layers.Lambda(lambda t: t[:, :2] * 3)(x)
    assert y.shape == (None, 2)
    model = keras.Model(x, y)
    data = np.arange(8, dtype="float32").reshape(2, 4)
    np.testing.assert_allclose(model(data), data[:, :2] * 3)
    seq = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(lambda t: t * 2), keras.layers.Dense(1)])
    assert seq.output_shape == (None, 1)


def test_unknown_dimensions_stay_unknown():
    x = keras.Input((None, 3))
    y = keras.layers.Lambda(lambda t: keras.ops.sum(t, axis=1))(x)
    assert y.shape == (None, 3)


def test_output_shape_and_arguments_and_training():
    layer = keras.layers.Lambda(lambda t, scale: t * scale, output_shape=(3,), arguments={"scale": 2.0})
    assert layer.compute_output_shape((None, 3)) == (None, 3)
    np.testing.assert_allclose(layer(np.ones((1, 3), "float32")), 2.0)
    seen = []

    def fn(t, training=None):
        seen.append(training)
        return t

    layer = keras.layers.Lambda(fn)
    layer(np.ones((1, 2), "float32"), training=True)
    assert seen[-1] is True


def test_named_registered_function_round_trips(tmp_path):
    @keras.saving.register_keras_serializable(package="test_lambda")
    def double(t):
        return t * 2

    inp = keras.Input((2,))
    model = keras.Model(inp, keras.layers.Lambda(double)(inp))
    path = os.path.join(tmp_path, "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded(np.ones((1, 2))), 2.0)


def test_python_lambda_is_saved_by_marker_and_refused_on_load(tmp_path):
    inp = keras.Input((2,))
    model = keras.Model(inp, keras.layers.Lambda(lambda t: t + 1)(inp))
    config = model.layers[1].get_config()
    assert config["function"]["class_name"] == "__lambda__"
    path = os.path.join(tmp_path, "m.keras")
    model.save(path)
    with pytest.raises(ValueError, match="lambda"):
        keras.models.load_model(path)
    with pytest.raises(ValueError, match="lambda"):
        keras.models.load_model(path, safe_mode=False)


def test_bad_arguments():
    with pytest.raises(TypeError, match="callable"):
        keras.layers.Lambda(3)
    with pytest.raises(TypeError, match="arguments"):
        keras.layers.Lambda(abs, arguments=[1])
