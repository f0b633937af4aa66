"""A user's `build(self, a_shape, b_shape)` (and `compute_output_shape` of that form) gets the
shape of each tensor argument of `call` by name, as in Keras; its build config keeps them."""

import numpy as np
import pytest

import nanokeras as keras


class Pair(keras.layers.Layer):
    def build(self, a_shape, b_shape=None):
        self.seen = (a_shape, b_shape)
        self.w = self.add_weight(shape=(a_shape[-1],), initializer="ones", name="w")

    def call(self, a, b=None):
        return a * self.w if b is None else a * self.w + b

    def compute_output_shape(self, a_shape, b_shape=None):
        return a_shape


def test_eager_call_passes_each_tensor_arguments_shape():
    layer = Pair()
    layer(np.ones((2, 3), "float32"), np.ones((2, 3), "float32"))
    assert layer.seen == ((2, 3), (2, 3))
    assert layer.get_build_config() == {"shapes_dict": {"a_shape": (2, 3), "b_shape": (2, 3)}}


def test_an_argument_not_given_keeps_its_default():
    layer = Pair()
    layer(np.ones((2, 3), "float32"))
    assert layer.seen == ((2, 3), None)


def test_symbolic_call_uses_both_methods_by_name():
    a, b = keras.Input((3,)), keras.Input((3,))
    layer = Pair()
    out = layer(a, b)
    assert out.shape == (None, 3)
    assert layer.seen == ((None, 3), (None, 3))


def test_the_build_config_rebuilds_the_layer_and_the_file_loads():
    layer = Pair()
    layer(np.ones((2, 4), "float32"), np.ones((2, 4), "float32"))
    again = Pair.from_config(layer.get_config())
    again.build_from_config(layer.get_build_config())
    assert again.built and again.seen == ((2, 4), (2, 4))


def test_a_parameter_not_named_after_a_call_argument_is_refused():
    class Wrong(keras.layers.Layer):
        def build(self, x_shape, other):
            pass

        def call(self, x, y):
            return x

    with pytest.raises(ValueError, match="other"):
        Wrong()(np.ones((1, 2), "float32"), np.ones((1, 2), "float32"))
