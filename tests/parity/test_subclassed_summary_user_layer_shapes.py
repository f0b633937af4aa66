"""Parity with real Keras 3.15: the Output Shape column of a subclassed model's `summary()` for user
layers with and without `compute_output_shape`, and a subclass of a built-in layer (the NER with
Transformers example's model)."""

import numpy as np

import nanokeras as nk


def _summary(lib):
    lib.backend.clear_session()

    class Doubled(lib.layers.Layer):
        def call(self, inputs):
            return inputs * 2.0

    class DoubledWithShape(Doubled):
        def compute_output_shape(self, input_shape):
            return input_shape

    class WideDense(lib.layers.Dense):
        pass

    class Net(lib.Model):
        def __init__(self):
            super().__init__()
            self.doubled = Doubled()
            self.shaped = DoubledWithShape()
            self.dense = WideDense(3)

        def call(self, inputs):
            return self.dense(self.shaped(self.doubled(inputs)))

    model = Net()
    model(np.ones((2, 4), "float32"))
    lines = []
    model.summary(print_fn=lambda line, **kwargs: lines.append(line))
    return "\n".join(lines)


def test_subclassed_model_summary_shapes_as_keras(keras):
    assert _summary(nk) == _summary(keras)
