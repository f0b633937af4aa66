"""Dense, and a functional model, refuse one sample without its batch axis, as Keras does (they
multiplied it as a vector and returned a result of the wrong shape)."""

import numpy as np
import pytest

import nanokeras as keras


def test_dense_refuses_a_vector_before_building():
    layer = keras.layers.Dense(2)
    with pytest.raises(ValueError, match=r"rank 2 or more .* got shape \(4,\)"):
        layer(np.ones(4, "float32"))
    assert not layer.built
    assert layer(np.ones((1, 4), "float32")).shape == (1, 2)


def test_built_dense_refuses_a_vector():
    layer = keras.layers.Dense(2)
    layer(np.ones((3, 4), "float32"))
    with pytest.raises(ValueError, match="add the batch axis"):
        layer(np.ones(4, "float32"))


def test_functional_model_refuses_a_sample_without_batch_axis():
    inputs = keras.Input((8, 8, 3))
    model = keras.Model(inputs, keras.layers.Conv2D(2, 3)(inputs))
    with pytest.raises(ValueError, match=r"expects input of shape \(None, 8, 8, 3\).*\(8, 8, 3\)"):
        model(np.ones((8, 8, 3), "float32"))
    assert model(np.ones((1, 8, 8, 3), "float32")).shape == (1, 6, 6, 2)


def test_functional_model_still_squeezes_or_adds_a_trailing_axis_of_one():
    inputs = keras.Input((1,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    assert model(np.ones(5, "float32")).shape == (5, 2)
    assert model(np.ones((5, 1, 1), "float32")).shape == (5, 2)


def test_sequential_refuses_a_sample_without_batch_axis():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError):
        model(np.ones(4, "float32"))
