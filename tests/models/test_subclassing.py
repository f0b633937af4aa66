"""Subclassed models and layers: attribute tracking, build on first call, add_loss, custom train_step."""

import numpy as np
import pytest

import nanokeras as keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(8, activation="relu")
        self.blocks = [keras.layers.Dense(8), keras.layers.Dense(8)]
        self.heads = {"out": keras.layers.Dense(1)}
        self.dropout = keras.layers.Dropout(0.5)

    def call(self, x, training=False):
        x = self.hidden(x)
        for block in self.blocks:
            x = block(x)
        x = self.dropout(x, training=training)
        return self.heads["out"](x)


def test_layers_in_attributes_lists_and_dicts_are_tracked():
    net = Net()
    out = net(np.ones((3, 4), "float32"))
    assert out.shape == (3, 1) and net.built
    assert len(net.trainable_weights) == 8  # 4 Dense layers
    assert net.heads["out"] in net.layers


def test_training_flag_reaches_sublayers():
    net = Net()
    x = np.ones((64, 4), "float32")
    np.testing.assert_allclose(net(x), net(x, training=False))
    assert not np.allclose(net(x, training=True), net(x, training=False))


class Scale(keras.layers.Layer):
    def __init__(self, init=1.0, **kwargs):
        super().__init__(**kwargs)
        self.init = init

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer=keras.initializers.Constant(self.init), name="w")

    def call(self, x):
        self.add_loss(0.01 * keras.ops.sum(keras.ops.square(self.w)))
        return x * self.w

    def get_config(self):
        config = super().get_config()
        config["init"] = self.init
        return config


def test_custom_layer_build_call_config_and_add_loss():
    layer = Scale(2.0)
    np.testing.assert_allclose(layer(np.ones((2, 3), "float32")), 2.0)
    assert layer.w.shape == (3,)
    clone = Scale.from_config(layer.get_config())
    assert clone.init == 2.0
    model = keras.Sequential([keras.Input((3,)), Scale(2.0), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((8, 3), "float32"), np.zeros((8, 1), "float32")
    loss = model.evaluate(x, y, verbose=0)
    pred = model.predict(x, verbose=0)
    np.testing.assert_allclose(loss, np.mean(pred ** 2) + 0.01 * 12, rtol=1e-5)


def test_custom_layer_in_functional_graph():
    inp = keras.Input((3,))
    out = keras.layers.Dense(1)(Scale(3.0)(inp))
    model = keras.Model(inp, out)
    assert [type(l).__name__ for l in model.layers] == ["InputLayer", "Scale", "Dense"]


class CustomStep(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.steps_seen = 0

    def call(self, x, training=False):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        self.steps_seen += 1
        with keras.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def _regression_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], "float32")).astype("float32")
    return x, y


def test_custom_train_step_with_fit_matches_builtin_fit():
    x, y = _regression_data()
    keras.utils.set_random_seed(1)
    custom = CustomStep()
    custom.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    custom.build((None, 3))
    builtin = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    builtin.set_weights(custom.get_weights())
    builtin.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    h1 = custom.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)
    h2 = builtin.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)
    assert custom.steps_seen == 12
    np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(h1.history["mae"], h2.history["mae"], rtol=1e-5)
    for a, b in zip(custom.get_weights(), builtin.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    result = custom.evaluate(x, y, verbose=0, return_dict=True)
    assert set(result) == {"loss", "mae"}
    assert h1.history["loss"][-1] < h1.history["loss"][0]


def test_model_without_call_arguments_error():
    with pytest.raises(TypeError):
        keras.Model(foo=1)


class _Unsupervised(keras.Model):
    """keras.io's VAE/GAN shape: `fit(images)` with no labels, and a `train_step(self, data)` that
    uses `data` as the images themselves."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(3)
        self.seen = {}
        self.tracker = keras.metrics.Mean(name="loss")

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        self.seen["train"] = data
        with keras.GradientTape() as tape:
            loss = keras.ops.mean(keras.ops.square(self(data) - data))
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.tracker.update_state(loss)
        return {"loss": self.tracker.result()}

    def test_step(self, data):
        self.seen["test"] = data
        self.tracker.update_state(keras.ops.mean(keras.ops.square(self(data) - data)))
        return {"loss": self.tracker.result()}

    def predict_step(self, data):
        self.seen["predict"] = data
        return self(data)

    @property
    def metrics(self):
        return [self.tracker]


def test_custom_steps_get_x_alone_when_fit_has_no_labels():
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    model = _Unsupervised()
    model.compile(optimizer="adam")
    history = model.fit(x, epochs=2, batch_size=4, verbose=0)
    assert len(history.history["loss"]) == 2
    model.evaluate(x, batch_size=4, verbose=0)
    assert model.predict(x, batch_size=4, verbose=0).shape == (8, 3)
    for mode in ("train", "test", "predict"):
        assert isinstance(model.seen[mode], np.ndarray), (mode, type(model.seen[mode]))
        assert model.seen[mode].shape == (4, 3)
    # With labels the step still gets the (x, y) tuple, as in Keras.
    seen = []

    class Supervised(_Unsupervised):
        def train_step(self, data):
            seen.append(data)
            return super().train_step(data[0])

    supervised = Supervised()
    supervised.compile(optimizer="adam")
    supervised.fit(x, x * 2, batch_size=8, epochs=1, verbose=0, shuffle=False)
    assert type(seen[0]) is tuple and len(seen[0]) == 2
    np.testing.assert_array_equal(seen[0][1], x * 2)


def test_summary_of_a_subclassed_model_shows_an_unknown_batch_axis():
    class TwoDense(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(32)
            self.out = keras.layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

    model = TwoDense()
    model.build((None, 8))
    lines = []
    model.summary(print_fn=lines.append)
    text = "".join(lines)
    assert "(None, 32)" in text and "(None, 1)" in text, text
    assert "(1, 32)" not in text


def test_fit_evaluate_and_predict_build_a_subclassed_model_on_the_first_batch_as_keras():
    # Keras calls an unbuilt model on the first batch: the layers keep that batch's size.
    class TwoDense(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(32)

        def call(self, x):
            return self.hidden(x)

    x, y = np.zeros((10, 8), "float32"), np.zeros((10, 32), "float32")
    for run, expected in (("fit", (4, 8)), ("evaluate", (4, 8)), ("predict", (4, 8)), ("predict32", (10, 8))):
        model = TwoDense()
        model.compile("sgd", "mse")
        if run == "predict32":
            model.predict(x, verbose=0)
        elif run == "predict":
            model.predict(x, batch_size=4, verbose=0)
        else:
            getattr(model, run)(x, y, batch_size=4, verbose=0)
        assert model.get_build_config() == {"input_shape": expected}
        assert model.hidden.get_build_config() == {"input_shape": expected}
        lines = []
        model.summary(print_fn=lines.append)
        assert f"({expected[0]}, 32)" in "".join(lines)


def test_a_subclassed_model_with_several_inputs_builds_on_the_first_batch_as_keras():
    class TwoInputs(keras.Model):
        def __init__(self):
            super().__init__()
            self.a = keras.layers.Dense(2)
            self.b = keras.layers.Dense(2)

        def call(self, inputs):
            return self.a(inputs["a"]) + self.b(inputs["b"])

    x = {"a": np.ones((10, 2), "float32"), "b": np.ones((10, 3), "float32")}
    model = TwoInputs()
    model.compile("sgd", "mse")
    model.fit(x, np.ones((10, 2), "float32"), batch_size=4, verbose=0)
    assert model.get_build_config() == {"input_shape": {"a": (4, 2), "b": (4, 3)}}
    assert model.a.get_build_config() == {"input_shape": (4, 2)}
