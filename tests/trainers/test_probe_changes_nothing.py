"""`fit`/`evaluate` look at the model's outputs once before training (to tie losses and metrics
to them); that look must not change a variable a layer assigns in `call`."""

import numpy as np
import pytest

import nanokeras as keras


class Counter(keras.layers.Layer):
    """Adds up every input it sees (a running total, as a user's statistics layer might keep)."""

    def build(self, input_shape):
        self.total = self.add_weight(shape=(), initializer="zeros", trainable=False)

    def call(self, x):
        self.total.assign_add(keras.ops.sum(x))
        return x


@pytest.mark.parametrize("kind", ["sequential", "functional", "subclassed"])
def test_only_the_batches_reach_a_layer_that_counts(kind):
    counter = Counter()
    if kind == "sequential":
        model = keras.Sequential([keras.Input((3,)), counter, keras.layers.Dense(1)])
    elif kind == "functional":
        inputs = keras.Input((3,))
        model = keras.Model(inputs, keras.layers.Dense(1)(counter(inputs)))
    else:
        class Model(keras.Model):
            def __init__(self):
                super().__init__()
                self.counter, self.dense = counter, keras.layers.Dense(1)

            def call(self, x):
                return self.dense(self.counter(x))

        model = Model()
    model.compile("sgd", "mse")
    x, y = np.ones((40, 3), "float32"), np.ones((40, 1), "float32")
    model.fit(x, y, batch_size=8, verbose=0)
    assert float(counter.total.numpy()) == 120.0
    model.evaluate(x, y, batch_size=8, verbose=0)
    assert float(counter.total.numpy()) == 240.0
    model.fit(x, y, batch_size=8, verbose=0, validation_data=(x, y))
    assert float(counter.total.numpy()) == 480.0
