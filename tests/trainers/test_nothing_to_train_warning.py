"""Training a built model whose weights are all frozen warns once per `compile` (as Keras on
TensorFlow warns), naming Keras 2's GAN recipe that froze a compiled discriminator."""

import warnings

import numpy as np
import pytest

import nanokeras as keras

X = np.ones((8, 3), "float32")
Y = np.ones((8, 1), "float32")


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def _caught(run):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run()
    return [w for w in caught if "no trainable weights" in str(w.message)]


@pytest.mark.parametrize("train", [
    lambda m: m.fit(X, Y, epochs=2, verbose=0),
    lambda m: [m.train_on_batch(X, Y) for _ in range(3)],
], ids=["fit", "train_on_batch"])
def test_a_frozen_model_warns_once_per_compile_and_keeps_its_weights(train):
    model = _model()
    before = model.get_weights()
    model.trainable = False
    caught = _caught(lambda: (train(model), train(model)))
    assert len(caught) == 1
    assert "'sequential'" in str(caught[0].message) and "GAN" in str(caught[0].message)
    assert caught[0].filename == __file__
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    model.compile("sgd", "mse")
    assert len(_caught(lambda: train(model))) == 1


def test_a_model_with_something_to_train_or_not_built_yet_does_not_warn():
    model = _model()
    assert _caught(lambda: model.fit(X, Y, verbose=0)) == []
    unbuilt = keras.Sequential([keras.layers.Dense(1)])
    unbuilt.compile("sgd", "mse")
    assert _caught(lambda: unbuilt.fit(X, Y, verbose=0)) == []
    model.layers[0].trainable = False
    model.layers[0].trainable = True
    assert _caught(lambda: model.train_on_batch(X, Y)) == []
