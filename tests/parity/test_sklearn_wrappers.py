"""keras.wrappers.SKLearnClassifier/Regressor against real Keras's: same starting weights, same
training, same predictions, same labels and scores."""

import numpy as np
import pytest

import nanokeras as nk

pytest.importorskip("sklearn", reason="scikit-learn runs the wrappers (installed with the dev extra)")


def _builder(lib, weights, head, loss):
    def build(X, y):
        model = lib.Sequential([lib.Input((X.shape[1],)), lib.layers.Dense(4, activation="relu"),
                                lib.layers.Dense(y.shape[1] if head == "softmax" else 1, activation=head)])
        model.compile(lib.optimizers.SGD(0.1), loss)
        model.set_weights(weights)
        return model

    return build


def _weights(keras, outputs, features=5, seed=3):
    model = keras.Sequential([keras.Input((features,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(outputs)])
    return model.get_weights()


def test_classifier_trains_and_predicts_as_keras(keras):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 5)).astype("float32")
    labels = np.array(["a", "b", "c"])[rng.integers(0, 3, 40)]
    weights = _weights(keras, 3)
    fit = {"epochs": 3, "batch_size": 8, "shuffle": False, "verbose": 0}
    theirs = keras.wrappers.SKLearnClassifier(_builder(keras, weights, "softmax", "categorical_crossentropy"),
                                              fit_kwargs=fit).fit(x, labels)
    ours = nk.wrappers.SKLearnClassifier(_builder(nk, weights, "softmax", "categorical_crossentropy"),
                                         fit_kwargs=fit).fit(x, labels)
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_allclose(ours.decision_function(x), theirs.decision_function(x), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(ours.predict(x), theirs.predict(x))
    assert ours.score(x, labels) == pytest.approx(theirs.score(x, labels))
    np.testing.assert_allclose(ours.history_.history["loss"], theirs.history_.history["loss"], rtol=1e-5)


def test_regressor_trains_and_predicts_as_keras(keras):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(40, 5)).astype("float32")
    y = (x[:, 0] - x[:, 2]).astype("float32")
    weights = _weights(keras, 1)
    fit = {"epochs": 3, "batch_size": 8, "shuffle": False, "verbose": 0}
    theirs = keras.wrappers.SKLearnRegressor(_builder(keras, weights, "linear", "mse"), fit_kwargs=fit).fit(x, y)
    ours = nk.wrappers.SKLearnRegressor(_builder(nk, weights, "linear", "mse"), fit_kwargs=fit).fit(x, y)
    assert ours.predict(x).shape == theirs.predict(x).shape == (40,)
    np.testing.assert_allclose(ours.predict(x), theirs.predict(x), rtol=1e-5, atol=1e-6)
    assert ours.score(x, y) == pytest.approx(theirs.score(x, y), rel=1e-5)
