"""Top-level names beside the namespaces against real Keras: Operation and version."""

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


def test_version_is_a_function_as_in_keras(keras):
    assert isinstance(keras.version(), str) and nanokeras.version() == nanokeras.__version__
