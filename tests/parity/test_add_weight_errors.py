"""`add_weight` with a shape that is not a tuple (an int) raises the error type Keras raises."""

import pytest

import nanokeras as nk


def test_an_int_shape_raises_what_keras_raises(keras):
    with pytest.raises(Exception) as theirs:
        keras.layers.Layer().add_weight(shape=4, initializer="ones")
    with pytest.raises(type(theirs.value)):
        nk.layers.Layer().add_weight(shape=4, initializer="ones")
