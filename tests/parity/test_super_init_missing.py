"""Calling a layer whose `__init__` forgot `super().__init__()`: RuntimeError in Keras and nanokeras."""

import numpy as np
import pytest

import nanokeras as nk


def _forgetful_layer(lib):
    class Scale(lib.layers.Layer):
        def __init__(self, factor):
            self.factor = factor

        def call(self, x):
            return x * self.factor

    return Scale(2.0)


def test_missing_super_init_is_a_runtime_error(keras):
    for lib in (keras, nk):
        with pytest.raises(RuntimeError, match="super"):
            _forgetful_layer(lib)(np.ones((2, 3), "float32"))
        with pytest.raises(RuntimeError, match="super"):
            _forgetful_layer(lib)(lib.Input((3,)))
