"""`keras.mixed_precision`: the names mixed-precision tutorials call, on the dtype policies."""

import numpy as np
import pytest

import nanokeras as keras


@pytest.fixture(autouse=True)
def _float32_afterwards():
    yield
    keras.mixed_precision.set_global_policy("float32")


def test_set_global_policy_by_name_and_by_policy_object():
    keras.mixed_precision.set_global_policy("mixed_float16")
    assert keras.mixed_precision.global_policy().name == "mixed_float16"
    layer = keras.layers.Dense(2)
    # the layer keeps Keras's policy; it computes in float32 (README, "Differences from Keras")
    assert (layer.dtype_policy.name, layer.variable_dtype) == ("mixed_float16", "float32")
    keras.mixed_precision.set_global_policy(keras.mixed_precision.Policy("mixed_bfloat16"))
    assert keras.mixed_precision.dtype_policy() == keras.DTypePolicy("mixed_bfloat16")
    keras.mixed_precision.set_global_policy("float32")
    assert keras.layers.Dense(2).compute_dtype == "float32"


def test_a_mixed_policy_model_still_trains_in_float32():
    keras.mixed_precision.set_global_policy("mixed_float16")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(1, dtype="float32")])
    model.compile(optimizer=keras.mixed_precision.LossScaleOptimizer(keras.optimizers.SGD(0.1)), loss="mse")
    before = model.layers[0].kernel.numpy().copy()
    model.fit(np.ones((8, 3), "float32"), np.zeros((8, 1), "float32"), epochs=1, verbose=0)
    assert model.layers[0].kernel.dtype == "float32"
    assert not np.array_equal(model.layers[0].kernel.numpy(), before)


def test_an_unknown_policy_name_is_refused_with_the_argument_named():
    with pytest.raises(ValueError, match="mixed_float61"):
        keras.mixed_precision.set_global_policy("mixed_float61")
