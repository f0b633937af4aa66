"""`model.get_metrics_result()` lists the metrics in `model.metrics` order (the loss first), as
Keras does; what fit/evaluate return and callbacks see stays sorted by key."""

import numpy as np

import nanokeras as keras


def _model(metrics):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=metrics)
    return model


def _data():
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
    return x, (x.sum(axis=1, keepdims=True) > 0).astype("float32")


def test_metrics_result_follows_metrics_order_not_the_alphabet():
    model = _model(["mse", "accuracy", keras.metrics.AUC(name="a_auc")])
    x, y = _data()
    model.evaluate(x, y, verbose=0)
    result = model.get_metrics_result()
    assert list(result) == ["loss", "mse", "accuracy", "a_auc"]
    assert all(isinstance(value, float) for value in result.values())


def test_fit_evaluate_and_callbacks_still_get_sorted_keys():
    seen = []

    class Keys(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(list(logs))

    model = _model(["mse", "accuracy"])
    x, y = _data()
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[Keys()])
    assert list(history.history) == ["accuracy", "loss", "mse"]
    assert seen == [["accuracy", "loss", "mse"]] * 2
    assert list(model.evaluate(x, y, verbose=0, return_dict=True)) == ["accuracy", "loss", "mse"]
    # the list form keeps Keras's order: the loss, then the compiled metrics
    values = model.evaluate(x, y, verbose=0)
    result = model.get_metrics_result()
    assert values == [result["loss"], result["mse"], result["accuracy"]]


def test_custom_train_step_logs_are_handed_over_sorted():
    class Custom(keras.Model):
        def train_step(self, data):
            x, y = data
            return {"zeta": 1.0, "alpha": 2.0}

    inputs = keras.Input((3,))
    model = Custom(inputs, keras.layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    x, y = _data()
    history = model.fit(x, y, epochs=1, verbose=0)
    assert list(history.history) == ["alpha", "zeta"]
