"""A subclassed `Model` that defines no `call` (keras.io's GAN and VAE define only `train_step`)."""

import numpy as np
import pytest

import nanokeras as keras


class _NoCall(keras.Model):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner
        self.tracker = keras.metrics.Mean(name="d_loss")

    def train_step(self, data):
        with keras.GradientTape() as tape:
            loss = keras.ops.mean(keras.ops.square(self.inner(data)))
        grads = tape.gradient(loss, self.inner.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.inner.trainable_weights))
        self.tracker.update_state(loss)
        return {"d_loss": self.tracker.result()}

    @property
    def metrics(self):
        return [self.tracker]


def _x():
    return np.random.default_rng(0).normal(size=(8, 3)).astype("float32")


def _built_inner():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])


def test_predict_raises_instead_of_returning_the_inputs():
    model = _NoCall(_built_inner())
    with pytest.raises(NotImplementedError, match="_NoCall does not have a `call\\(\\)`"):
        model.predict(_x(), verbose=0)
    with pytest.raises(NotImplementedError):
        model(_x())


def test_fit_runs_the_custom_train_step_without_calling_the_model():
    inner = _built_inner()
    before = inner.get_weights()
    model = _NoCall(inner)
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    history = model.fit(_x(), epochs=2, batch_size=4, verbose=0)
    assert list(history.history) == ["d_loss"] and len(history.history["d_loss"]) == 2
    assert model.built
    assert not np.allclose(before[0], inner.get_weights()[0])
    # With labels (a conditional GAN's `(images, labels)`) too.
    labelled = _NoCall(_built_inner())
    labelled.compile(optimizer="sgd")

    def step(data):
        return _NoCall.train_step(labelled, data[0])

    labelled.train_step = step
    labelled.fit(_x(), np.zeros((8, 1), "float32"), epochs=1, batch_size=4, verbose=0)


def test_evaluate_with_the_builtin_step_needs_a_call():
    model = _NoCall(_built_inner())
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(NotImplementedError):
        model.evaluate(_x(), np.zeros((8, 2), "float32"), verbose=0)


def test_unbuilt_layers_and_no_call_is_a_runtime_error_naming_them():
    model = _NoCall(keras.layers.Dense(2))
    model.compile(optimizer="sgd")
    with pytest.raises(RuntimeError, match="'dense"):
        model.fit(_x(), epochs=1, verbose=0)
