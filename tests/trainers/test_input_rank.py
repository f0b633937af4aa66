"""Data one rank off the model's `Input` (Keras's rule): a trailing axis of size 1 is added
where the `Input` ends in 1, or dropped from the data; anything else is refused."""

import numpy as np
import pytest

import nanokeras as keras

CELSIUS = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
FAHRENHEIT = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)


def _celsius_model():
    model = keras.Sequential([keras.layers.Dense(units=1, input_shape=[1])])
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(0.1))
    model.set_weights([np.array([[0.5]]), np.array([0.0])])
    return model


def test_a_vector_of_single_feature_samples_trains_as_a_column():
    vector, column = _celsius_model(), _celsius_model()
    h1 = vector.fit(CELSIUS, FAHRENHEIT, epochs=20, verbose=False)
    h2 = column.fit(CELSIUS[:, None], FAHRENHEIT[:, None], epochs=20, verbose=0)
    assert h1.history["loss"] == h2.history["loss"]
    np.testing.assert_array_equal(vector.get_weights()[0], column.get_weights()[0])
    assert vector.predict(np.array([100.0]), verbose=0).shape == (1, 1)
    assert vector(np.array([100.0])).shape == (1, 1)
    np.testing.assert_array_equal(vector.evaluate(CELSIUS, FAHRENHEIT, verbose=0),
                                  column.evaluate(CELSIUS[:, None], FAHRENHEIT, verbose=0))


def test_a_trailing_axis_of_one_is_dropped_for_a_functional_model():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2, kernel_initializer="ones")(inputs))
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_array_equal(model.predict(x[..., None], verbose=0), model.predict(x, verbose=0))
    np.testing.assert_array_equal(model(x[..., None]), model(x))


def test_batches_from_a_generator_are_matched_too_on_every_path():
    def batches():
        while True:
            yield CELSIUS[:4], FAHRENHEIT[:4]

    source, arrays = _celsius_model(), _celsius_model()
    h1 = source.fit(batches(), steps_per_epoch=3, epochs=2, verbose=0)
    h2 = arrays.fit(np.tile(CELSIUS[:4], 3)[:, None], np.tile(FAHRENHEIT[:4], 3), batch_size=4, shuffle=False,
                    epochs=2, verbose=0)
    assert h1.history["loss"] == h2.history["loss"]


def test_the_compiled_step_gets_the_same_gradients_through_the_added_axis():
    inputs = keras.Input((4, 1))
    x = keras.layers.Flatten()(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1, kernel_initializer="ones")(x))
    model.compile(keras.optimizers.SGD(0.01), "mse")
    twin = keras.models.clone_model(model)
    twin.set_weights(model.get_weights())
    twin.compile(keras.optimizers.SGD(0.01), "mse", run_eagerly=True)
    data = np.random.default_rng(0).normal(size=(12, 4)).astype("float32")
    target = data.sum(axis=1)
    a = model.fit(data, target, batch_size=4, epochs=2, shuffle=False, verbose=0).history["loss"]
    b = twin.fit(data[..., None], target, batch_size=4, epochs=2, shuffle=False, verbose=0).history["loss"]
    assert a == b


@pytest.mark.parametrize("shape", [(7, 2, 2), (7,)])
def test_other_rank_differences_are_refused_with_the_expected_shape(shape):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    with pytest.raises(ValueError, match=r"expects input of shape \(None, 2\)"):
        model.predict(np.zeros(shape), verbose=0)
