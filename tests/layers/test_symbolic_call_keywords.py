"""A layer called on KerasTensors refuses keywords its `call` has no parameter for, as on arrays."""

import pytest

import nanokeras as keras


def test_unknown_keyword_on_symbolic_inputs_raises_type_error():
    with pytest.raises(TypeError, match="Dense.call\\(\\) got an unexpected keyword argument 'foo'"):
        keras.layers.Dense(3)(keras.Input((2,)), foo=1)


def test_call_with_var_keywords_takes_any_keyword():
    class Scale(keras.layers.Layer):
        def call(self, inputs, **kwargs):
            return inputs * kwargs.get("factor", 1.0)

    assert Scale()(keras.Input((2,)), factor=2.0).shape == (None, 2)


def test_declared_keywords_and_training_mask_still_pass():
    class Shift(keras.layers.Layer):
        def call(self, inputs, offset=0.0):
            return inputs + offset

    x = keras.Input((2,))
    assert Shift()(x, offset=1.0).shape == (None, 2)
    assert Shift()(x, training=True).shape == (None, 2)  # dropped: `call` takes no `training`
    assert keras.layers.Dense(2)(x, mask=None).shape == (None, 2)
