"""A layer of the user's whose `call` returns nothing (a forgotten `return`): called on a
KerasTensor it returns None, as in Keras, and the layer after it, or the model, says so
(nanokeras made a shape-() object tensor, and the next layer asked for a batch axis)."""

import numpy as np
import pytest

import nanokeras as keras


class NoReturn(keras.layers.Layer):
    def call(self, x):
        x = x * 2  # noqa: F841  (the forgotten `return`)


def test_symbolic_call_returns_none():
    assert NoReturn()(keras.Input((2,))) is None


@pytest.mark.parametrize("build", [
    lambda: keras.Sequential([keras.Input((2,)), NoReturn(), keras.layers.Dense(1)]),
    lambda: keras.layers.Dense(1)(NoReturn()(keras.Input((2,)))),
])
def test_the_next_layer_says_its_input_is_none(build):
    with pytest.raises(ValueError, match="called on None.*add `return`"):
        build()


def test_a_sequential_ending_in_it_is_refused():
    with pytest.raises(ValueError, match="returned None.*needs a `return`"):
        keras.Sequential([keras.Input((2,)), NoReturn()])


def test_eager_calls_still_return_what_call_returns():
    assert NoReturn()(np.ones((1, 2), "float32")) is None
    np.testing.assert_allclose(keras.layers.Dense(1, kernel_initializer="ones")(np.ones((1, 2))), [[2.0]])
