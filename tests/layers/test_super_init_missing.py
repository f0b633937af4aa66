"""A layer or model subclass whose `__init__` skips `super().__init__()`: calling it raises a
RuntimeError saying so, as Keras does (it was an AttributeError on an internal attribute)."""

import numpy as np
import pytest

import nanokeras as keras


class _Scale(keras.layers.Layer):
    def __init__(self, factor):
        self.factor = factor

    def call(self, x):
        return x * self.factor


class _Model(keras.Model):
    def __init__(self):
        self.dense = keras.layers.Dense(1)

    def call(self, x):
        return self.dense(x)


@pytest.mark.parametrize("make", [lambda: _Scale(2.0), _Model])
def test_eager_call_names_the_missing_super_init(make):
    with pytest.raises(RuntimeError, match=r"must call `super\(\).__init__\(\)`"):
        make()(np.ones((2, 3), "float32"))


def test_symbolic_call_names_the_missing_super_init():
    with pytest.raises(RuntimeError, match="'_Scale' was not initialized"):
        _Scale(2.0)(keras.Input((3,)))


def test_attribute_errors_of_an_initialized_layer_stay_attribute_errors():
    class Broken(keras.layers.Layer):
        def call(self, x):
            return x.no_such_attribute

    with pytest.raises(AttributeError, match="no_such_attribute"):
        Broken()(np.ones((2, 3), "float32"))


def test_attributes_set_before_super_init_are_fine():
    class Late(keras.layers.Layer):
        def __init__(self, factor):
            self.factor = factor
            super().__init__()

        def call(self, x):
            return x * self.factor

    np.testing.assert_allclose(Late(3.0)(np.ones((1, 2), "float32")), 3.0)
