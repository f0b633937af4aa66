"""`Model.operations` of a functional graph and `Layer.add_variable`, against real Keras 3."""

import numpy as np

import nanokeras as nk


def _operations(lib):
    lib.backend.clear_session()
    x = lib.Input((3,), name="x")
    h = lib.layers.Dense(2, name="d")(x)
    y = lib.ops.sum(h, axis=-1) + 1
    z = lib.layers.Concatenate(name="c")([h, lib.ops.expand_dims(y, -1)])
    model = lib.Model(x, [z, y])
    return [(op.name, type(op).__name__ in ("InputLayer", "Dense", "Concatenate")) for op in model.operations], \
        [layer.name for layer in model.layers]


def test_functional_operations_list_layers_and_ops_as_keras(keras):
    assert _operations(nk) == _operations(keras)


def _added(lib):
    lib.backend.clear_session()

    class Scaled(lib.layers.Layer):
        def build(self, input_shape):
            self.scale = self.add_variable((input_shape[-1],), "ones", name="scale")
            self.offset = self.add_variable((), lib.initializers.Constant(0.5), trainable=False, name="offset")

        def call(self, x):
            return x * self.scale + self.offset

    layer = Scaled(name="scaled")
    out = layer(np.arange(6, dtype="float32").reshape(2, 3))
    return ([(v.path, tuple(v.shape), v.trainable) for v in layer.weights], np.asarray(out).tolist())


def test_add_variable_makes_weights_as_keras(keras):
    assert _added(nk) == _added(keras)
