"""`keras.DTypePolicy`, `keras.name_scope`, `keras.device`, `keras.remat` / `keras.RematScope`."""

import warnings

import numpy as np
import pytest

import nanokeras as keras


def test_dtype_policy_describes_float_policies_and_configures_layers():
    policy = keras.DTypePolicy("float64")
    assert (policy.name, policy.compute_dtype, policy.variable_dtype, policy.quantization_mode) == \
        ("float64", "float64", "float64", None)
    assert keras.DTypePolicy.from_config(policy.get_config()) == policy
    assert keras.DTypePolicy().name == keras.config.floatx()
    assert repr(keras.FloatDTypePolicy("float16")) == '<DTypePolicy "float16">'
    layer = keras.layers.Dense(2, dtype=policy)
    assert layer.dtype == "float64" and layer(np.ones((1, 3))).dtype == np.float64
    assert layer.dtype_policy == policy


def test_mixed_policies_are_described_and_layers_compute_in_their_variable_dtype():
    mixed = keras.DTypePolicy("mixed_float16")
    assert (mixed.compute_dtype, mixed.variable_dtype) == ("float16", "float32")
    layer = keras.layers.Dense(2, dtype=mixed)
    assert layer.dtype_policy == mixed and layer(np.ones((1, 3), "float32")).dtype == np.float32
    with pytest.raises(ValueError, match="Cannot make a dtype policy from 'int_ish'"):
        keras.DTypePolicy("int_ish")
    with pytest.raises(TypeError, match="must be a string"):
        keras.DTypePolicy(3)


def test_name_scopes_prefix_variable_paths():
    with keras.name_scope("outer"):
        with keras.name_scope("inner"):
            inner = keras.Variable(1.0, name="w")
        with keras.name_scope("other", override_parent="root"):
            overridden = keras.Variable(1.0, name="w")
        outer = keras.Variable(1.0, name="v")
    assert (inner.path, overridden.path, outer.path) == ("outer/inner/w", "root/other/w", "outer/v")
    assert keras.Variable(1.0, name="free").path == "free"
    owner = object()
    with keras.name_scope("block", caller=owner):
        with keras.name_scope("block", caller=owner):  # the same caller re-entering: no new level
            assert keras.Variable(0.0, name="x").path == "block/x"
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        keras.name_scope("a/b")


def test_device_and_remat_change_no_number():
    with keras.device("cpu:0"):
        y = keras.ops.exp(np.zeros(2))
    np.testing.assert_array_equal(y, [1.0, 1.0])
    with pytest.raises(ValueError, match="device_name"):
        with keras.device(None):
            pass

    def square(x):
        return x * x

    with pytest.warns(UserWarning, match="Rematerialization"):
        assert keras.remat(square) is square
    with keras.RematScope(mode="larger_than", output_size_threshold=10) as scope:
        assert scope.output_size_threshold == 10
    with pytest.raises(ValueError, match="Invalid mode"):
        keras.RematScope(mode="sometimes")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert keras.version() == keras.__version__
