"""`[x]` and `[y]` for a model with one input and one output: Keras takes the lists' arrays."""

import numpy as np
import pytest

import nanokeras as keras

X = np.random.RandomState(0).rand(8, 3).astype("float32")
Y = np.arange(8) % 2


def _sequential(built=True):
    layers = [keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")]
    model = keras.Sequential(([keras.Input((3,))] if built else []) + layers)
    model.compile("sgd", "binary_crossentropy")
    return model


def _functional():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")(inputs))
    model.compile("sgd", "binary_crossentropy")
    return model


@pytest.mark.parametrize("make", [_sequential, lambda: _sequential(built=False), _functional])
def test_single_arrays_in_lists_train_as_the_arrays(make):
    reference = make().fit(X, Y, verbose=0, shuffle=False).history["loss"]
    for x, y in (([X], Y), (X, [Y]), ((X,), [Y])):
        assert make().fit(x, y, verbose=0, shuffle=False).history["loss"] == reference
    model = make()
    model.fit(X, Y, verbose=0, shuffle=False)
    np.testing.assert_array_equal(model.predict([X], verbose=0), model.predict(X, verbose=0))
    np.testing.assert_array_equal(model([X]), model(X))
    np.testing.assert_array_equal(model.predict_on_batch([X]), model.predict_on_batch(X))
    assert model.evaluate([X], [Y], verbose=0) == model.evaluate(X, Y, verbose=0)


def test_a_python_list_of_one_sample_stays_data():
    model = _sequential()
    assert model.predict([[1.0, 2.0, 3.0]], verbose=0).shape == (1, 1)
