"""Keras's call context: a layer called without `training=` inside another layer's call takes
the enclosing call's flag, so BatchNormalization and Dropout in a custom block train in `fit`."""

import numpy as np
import pytest

import nanokeras as keras


class Probe(keras.layers.Layer):
    def __init__(self, seen, **kwargs):
        super().__init__(**kwargs)
        # the bound method, not the list: a list attribute is a tracked copy (as in Keras)
        self.record = seen.append

    def call(self, x, training=None):
        self.record(training)
        return x


class Block(keras.layers.Layer):
    """A custom block that does not pass `training` on (as keras.io's TransformerBlock)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(3, kernel_initializer="ones")
        self.norm = keras.layers.BatchNormalization()

    def call(self, x):
        return keras.ops.relu(self.norm(self.dense(x)))


X = np.random.RandomState(1).rand(16, 4).astype("float32") * 3
Y = X.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("kind", ["functional", "sequential"])
def test_batch_normalization_in_a_custom_block_trains_in_fit(kind):
    block = Block()
    if kind == "functional":
        inputs = keras.Input((4,))
        model = keras.Model(inputs, keras.layers.Dense(1)(block(inputs)))
    else:
        model = keras.Sequential([keras.Input((4,)), block, keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.0), "mse")
    model.fit(X, Y, epochs=1, batch_size=16, verbose=0)
    batch_mean = (X @ np.ones((4, 3), "float32")).mean(axis=0)
    np.testing.assert_allclose(np.asarray(block.norm.moving_mean), 0.01 * batch_mean, rtol=1e-5)
    before = np.asarray(block.norm.moving_mean).copy()
    model.predict(X, verbose=0)
    model.evaluate(X, Y, verbose=0)
    np.testing.assert_array_equal(np.asarray(block.norm.moving_mean), before)


def test_dropout_in_a_custom_block_is_active_in_fit_only():
    class FeedForward(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = keras.layers.Dense(4, kernel_initializer="ones")
            self.dropout = keras.layers.Dropout(0.5)

        def call(self, x):
            return self.dropout(self.dense(x))

    model = keras.Sequential([keras.Input((4,)), FeedForward(), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(0.0), "mse")
    train_loss = model.fit(X, Y, epochs=1, batch_size=16, verbose=0).history["loss"][0]
    assert train_loss != pytest.approx(model.evaluate(X, Y, verbose=0))
    np.testing.assert_array_equal(model.predict(X, verbose=0), model.predict(X, verbose=0))


def test_the_flag_resolves_as_in_keras():
    seen = []

    class Outer(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.first, self.second = Probe(seen), Probe(seen)

        def call(self, x, training=False):
            x = self.first(x)             # inherits the outer call's flag
            x = self.second(x, training=None)  # explicit None: its own default, and the context's now
            return self.first(x)

    outer = Outer()
    outer(X, training=True)
    assert seen == [True, None, None]
    seen.clear()
    outer(X)  # no flag: the default of Outer.call's `training`
    assert seen == [False, None, None]
    seen.clear()
    Probe(seen)(X)  # the context is cleared after each outermost call
    assert seen == [None]


def test_a_subclassed_model_called_with_training_runs_its_dropout():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(64, kernel_initializer="ones")
            self.dropout = keras.layers.Dropout(0.5)

        def call(self, x):
            return self.dropout(self.dense(x))

    net = Net()
    assert (np.asarray(net(X, training=True)) == 0).mean() > 0.2
    assert (np.asarray(net(X)) == 0).mean() == 0
