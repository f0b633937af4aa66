"""nanokeras/playground/pictures.py: the model sampled over the plane, as the page and the PNGs draw it."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.playground.pictures import ModelView, class_probabilities, data_extent, grid, hidden_layers


def test_grid_rows_run_from_the_top_like_an_image():
    points = grid((0.0, 4.0, 0.0, 2.0), 2)
    np.testing.assert_allclose(points, [[1.0, 1.5], [3.0, 1.5], [1.0, 0.5], [3.0, 0.5]])
    assert points.dtype == np.float32


def test_extent_is_a_square_with_room_around_the_points():
    x_min, x_max, y_min, y_max = data_extent(np.array([[0.0, 0.0], [4.0, 1.0]]), np.array([[2.0, -1.0]]))
    assert x_max - x_min == pytest.approx(y_max - y_min) == pytest.approx(4.8)
    assert (x_min + x_max) / 2 == pytest.approx(2.0) and (y_min + y_max) / 2 == pytest.approx(0.0)


def test_class_probabilities_from_sigmoid_logits_and_softmax():
    np.testing.assert_allclose(class_probabilities(np.array([[0.25], [1.0]])), [[0.75, 0.25], [0.0, 1.0]])
    np.testing.assert_allclose(class_probabilities(np.array([[0.0], [2.0]]))[:, 1], [0.5, 1 / (1 + np.exp(-2))])
    probabilities = np.array([[0.2, 0.3, 0.5]])
    np.testing.assert_allclose(class_probabilities(probabilities), probabilities)
    logits = np.array([[1.0, -1.0, 0.0]])
    np.testing.assert_allclose(class_probabilities(logits), np.exp(logits) / np.exp(logits).sum())


def _model():
    keras.utils.set_random_seed(1)
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dropout(0.5),
                             keras.layers.Dense(2, activation="tanh"), keras.layers.Dense(1, activation="sigmoid")])


def test_view_matches_the_layers_computed_by_hand():
    model = _model()
    view = ModelView(model, (-1.0, 1.0, -2.0, 2.0), size=5, unit_size=3)
    assert [layer.name for layer in view.hidden_layers] == [model.layers[0].name, model.layers[2].name]
    (k1, b1), (k2, b2), (k3, b3) = [layer.get_weights() for layer in (model.layers[0], model.layers[2],
                                                                       model.layers[3])]
    points = grid(view.extent, 3)
    first = np.maximum(points @ k1 + b1, 0)
    second = np.tanh(first @ k2 + b2)
    maps = view.hidden_maps()
    np.testing.assert_allclose(maps[0], first.T.reshape(3, 3, 3), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(maps[1], second.T.reshape(2, 3, 3), rtol=1e-5, atol=1e-6)
    boundary = 1 / (1 + np.exp(-(np.tanh(np.maximum(grid(view.extent, 5) @ k1 + b1, 0) @ k2 + b2) @ k3 + b3)))
    np.testing.assert_allclose(view.probabilities()[..., 1], boundary.reshape(5, 5), rtol=1e-5)
    kernels = view.connection_weights()
    assert [k.shape for k in kernels] == [(2, 3), (3, 2), (2, 1)]
    np.testing.assert_array_equal(kernels[0], k1)


def test_functional_models_are_drawn_and_subclassed_ones_get_the_boundary_only():
    inputs = keras.Input((2,))
    hidden = keras.layers.Dense(4, activation="tanh", name="hidden")(inputs)
    functional = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(hidden))
    view = ModelView(functional, (-1, 1, -1, 1), size=4, unit_size=2)
    assert [layer.name for layer in view.hidden_layers] == ["hidden"]
    assert view.probabilities().shape == (4, 4, 3)

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.inner = keras.layers.Dense(4, activation="tanh")
            self.out = keras.layers.Dense(1, activation="sigmoid")

        def call(self, x):
            return self.out(self.inner(x))

    net = Net()
    net(np.zeros((1, 2), "float32"))
    view = ModelView(net, (-1, 1, -1, 1), size=4, unit_size=2)
    assert hidden_layers(net) == [] and view.hidden_maps() == [] and view.connection_weights() == []
    assert view.probabilities().shape == (4, 4, 2)


def test_too_many_units_to_draw_leaves_the_boundary():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(40), keras.layers.Dense(40),
                              keras.layers.Dense(1, activation="sigmoid")])
    assert hidden_layers(model) == []
