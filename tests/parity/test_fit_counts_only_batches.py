"""A layer that counts what it sees, trained and evaluated in both libraries: the same totals
(nanokeras's one look at the outputs before training changes no variable, as Keras's)."""

import numpy as np

import nanokeras as nk


def _totals(lib):
    class Counter(lib.layers.Layer):
        def build(self, input_shape):
            self.total = self.add_weight(shape=(), initializer="zeros", trainable=False)

        def call(self, x):
            self.total.assign_add(lib.ops.sum(x))
            return x

    counter = Counter()
    inputs = lib.Input((3,))
    model = lib.Model(inputs, lib.layers.Dense(1)(counter(inputs)))
    model.compile("sgd", "mse")
    x, y = np.ones((40, 3), "float32"), np.ones((40, 1), "float32")
    totals = []
    model.fit(x, y, batch_size=8, verbose=0, validation_data=(x[:16], y[:16]))
    totals.append(float(np.asarray(counter.total.numpy())))
    model.evaluate(x, y, batch_size=8, verbose=0)
    totals.append(float(np.asarray(counter.total.numpy())))
    model.predict(x, batch_size=8, verbose=0)
    totals.append(float(np.asarray(counter.total.numpy())))
    return totals


def test_the_same_totals_as_keras(keras):
    assert _totals(nk) == _totals(keras)
