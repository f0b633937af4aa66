"""A `compute_loss` override without a `training` argument (keras.io's knowledge distillation
example writes `compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, allow_empty=False)`)."""

import numpy as np

import nanokeras as keras


class _Halved(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1, kernel_initializer="ones")
        self.seen = []

    def call(self, x):
        return self.dense(x)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, allow_empty=False):
        self.seen.append(allow_empty)
        return 0.5 * keras.ops.mean(keras.ops.square(y - y_pred))


class _WithTraining(_Halved):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        self.seen.append(training)
        return 0.5 * keras.ops.mean(keras.ops.square(y - y_pred))


def _data():
    x = np.arange(16, dtype="float32").reshape(8, 2) / 10
    return x, x.sum(axis=1, keepdims=True) * 0.5


def test_fit_and_evaluate_call_it_without_training():
    x, y = _data()
    for jit_compile in (True, False):
        model = _Halved()
        model.compile(optimizer=keras.optimizers.SGD(0.1), jit_compile=jit_compile)
        history = model.fit(x, y, epochs=2, batch_size=4, verbose=0, shuffle=False)
        loss = model.evaluate(x, y, verbose=0)
        assert set(model.seen) == {False}
        assert history.history["loss"][1] < history.history["loss"][0]
        expected = 0.5 * np.mean((model.predict(x, verbose=0) - y) ** 2)
        np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_an_override_with_training_still_gets_it():
    x, y = _data()
    model = _WithTraining()
    model.compile(optimizer="sgd")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    model.evaluate(x, y, verbose=0)
    assert True in model.seen and False in model.seen
