"""`metrics_names` lists the log keys in the order `evaluate` lists their values, so the Keras 2 idiom
`dict(zip(model.metrics_names, model.evaluate(x, y)))` names every value right (docs/keras2.md)."""

import numpy as np
import pytest

import nanokeras as keras


def _functional(names):
    inputs = keras.Input((5,))
    features = keras.layers.Dense(4)(inputs)
    return keras.Model(inputs, [keras.layers.Dense(1, name=names[0])(features),
                                keras.layers.Dense(3, activation="softmax", name=names[1])(features)])


class _Subclassed(keras.Model):
    def __init__(self):
        super().__init__()
        self.mix = keras.layers.Dense(4)
        self.score = keras.layers.Dense(1)
        self.classes = keras.layers.Dense(3, activation="softmax")

    def call(self, x):
        features = self.mix(x)
        return self.score(features), self.classes(features)


_X = np.random.default_rng(0).random((8, 5), dtype="float32")
_Y = [np.full((8, 1), 0.5, "float32"), np.eye(3, dtype="float32")[[0, 1, 2, 0, 1, 2, 0, 1]]]


@pytest.mark.parametrize("make", [lambda: _functional(["score", "classes"]), lambda: _functional(["b", "a"]),
                                  _Subclassed])
def test_zip_of_metrics_names_and_evaluate_is_return_dict(make):
    # Output names not in alphabetical order: the list-valued metrics came out in output order in
    # `metrics_names` but sorted in `evaluate`, so `score_mae` was paired with the accuracy.
    model = make()
    model.compile("rmsprop", ["mse", "categorical_crossentropy"], metrics=[["mae"], ["accuracy"]])
    model.fit(_X, _Y, epochs=1, verbose=0)
    zipped = dict(zip(model.metrics_names, model.evaluate(_X, _Y, verbose=0)))
    assert zipped == model.evaluate(_X, _Y, verbose=0, return_dict=True)
    assert len(model.metrics_names) == 5


def test_functional_names_in_evaluate_order():
    model = _functional(["score", "classes"])
    model.compile("rmsprop", ["mse", "categorical_crossentropy"], metrics=[["mae"], ["accuracy"]])
    model.fit(_X, _Y, epochs=1, verbose=0)
    assert model.metrics_names == ["loss", "score_loss", "classes_loss", "classes_accuracy", "score_mae"]
