"""`keras.InputSpec`: a layer's declared inputs are checked on every call, eager and symbolic."""

import numpy as np
import pytest

import nanokeras as keras


class Checked(keras.layers.Layer):
    def __init__(self, spec, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = spec

    def call(self, x):
        return x


@pytest.mark.parametrize("spec,shape,match", [
    (keras.InputSpec(ndim=2), (2, 3, 4), "expected ndim=2, found ndim=3"),
    (keras.InputSpec(min_ndim=3), (2, 3), "expected min_ndim=3, found ndim=2"),
    (keras.InputSpec(max_ndim=2), (2, 3, 4), "expected max_ndim=2, found ndim=3"),
    (keras.InputSpec(axes={-1: 4}), (2, 3), "expected axis -1 of input shape to have value 4"),
    (keras.InputSpec(shape=(None, 5)), (2, 3), r"expected shape=\(None, 5\), found shape=\(2, 3\)"),
    (keras.InputSpec(dtype="int32"), (2, 3), "expected dtype=int32, found dtype=float32"),
])
def test_mismatches_name_the_layer_input_and_expectation(spec, shape, match):
    layer = Checked(spec, name="checked")
    with pytest.raises(ValueError, match="Input 0 of layer 'checked' is incompatible.*" + match):
        layer(np.zeros(shape, "float32"))
    with pytest.raises(ValueError, match=match):
        layer(keras.Input(shape[1:], batch_size=shape[0]))


def test_matching_inputs_pass_and_squeeze_is_allowed():
    layer = Checked(keras.InputSpec(shape=(None, 3, 1), allow_last_axis_squeeze=True))
    assert layer(np.zeros((2, 3), "float32")).shape == (2, 3)
    assert layer(np.zeros((2, 3, 1), "float32")).shape == (2, 3, 1)


def test_several_inputs_and_named_inputs():
    layer = Checked([keras.InputSpec(ndim=2, name="a"), keras.InputSpec(ndim=3, name="b")], name="pair")
    layer({"a": np.zeros((1, 2)), "b": np.zeros((1, 2, 2))})
    with pytest.raises(ValueError, match="expects 2 input"):
        layer([np.zeros((1, 2))])
    with pytest.raises(ValueError, match="Missing data for input 'b'"):
        layer({"a": np.zeros((1, 2)), "c": np.zeros((1, 2, 2))})


def test_config_round_trip_and_bad_axes():
    spec = keras.InputSpec(shape=(None, 4), dtype="float32")
    assert keras.InputSpec.from_config(spec.get_config()).get_config() == spec.get_config()
    assert repr(spec) == "InputSpec(dtype=float32, shape=(None, 4), ndim=2)"
    with pytest.raises(TypeError, match="integer keys"):
        keras.InputSpec(axes={"x": 1})
    with pytest.raises(ValueError, match="greater than the maximum"):
        keras.InputSpec(ndim=2, axes={3: 1})
