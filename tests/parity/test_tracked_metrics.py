"""Metrics kept as attributes of layers and models, against real Keras: names, logs, evaluate's list."""

import numpy as np

import nanokeras as nk


def _run(lib):
    class Counting(lib.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seen = lib.metrics.Sum(name="seen")

        def call(self, x):
            return x

    class WithExtra(lib.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.extra = lib.metrics.Mean(name="extra")

    inputs = lib.Input((3,))
    model = WithExtra(inputs, lib.layers.Dense(1, kernel_initializer="ones")(Counting()(inputs)))
    names = [model.metrics_names]
    model.compile("sgd", "mse", metrics=["mae"])
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
    y = np.linspace(0, 1, 8, dtype="float32").reshape(8, 1)
    history = model.fit(x, y, epochs=2, verbose=0, shuffle=False, batch_size=4)
    names.append([n for n in model.metrics_names if n != "compile_metrics"])  # Keras groups the compiled ones
    return names, {k: np.asarray(v) for k, v in history.history.items()}, model.evaluate(x, y, verbose=0)


def test_attribute_metrics_match_keras(keras):
    our_names, our_history, our_eval = _run(nk)
    their_names, their_history, their_eval = _run(keras)
    assert our_names[0] == their_names[0]
    assert [n for n in our_names[1] if n != "mae"] == their_names[1]
    assert sorted(our_history) == sorted(their_history)
    for key in our_history:
        np.testing.assert_allclose(our_history[key], their_history[key], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(our_eval, their_eval, rtol=1e-5, atol=1e-6)


def _metrics_variables(lib):
    lib.backend.clear_session()
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1, kernel_initializer="ones")])
    model.compile("sgd", "mse", metrics=["mae", lib.metrics.RootMeanSquaredError()])
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
    model.evaluate(x, np.ones((8, 1), "float32"), verbose=0)
    return [(v.path, float(np.asarray(v))) for v in model.metrics_variables]


def test_metrics_variables_list_the_metric_states_as_keras(keras):
    ours, theirs = _metrics_variables(nk), _metrics_variables(keras)
    assert [p for p, _ in ours] == [p for p, _ in theirs]
    np.testing.assert_allclose([v for _, v in ours], [v for _, v in theirs], rtol=1e-6)
