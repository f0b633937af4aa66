"""A model trained on its `add_loss` losses alone, from a generator of x batches, side by side with Keras 3."""

import numpy as np

import nanokeras as nk


def _model(lib):
    class Penalty(lib.layers.Layer):
        def call(self, x):
            self.add_loss(lib.ops.mean(lib.ops.square(x)))
            return x

    inputs = lib.Input((3,))
    outputs = Penalty()(lib.layers.Dense(2)(inputs))
    model = lib.Model(inputs, outputs)
    return model


def _batches(x, epochs):
    for _ in range(epochs):
        for start in range(0, len(x), 4):
            yield (x[start:start + 4],)  # Keras takes a generator's batches as tuples


def test_fit_and_evaluate_on_batches_of_x_alone(keras):
    x = np.random.default_rng(0).random((8, 3)).astype("float32")
    theirs, ours = _model(keras), _model(nk)
    ours.set_weights(theirs.get_weights())
    results = []
    for model, lib in ((theirs, keras), (ours, nk)):
        model.compile(optimizer=lib.optimizers.SGD(0.1))
        history = model.fit(_batches(x, 2), steps_per_epoch=2, epochs=2, verbose=0, shuffle=False)
        results.append((history.history["loss"], model.evaluate(_batches(x, 1), steps=2, verbose=0)))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-5)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-5)
    np.testing.assert_allclose(ours.get_weights()[0], theirs.get_weights()[0], rtol=1e-5, atol=1e-7)
