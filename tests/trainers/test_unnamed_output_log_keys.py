"""Several outputs without names (a subclassed model returning a tuple): the logs use each loss's name
(`mse_loss`) and the metrics' own names (`mae`, `mae_1` for a repeat), as Keras 3 logs them, and
evaluate lists the loss, the compiled metrics, then each output's loss."""

import numpy as np

import nanokeras as keras


class _TwoOutputs(keras.Model):
    def __init__(self):
        super().__init__()
        self.mix = keras.layers.Dense(4, activation="relu")
        self.score = keras.layers.Dense(1, activation="sigmoid")
        self.classes = keras.layers.Dense(3, activation="softmax")

    def call(self, x):
        features = self.mix(x)
        return self.score(features), self.classes(features)


_X = np.random.default_rng(0).random((8, 5), dtype="float32")
_Y = [np.full((8, 1), 0.5, "float32"), np.eye(3, dtype="float32")[[0, 1, 2, 0, 1, 2, 0, 1]]]


def _fit(loss, metrics):
    model = _TwoOutputs()
    model.compile("rmsprop", loss, metrics=metrics)
    return model, model.fit(_X, _Y, epochs=1, verbose=0).history


def test_log_keys_name_the_losses_and_metrics():
    _, history = _fit(["mse", "categorical_crossentropy"], [["mae"], ["accuracy"]])
    assert list(history) == ["accuracy", "categorical_crossentropy_loss", "loss", "mae", "mse_loss"]


def test_loss_objects_log_under_their_names():
    _, history = _fit([keras.losses.MeanSquaredError(), keras.losses.CategoricalCrossentropy()],
                      [[keras.metrics.MeanAbsoluteError()], [keras.metrics.CategoricalAccuracy()]])
    assert list(history) == ["categorical_accuracy", "categorical_crossentropy_loss", "loss",
                             "mean_absolute_error", "mean_squared_error_loss"]


def test_repeated_names_are_numbered():
    _, history = _fit(["mse", "mse"], [["mae"], ["mae"]])
    assert list(history) == ["loss", "mae", "mae_1", "mse_loss", "mse_loss_1"]


def test_evaluate_lists_loss_then_metrics_then_output_losses():
    model, _ = _fit(["mse", "categorical_crossentropy"], [["mae"], ["accuracy"]])
    logs = model.evaluate(_X, _Y, verbose=0, return_dict=True)
    values = model.evaluate(_X, _Y, verbose=0)
    keys = ["loss", "mae", "accuracy", "mse_loss", "categorical_crossentropy_loss"]
    np.testing.assert_allclose(values, [logs[key] for key in keys], rtol=1e-6)


def test_functional_outputs_keep_their_names():
    inputs = keras.Input((5,))
    features = keras.layers.Dense(4)(inputs)
    model = keras.Model(inputs, [keras.layers.Dense(1, name="score")(features),
                                 keras.layers.Dense(3, activation="softmax", name="classes")(features)])
    model.compile("rmsprop", ["mse", "categorical_crossentropy"], metrics=[["mae"], ["accuracy"]])
    history = model.fit(_X, _Y, epochs=1, verbose=0).history
    assert list(history) == ["classes_accuracy", "classes_loss", "loss", "score_loss", "score_mae"]
