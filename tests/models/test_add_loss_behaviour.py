"""`add_loss` as Keras has it: `layer.losses` holds the latest outermost call's losses, and a
model whose loss comes from `add_loss` alone trains on `x` without `y`."""

import numpy as np
import pytest

import nanokeras as keras


class ActivityPenalty(keras.layers.Layer):
    def call(self, x):
        self.add_loss(keras.ops.mean(keras.ops.square(x)))
        return x


def test_losses_are_those_of_the_latest_call():
    layer = ActivityPenalty()
    layer(np.ones((2, 2), "float32"))
    layer(np.full((2, 2), 3.0, "float32"))
    assert [float(np.asarray(keras.ops.convert_to_numpy(v))) for v in layer.losses] == [9.0]
    model = keras.Sequential([keras.Input((2,)), ActivityPenalty(), ActivityPenalty()])
    model(np.ones((1, 2), "float32"))
    model(np.ones((1, 2), "float32"))
    assert len(model.losses) == 2  # one per layer: the inner calls did not clear each other


class Endpoint(keras.layers.Layer):
    """The endpoint-layer pattern: the loss is computed inside the model from its inputs."""

    def call(self, inputs):
        prediction, target = inputs
        self.add_loss(keras.ops.mean(keras.ops.square(prediction - target)))
        return prediction


def _endpoint_model():
    x = keras.Input((3,), name="x")
    target = keras.Input((1,), name="target")
    prediction = keras.layers.Dense(1)(x)
    return keras.Model([x, target], Endpoint()([prediction, target]))


def test_fit_without_y_trains_on_add_loss():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    target = (x @ np.array([[1.0], [-2.0], [0.5]], "float32")).astype("float32")
    model = _endpoint_model()
    model.compile(keras.optimizers.Adam(0.05))
    history = model.fit([x, target], epochs=15, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
    assert isinstance(model.evaluate([x, target], verbose=0), float)


def test_fit_without_y_is_refused_when_a_loss_was_compiled():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="`y` is required"):
        model.fit(np.ones((4, 3), "float32"), verbose=0)
