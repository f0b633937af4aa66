"""Overridden `compute_metrics` and `predict_step` are the hooks the built-in steps use, as in
Keras: the logs of `fit`/`evaluate`/`train_on_batch` come from `compute_metrics`, and
`predict_on_batch` returns what `predict_step` returns (like `predict`)."""

import numpy as np

import nanokeras as keras

X = np.random.RandomState(0).rand(12, 3).astype("float32")
Y = np.arange(12) % 3


class Classifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(3, kernel_initializer="ones")

    def call(self, x):
        return self.dense(x)


class LogsMeanLogit(Classifier):
    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        logs = super().compute_metrics(x, y, y_pred, sample_weight)
        logs["mean_logit"] = keras.ops.mean(y_pred)
        return logs


class PredictsTwoThings(Classifier):
    def predict_step(self, data):
        x = data[0] if isinstance(data, (tuple, list)) else data
        return {"doubled": self(x, training=False) * 2.0, "ones": keras.ops.ones((keras.ops.shape(x)[0], 1))}


def _compiled(model):
    model.compile(keras.optimizers.SGD(0.1), keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def test_compute_metrics_logs_reach_history_evaluate_and_train_on_batch():
    model, plain = _compiled(LogsMeanLogit()), _compiled(Classifier())
    history = model.fit(X, Y, batch_size=4, epochs=2, validation_data=(X, Y), shuffle=False, verbose=0).history
    reference = plain.fit(X, Y, batch_size=4, epochs=2, validation_data=(X, Y), shuffle=False, verbose=0).history
    assert sorted(history) == sorted(list(reference) + ["mean_logit", "val_mean_logit"])
    for key in reference:
        np.testing.assert_allclose(history[key], reference[key], rtol=1e-6)
    assert "mean_logit" in model.evaluate(X, Y, return_dict=True, verbose=0)
    before_the_update = np.asarray(model(X)).mean()
    np.testing.assert_allclose(model.train_on_batch(X, Y, return_dict=True)["mean_logit"], before_the_update,
                               rtol=1e-6)
    logs = model.test_on_batch(X[:4], Y[:4], return_dict=True)
    np.testing.assert_allclose(logs["mean_logit"], np.asarray(model(X[:4])).mean(), rtol=1e-6)
    assert model.compiled_step_reason["train"] == "the model overrides `compute_metrics`"


def test_predict_on_batch_runs_an_overridden_predict_step():
    model = PredictsTwoThings()
    out = model.predict_on_batch(X[:2])
    assert sorted(out) == ["doubled", "ones"]
    np.testing.assert_allclose(out["doubled"], 2 * np.asarray(model(X[:2])), rtol=1e-6)
    predicted = model.predict(X[:2], verbose=0)
    np.testing.assert_array_equal(out["doubled"], predicted["doubled"])
