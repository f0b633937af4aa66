"""`summary()` of a subclassed model shows "?" as the output shape of a user layer that does not
define `compute_output_shape` (Keras's default raises there), and the shape when it does or when
it subclasses a built-in layer."""

import numpy as np

import nanokeras as keras


class Doubled(keras.layers.Layer):
    def call(self, inputs):
        return inputs * 2.0


class DoubledWithShape(Doubled):
    def compute_output_shape(self, input_shape):
        return input_shape


class WideDense(keras.layers.Dense):
    pass


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.doubled = Doubled()
        self.shaped = DoubledWithShape()
        self.dense = WideDense(3)

    def call(self, inputs):
        return self.dense(self.shaped(self.doubled(inputs)))


def _shape_column(model):
    lines = []
    model.summary(print_fn=lambda line, **kwargs: lines.append(line))
    rows = {}
    for line in "\n".join(lines).splitlines():
        cells = [c.strip() for c in line.strip("│").split("│")]
        if len(cells) == 3 and cells[0] and cells[1]:
            rows[cells[0].split(" ")[0]] = cells[1]
    return rows


def test_user_layer_without_compute_output_shape_shows_a_question_mark():
    model = Net()
    model(np.ones((2, 4), "float32"))
    rows = _shape_column(model)
    assert rows[model.doubled.name] == "?"
    assert rows[model.shaped.name] == "(2, 4)"
    assert rows[model.dense.name] == "(2, 3)"
