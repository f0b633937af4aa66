"""The TensorFlow beginners' first model against real Keras 3: `Dense(1, input_shape=[1])`
fitted on plain vectors (`verbose=False`), and data with a trailing axis of size 1 for an
`Input` without it. Same weights in, same losses, weights and predictions out."""

import numpy as np
import pytest

import nanokeras as nk

CELSIUS = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
FAHRENHEIT = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)


def _celsius_to_fahrenheit(lib):
    layer = lib.layers.Dense(units=1, input_shape=[1])
    model = lib.Sequential([layer])
    model.compile(loss="mean_squared_error", optimizer=lib.optimizers.Adam(0.1))
    model.set_weights([np.array([[0.5]]), np.array([0.0])])
    history = model.fit(CELSIUS, FAHRENHEIT, epochs=30, verbose=False)
    return (history.history["loss"], layer.get_weights(), model.predict(np.array([100.0]), verbose=0),
            model.evaluate(CELSIUS, FAHRENHEIT, verbose=0))


@pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`")
def test_celsius_tutorial_trains_on_vectors_as_in_keras(keras):
    ours, theirs = _celsius_to_fahrenheit(nk), _celsius_to_fahrenheit(keras)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)
    for a, b in zip(ours[1], theirs[1]):
        np.testing.assert_allclose(a, b, rtol=1e-5)
    assert ours[2].shape == theirs[2].shape == (1, 1)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5)
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-5)


def _squeezed(lib):
    inputs = lib.Input((3,))
    model = lib.Model(inputs, lib.layers.Dense(2, kernel_initializer="ones", bias_initializer="ones")(inputs))
    x = np.arange(12, dtype="float32").reshape(4, 3, 1)
    model.compile("sgd", "mse")
    loss = model.train_on_batch(x, np.ones((4, 2), "float32"))
    return model.predict(x, verbose=0), np.asarray(model(x)), loss, model.get_weights()


def test_a_trailing_axis_of_one_is_dropped_as_in_keras(keras):
    ours, theirs = _squeezed(nk), _squeezed(keras)
    for a, b in zip(ours[:3], theirs[:3]):
        np.testing.assert_allclose(a, b, rtol=1e-5)
    for a, b in zip(ours[3], theirs[3]):
        np.testing.assert_allclose(a, b, rtol=1e-5)


def _lists_of_one(lib):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")])
    model.compile("sgd", "binary_crossentropy")
    x = np.random.RandomState(0).rand(8, 3).astype("float32")
    y = np.arange(8) % 2
    history = model.fit([x], [y], epochs=2, verbose=0, shuffle=False).history["loss"]
    return history, model.predict([x], verbose=0), model.evaluate([x], [y], verbose=0)


@pytest.mark.filterwarnings("ignore:The structure of `inputs`")
def test_one_array_in_a_list_trains_as_in_keras(keras):
    ours, theirs = _lists_of_one(nk), _lists_of_one(keras)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5)


def test_a_sequential_called_on_a_list_of_two_arrays_is_a_value_error_in_both(keras):
    pair = [np.ones((2, 3), "float32"), np.ones((2, 3), "float32")]
    for lib in (nk, keras):
        model = lib.Sequential([lib.layers.Dense(2)])
        with pytest.raises(ValueError):
            model(pair)


def test_errors_keras_raises_as_value_or_index_errors_are_caught_the_same(keras, tmp_path):
    for lib in (nk, keras):
        with pytest.raises(ValueError):
            lib.models.load_model(str(tmp_path / "missing.keras"))
        with pytest.raises(IndexError):
            lib.utils.to_categorical([0, 3], num_classes=2)
        with pytest.raises(ValueError):
            lib.Sequential().add("x")


def test_invalid_dtypes_and_array_outputs_are_value_errors_in_both(keras):
    for lib in (nk, keras):
        with pytest.raises(ValueError):
            lib.ops.cast(np.ones(3), "floaty")
        with pytest.raises(ValueError):
            lib.Model(lib.Input((3,)), np.ones(3))


def test_a_sequential_holding_a_model_with_one_listed_output_as_in_keras(keras):
    results = []
    for lib in (nk, keras):
        inputs = lib.Input((3,))
        inner = lib.Model(inputs, [lib.layers.Dense(2, kernel_initializer="ones")(inputs)])
        model = lib.Sequential([lib.Input((3,)), inner])
        results.append((model.output_shape, np.asarray(model(np.ones((2, 3), "float32")))))
    assert results[0][0] == results[1][0] == (None, 2)
    np.testing.assert_allclose(results[0][1], results[1][1])
