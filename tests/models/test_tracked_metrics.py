"""Metrics kept as attributes of a layer or model belong to `metrics`, as in Keras: `fit` resets
them every epoch, and their values appear in the logs and in `evaluate`'s list."""

import numpy as np
import pytest

import nanokeras as keras

X = np.arange(40, dtype="float32").reshape(10, 4) / 40
Y = np.ones((10, 1), "float32")


class TrackerModel(keras.Model):
    """The keras.io pattern: a custom `train_step` feeding a `Mean` kept as an attribute."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="my_loss")

    def train_step(self, data):
        x, y = data
        with keras.GradientTape() as tape:
            loss = keras.ops.mean((y - self(x, training=True)) ** 2)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        return {"my_loss": self.loss_tracker.result()}


def _tracker_model():
    inputs = keras.Input(shape=(4,))
    model = TrackerModel(inputs, keras.layers.Dense(1, kernel_initializer="ones")(inputs))
    model.compile(optimizer=keras.optimizers.SGD(0.01))
    return model


def test_attribute_metric_is_reset_every_epoch():
    model = _tracker_model()
    history = model.fit(X, Y, epochs=3, batch_size=5, verbose=0, shuffle=False)
    # The same steps by hand: each epoch's value is the mean of that epoch's two batch losses.
    w, b = np.ones((4, 1), "float32"), np.zeros(1, "float32")
    expected = []
    for _ in range(3):
        losses = []
        for start in (0, 5):
            x, y = X[start:start + 5], Y[start:start + 5]
            error = x @ w + b - y
            losses.append(float(np.mean(error ** 2)))
            w = w - np.float32(0.01) * (2 * x.T @ error / 5)
            b = b - np.float32(0.01) * (2 * error.sum(0) / 5)
        expected.append(np.mean(losses))
    np.testing.assert_allclose(history.history["my_loss"], expected, rtol=1e-5)
    assert [m.name for m in model.metrics] == ["loss", "my_loss"]


class Counting(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = keras.metrics.Sum(name="seen")

    def call(self, x):
        return x


class WithExtra(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra = keras.metrics.Mean(name="extra")


def _model_with_extra_metrics():
    inputs = keras.Input((3,))
    return WithExtra(inputs, keras.layers.Dense(1, kernel_initializer="ones")(Counting()(inputs)))


def test_metrics_order_compiled_then_own_then_layers_each_once():
    model = _model_with_extra_metrics()
    assert model.metrics_names == ["extra", "seen"]  # before compile: only the tracked ones
    model.compile("sgd", "mse", metrics=["mae"])
    x, y = np.ones((8, 3), "float32"), np.zeros((8, 1), "float32")
    history = model.fit(x, y, epochs=1, verbose=0, shuffle=False)
    assert model.metrics_names == ["loss", "mae", "extra", "seen"]
    assert sorted(history.history) == ["extra", "loss", "mae", "seen"]
    loss, mae, extra, seen = model.evaluate(x, y, verbose=0)
    assert (extra, seen) == (0.0, 0.0)
    np.testing.assert_allclose(mae, np.abs(x @ model.get_weights()[0] + model.get_weights()[1]).mean(), rtol=1e-6)


def test_layer_metrics_and_nested_models_keep_their_own():
    layer = Counting()
    assert [m.name for m in layer.metrics] == ["seen"]
    inner = _model_with_extra_metrics()
    inner.compile("sgd", "mse")
    outer = keras.Sequential([keras.Input((3,)), inner])
    outer.compile("sgd", "mse")
    # The inner model is a trainer of its own: its metrics are not the outer model's.
    assert outer.metrics_names == ["loss"]


def test_private_loss_tracker_is_not_counted_twice():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    assert model.metrics_names == ["loss"]


def test_evaluate_lists_keys_of_a_custom_test_step_after_the_metrics():
    class Extra(keras.Model):
        def test_step(self, data):
            logs = super().test_step(data)
            return {**logs, "b_extra": 2.0, "a_extra": 1.0}

    inputs = keras.Input((2,))
    model = Extra(inputs, keras.layers.Dense(1, kernel_initializer="zeros")(inputs))
    model.compile("sgd", "mse")
    result = model.evaluate(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), verbose=0)
    assert result == [1.0, 1.0, 2.0]  # loss, then the other keys sorted


def test_metrics_names_zip_with_evaluate_for_several_outputs():
    # The Keras 2 idiom `dict(zip(model.metrics_names, model.evaluate(...)))` (docs/keras2.md).
    a = keras.Input((3,), name="a")
    layers = keras.layers
    model = keras.Model(a, {"priority": layers.Dense(1, name="priority")(a),
                            "department": layers.Dense(4, activation="softmax", name="department")(a)})
    model.compile("sgd", loss={"priority": "mse", "department": "sparse_categorical_crossentropy"},
                  metrics={"priority": ["mae"], "department": ["accuracy"]})
    x = np.ones((4, 3), "float32")
    y = {"priority": np.ones((4, 1), "float32"), "department": np.array([0, 1, 2, 3])}
    model.fit(x, y, verbose=0)  # as in Keras 2, the compiled metrics are named once data has been seen
    zipped = dict(zip(model.metrics_names, model.evaluate(x, y, verbose=0)))
    assert model.metrics_names == ["loss", "priority_loss", "department_loss", "department_accuracy", "priority_mae"]
    assert zipped == model.evaluate(x, y, verbose=0, return_dict=True)


@pytest.mark.parametrize("as_object", [False, True])
def test_metric_objects_given_to_compile_are_listed_once(as_object):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    mae = keras.metrics.MeanAbsoluteError()
    model.compile("sgd", "mse", metrics=[keras.metrics.MeanSquaredError() if as_object else "mse"],
                  weighted_metrics=[mae])
    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    model.fit(x, y, sample_weight=np.array([1.0, 2.0, 3.0, 4.0]), verbose=0)
    assert sum(m is mae for m in model.metrics) == 1
    assert len(model.metrics) == 3 and len(model.evaluate(x, y, verbose=0)) == 3
