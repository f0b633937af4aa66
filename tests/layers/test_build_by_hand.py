"""`layer.build(shape)` called by hand on a layer of the user's builds it, as in Keras: it is
`built`, its build_config records the shape, and a later call does not build it again (which made
new weights, dropping ones set in between)."""

import numpy as np

import nanokeras as keras


class Linear(keras.layers.Layer):
    def build(self, input_shape):
        self.builds = getattr(self, "builds", 0) + 1
        self.w = self.add_weight(shape=(input_shape[-1], 2))

    def call(self, x):
        return x @ self.w


def test_build_by_hand_marks_the_layer_built_and_records_the_shape():
    layer = Linear()
    layer.build((None, 3))
    assert layer.built and layer.get_build_config() == {"input_shape": (None, 3)}


def test_weights_set_after_a_build_by_hand_are_kept_by_calls():
    layer = Linear()
    layer.build((None, 3))
    layer.set_weights([np.ones((3, 2), "float32")])
    np.testing.assert_allclose(layer(np.ones((1, 3), "float32")), [[3.0, 3.0]])
    model = keras.Sequential([keras.Input((3,)), layer])
    assert layer.builds == 1 and len(layer.weights) == 1 and len(model.weights) == 1


def test_build_with_extra_arguments_and_build_from_config():
    class WithInit(keras.layers.Layer):
        def build(self, input_shape, layer_init):
            self.layer_init = layer_init
            self.w = self.add_weight(shape=(input_shape[-1], 2), initializer=layer_init)

        def build_from_config(self, config):
            self.build(config["input_shape"], config["layer_init"])

        def call(self, x):
            return x @ self.w

    layer = WithInit()
    layer.build_from_config({"input_shape": (None, 4), "layer_init": "ones"})
    assert layer.built and layer.layer_init == "ones"
    np.testing.assert_allclose(layer(np.ones((1, 4), "float32")), [[4.0, 4.0]])


def test_subclass_of_a_built_in_layer_built_by_hand():
    class DenseWithExtra(keras.layers.Dense):
        def build(self, input_shape):
            super().build(input_shape)
            self.extra = self.add_weight(shape=(self.units,), initializer="ones")

        def call(self, x):
            return super().call(x) + self.extra

    layer = DenseWithExtra(2)
    layer.build((None, 3))
    assert layer.built and layer.get_build_config() == {"input_shape": (None, 3)}
    layer(np.ones((1, 3), "float32"))
    assert len(layer.weights) == 3


def test_subclassed_model_with_its_own_build():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def build(self, input_shape):
            self.dense.build(input_shape)

        def call(self, x):
            return self.dense(x)

    net = Net()
    net.build((None, 3))
    assert net.built and len(net.weights) == 2
