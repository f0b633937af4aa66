"""`keras.device`, `keras.remat`, `keras.RematScope` and `keras.version`."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.backend.devices_and_remat import current_remat_mode


def test_device_accepts_the_cpu_only():
    with keras.device("cpu:0"):
        assert keras.ops.add(np.ones(2), 1.0).tolist() == [2.0, 2.0]
    with keras.device("CPU"):
        pass
    with pytest.raises(ValueError, match="numpy on the CPU"):
        with keras.device("gpu:0"):
            pass


def test_remat_changes_no_number_and_scopes_record_their_mode():
    w = keras.Variable([1.0, 2.0])
    square = keras.remat(lambda v: keras.ops.sum(keras.ops.square(v)))
    with keras.GradientTape() as tape:
        total = square(w)
    assert float(total) == 5.0 and tape.gradient(total, w).tolist() == [2.0, 4.0]
    assert current_remat_mode() is None
    with keras.RematScope(mode="larger_than", output_size_threshold=10):
        with keras.RematScope(mode="list_of_layers", layer_names=["dense"]):
            assert current_remat_mode() == ("list_of_layers", 1024, ["dense"])
        assert current_remat_mode().mode == "larger_than"
    assert current_remat_mode() is None
    with pytest.raises(ValueError, match="Invalid mode"):
        keras.RematScope(mode="some")
    with pytest.raises(TypeError, match="callable"):
        keras.remat(3)


def test_version_is_a_function_as_in_keras():
    assert keras.version() == keras.__version__
