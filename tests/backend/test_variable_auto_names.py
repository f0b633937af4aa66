"""Unnamed variables are numbered as Keras numbers them, so two unnamed weights never share a path."""

import nanokeras as keras


def test_unnamed_variables_get_numbered_names():
    keras.backend.clear_session()
    assert [keras.Variable(1.0).name, keras.Variable(2.0).name] == ["variable", "variable_1"]
    assert keras.Variable(3.0, name="a").name == "a"


def test_unnamed_weights_of_a_layer_have_distinct_paths():
    class Linear(keras.layers.Layer):
        def __init__(self):
            super().__init__(name="linear")
            self.w = self.add_weight(shape=(2, 3))
            self.b = self.add_weight(shape=(3,), initializer="zeros")

        def call(self, inputs):
            return inputs @ self.w + self.b

    keras.backend.clear_session()
    layer = Linear()
    assert [w.path for w in layer.weights] == ["linear/variable", "linear/variable_1"]
