"""Bad input gets a clear error naming the argument, and leaves the model as it was."""

import numpy as np
import pytest

import nanokeras as keras


@pytest.fixture
def model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", ["acc"])
    return model


X = np.random.rand(10, 2).astype("float32")
Y = np.arange(10) % 3


def _unchanged(model, weights):
    for a, b in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(a, b)
    assert model.optimizer.iterations.numpy() == 0


def test_fit_before_compile():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="compile"):
        model.fit(X, Y)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(x=np.random.rand(10, 3)), r"expects input of shape \(None, 2\).*3"),
        (dict(y=Y[:8]), "same number of samples"),
        (dict(y=np.full(10, 3)), "3"),
        (dict(y=-np.ones(10)), "-1"),
        (dict(batch_size=0), "batch_size"),
        (dict(validation_split=1.0), "validation_split"),
        (dict(validation_split=-0.1), "validation_split"),
        (dict(x=np.array([["a", "b"]] * 10)), "numeric"),
        (dict(x=np.zeros((0, 2)), y=np.zeros(0)), "empty"),
        (dict(x=np.where(np.eye(10, 2) > 0, np.nan, 0.0)), "NaN"),
        (dict(y=np.where(np.arange(10) == 4, np.inf, 1.0)), "inf"),
        (dict(validation_data=(X,)), "validation_data"),
        (dict(validation_data=(X, Y, None, None)), "validation_data"),
        (dict(verbose=3), "verbose"),
        (dict(epochs=-1), "epochs"),
    ],
)
def test_fit_rejects_bad_arguments_and_changes_nothing(model, kwargs, match):
    weights = model.get_weights()
    arguments = dict(x=X, y=Y, verbose=0)
    arguments.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=match):
        model.fit(**arguments)
    _unchanged(model, weights)


def test_integer_labels_with_categorical_crossentropy_suggest_fix(model):
    model.compile("adam", "categorical_crossentropy")
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy|to_categorical"):
        model.fit(X, Y, verbose=0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(optimizer="adamm", loss="mse"), "adam"),
        (dict(optimizer="adam", loss="binary_crosentropy"), "binary_crossentropy"),
        (dict(optimizer="adam", loss="mse", metrics=["accuarcy"]), "accuracy"),
    ],
)
def test_compile_misspellings_suggest_the_closest_name(kwargs, match):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match=match):
        model.compile(**kwargs)
    assert not model.compiled


def test_predict_with_wrong_feature_count(model):
    with pytest.raises(ValueError, match=r"\(None, 2\)"):
        model.predict(np.zeros((3, 5)), verbose=0)


def test_to_categorical_rejects_negative_labels():
    with pytest.raises(ValueError, match="negative|-1"):
        keras.utils.to_categorical([0, -1, 2])


def test_string_features_error_shows_an_example_value():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(TypeError) as caught:
        model.predict(np.array([["a", "b"]]), verbose=0)
    message = str(caught.value)
    assert "(e.g. 'a')" in message and "if array.size" not in message


def test_verbose_takes_booleans_as_keras_does(model, capsys):
    model.fit(X, Y, epochs=1, verbose=False)
    model.evaluate(X, Y, verbose=False)
    model.predict(X, verbose=False)
    assert capsys.readouterr().out == ""
    model.fit(X, Y, epochs=1, verbose=True)
    assert "loss:" in capsys.readouterr().out
    with pytest.raises(ValueError, match="`verbose` must be 'auto', 0, 1 or 2, got 'yes'"):
        model.fit(X, Y, verbose="yes")
