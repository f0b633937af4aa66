"""Batch sources (datasets, generators, Sequences) of x alone, as arrays `fit(x)` already allow:
for a model trained by its own `train_step` (keras.io's DCGAN on `image_dataset_from_directory(
label_mode=None)`) or on its `add_loss` losses alone."""

import numpy as np
import pytest

import nanokeras as keras


def _images():
    return np.random.default_rng(0).random((8, 3)).astype("float32")


def _generator(x, batch_size=4, epochs=3):
    for _ in range(epochs):
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size]


class _OnlyTrainStep(keras.Model):
    def __init__(self):
        super().__init__()
        self.inner = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        self.seen = []

    def train_step(self, data):
        self.seen.append(data)
        return {"mean": keras.ops.mean(self.inner(data))}


def test_a_model_with_only_a_train_step_gets_x_alone_from_a_dataset():
    x = _images()
    model = _OnlyTrainStep()
    model.compile(optimizer="sgd")
    dataset = keras.utils.timeseries_dataset_from_array(x, None, sequence_length=1, batch_size=4).map(
        lambda batch: batch[:, 0])
    history = model.fit(dataset, epochs=1, verbose=0)
    assert len(history.history["mean"]) == 1
    assert all(isinstance(batch, np.ndarray) and batch.shape == (4, 3) for batch in model.seen)


def _add_loss_model():
    class Penalty(keras.layers.Layer):
        def call(self, x):
            self.add_loss(keras.ops.mean(keras.ops.square(x)))
            return x

    inputs = keras.Input((3,))
    outputs = Penalty()(keras.layers.Dense(2, kernel_initializer="ones")(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(0.01))
    return model


def test_an_add_loss_model_trains_on_a_generator_of_x_alone_as_on_the_arrays():
    x = _images()
    from_arrays, from_generator = _add_loss_model(), _add_loss_model()
    h1 = from_arrays.fit(x, batch_size=4, epochs=2, shuffle=False, verbose=0)
    h2 = from_generator.fit(_generator(x, epochs=2), steps_per_epoch=2, epochs=2, verbose=0)
    np.testing.assert_allclose(h2.history["loss"], h1.history["loss"], rtol=1e-6)
    assert from_generator.evaluate(_generator(x, epochs=1), steps=2, verbose=0) == pytest.approx(
        from_arrays.evaluate(x, batch_size=4, verbose=0), rel=1e-6)


def test_a_compiled_loss_still_needs_labels():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="must hold labels"):
        model.fit(_generator(_images()), steps_per_epoch=2, verbose=0)
