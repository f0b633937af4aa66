"""A layer of the user's that creates a weight or a sub-layer in `call()` once built: a ValueError,
as in Keras (nanokeras made a new random weight at every call, so the model never learned)."""

import numpy as np
import pytest

import nanokeras as keras

_X = np.ones((4, 3), "float32")


def test_add_weight_in_call_is_refused():
    class Scale(keras.layers.Layer):
        def call(self, x):
            return x * self.add_weight(shape=(3,), initializer="ones")

    with pytest.raises(ValueError, match="cannot create weights or sub-layers in `call\\(\\)`"):
        Scale()(_X)


def test_dense_created_in_call_is_refused():
    class Head(keras.layers.Layer):
        def call(self, x):
            self.dense = keras.layers.Dense(2)
            return self.dense(x)

    with pytest.raises(ValueError, match="'head'.*already built"):
        Head(name="head")(_X)


def test_model_creating_a_layer_in_call_is_refused_on_its_second_call():
    class Model(keras.Model):
        def call(self, x):
            self.dense = keras.layers.Dense(2)
            return self.dense(x)

    model = Model()
    with pytest.raises(ValueError, match="already built"):
        model(_X)
        model(_X)


def test_state_made_in_build_after_super_build_is_fine_inside_a_parent_call():
    class Inner(keras.layers.Layer):
        def build(self, input_shape):
            super().build(input_shape)
            self.w = self.add_weight(shape=(input_shape[-1], 2))

        def call(self, x):
            return keras.ops.matmul(x, self.w)

    class Outer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Inner()

        def call(self, x):
            return self.inner(x)

    outer = Outer()
    assert outer(_X).shape == (4, 2)
    assert outer(_X).shape == (4, 2)
    assert len(outer.weights) == 1


def test_sublayers_built_lazily_in_call_and_reassigned_layers_are_fine():
    class Block(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            self.dense = self.dense  # the same layer again
            return self.dense(x)

    block = Block()
    block(_X)
    block(_X)
    assert len(block.weights) == 2


def test_training_a_model_of_well_written_layers_still_works():
    class Linear(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 1))

        def call(self, x):
            return keras.ops.matmul(x, self.w)

    model = keras.Sequential([keras.Input((3,)), Linear()])
    model.compile("sgd", "mse")
    model.fit(_X, np.ones((4, 1), "float32"), epochs=2, verbose=0)
    assert len(model.weights) == 1
