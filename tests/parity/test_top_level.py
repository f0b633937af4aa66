"""Top-level names beside the namespaces against real Keras: Operation, device, remat, RematScope, version."""

import numpy as np

import nanokeras


def test_operations_compute_and_shape_as_in_keras(keras):
    def make(module):
        class Scale(module.Operation):
            def call(self, x):
                return module.ops.multiply(module.ops.sum(x, axis=-1, keepdims=True), x)

        return Scale()

    x = np.arange(6.0, dtype="float32").reshape(2, 3)
    np.testing.assert_array_equal(make(nanokeras)(x), np.asarray(make(keras)(x)))
    assert make(nanokeras)(nanokeras.Input((4,))).shape == make(keras)(keras.Input((4,))).shape


def test_remat_scope_device_and_version_as_in_keras(keras):
    ours, theirs = nanokeras.RematScope("larger_than", 10), keras.RematScope("larger_than", 10)
    assert (ours.mode, ours.output_size_threshold, ours.layer_names) == (
        theirs.mode, theirs.output_size_threshold, theirs.layer_names)
    f = lambda v: v * 2  # noqa: E731
    assert nanokeras.remat(f)(3) == keras.remat(f)(3) == 6
    with nanokeras.device("cpu:0"), keras.device("cpu:0"):
        pass
    assert isinstance(keras.version(), str) and isinstance(nanokeras.version(), str)
