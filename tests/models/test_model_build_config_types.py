"""A model's get_build_config gives its input shape as a tuple, as Keras (and its layers) do."""

import numpy as np

import nanokeras as keras


def test_sequential_and_subclassed_build_configs_are_tuples():
    sequential = keras.Sequential([keras.layers.Dense(1)])
    sequential.build((None, 5))
    assert sequential.get_build_config() == {"input_shape": (None, 5)}

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    net = Net()
    net(np.ones((2, 4), "float32"))
    assert net.get_build_config() == {"input_shape": (2, 4)}
    assert isinstance(net.get_build_config()["input_shape"], tuple)


def test_build_config_still_rebuilds_and_saves(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    clone = keras.Sequential([keras.layers.Dense(2)])
    clone.build_from_config(model.get_build_config())
    assert clone.input_shape == (None, 3)
    model.save(tmp_path / "m.keras")
    assert keras.models.load_model(tmp_path / "m.keras").input_shape == (None, 3)
