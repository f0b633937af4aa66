"""A subclassed Model whose `call` takes a dict or a list of inputs (DLWP's CustomerTicketModel):
its first call builds it by running `call` on zeros of the same structure."""

import numpy as np
import pytest

import nanokeras as keras


class _DictModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.concat = keras.layers.Concatenate()
        self.mixing = keras.layers.Dense(4, activation="relu")
        self.scorer = keras.layers.Dense(1, activation="sigmoid")
        self.classifier = keras.layers.Dense(3, activation="softmax")

    def call(self, inputs):
        features = self.mixing(self.concat([inputs["title"], inputs["tags"]]))
        return self.scorer(features), self.classifier(features)


class _ListModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(2)

    def call(self, inputs):
        first, second = inputs
        return self.dense(keras.ops.concatenate([first, second], axis=-1))


_DATA = {"title": np.ones((5, 6), "float32"), "tags": np.zeros((5, 2), "float32")}


def test_called_on_a_dict():
    priority, department = _DictModel()(_DATA)
    assert priority.shape == (5, 1) and department.shape == (5, 3)


def test_called_on_a_list():
    model = _ListModel()
    assert model([np.ones((2, 3)), np.ones((2, 1))]).shape == (2, 2)
    assert [tuple(w.shape) for w in model.weights] == [(4, 2), (2,)]


def test_fit_and_predict_on_a_dict_without_calling_first():
    model = _DictModel()
    model.compile("rmsprop", ["mse", "categorical_crossentropy"])
    labels = [np.ones((5, 1), "float32"), np.eye(3, dtype="float32")[[0, 1, 2, 0, 1]]]
    model.fit(_DATA, labels, epochs=1, verbose=0)
    priority, department = model.predict(_DATA, verbose=0)
    assert priority.shape == (5, 1) and department.shape == (5, 3)


def test_build_with_a_dict_of_shapes_with_unknown_batch():
    model = _DictModel()
    model.build({"title": (None, 6), "tags": (None, 2)})
    assert model.built
    assert model.mixing.kernel.shape == (8, 4)


def test_a_failing_call_leaves_the_model_unbuilt():
    model = _DictModel()
    with pytest.raises(KeyError):
        model({"title": np.ones((2, 6), "float32")})
    assert not model.built
