"""A subclassed model left unbuilt until fit/evaluate/predict, against real Keras: built on the
first batch, its layers keep that batch's size (build config, summary's Output Shape)."""

import numpy as np

import nanokeras as nk


def _run(lib, run):
    lib.backend.clear_session()

    class TwoDense(lib.Model):
        def __init__(self):
            super().__init__()
            self.hidden = lib.layers.Dense(5, kernel_initializer="ones")
            self.out = lib.layers.Dense(1, kernel_initializer="ones")

        def call(self, x):
            return self.out(self.hidden(x))

    model = TwoDense()
    model.compile("sgd", "mse")
    x, y = np.ones((10, 3), "float32"), np.ones((10, 1), "float32")
    if run == "fit":
        model.fit(x, y, batch_size=4, verbose=0)
    elif run == "evaluate":
        model.evaluate(x, y, batch_size=3, verbose=0)
    else:
        model.predict(x, verbose=0)
    lines = []
    model.summary(print_fn=lambda line, **kwargs: lines.append(line))
    return model.get_build_config(), model.hidden.get_build_config(), "\n".join(lines)


def test_an_unbuilt_subclassed_model_builds_on_the_first_batch_as_keras(keras):
    for run in ("fit", "evaluate", "predict"):
        assert _run(nk, run) == _run(keras, run), run


def _run_dict(lib, run):
    lib.backend.clear_session()

    class TwoInputs(lib.Model):
        def __init__(self):
            super().__init__()
            self.a = lib.layers.Dense(2, kernel_initializer="ones")
            self.b = lib.layers.Dense(2, kernel_initializer="ones")

        def call(self, inputs):
            return self.a(inputs["a"]) + self.b(inputs["b"])

    model = TwoInputs()
    model.compile(lib.optimizers.SGD(0.01), "mse")
    x = {"a": np.linspace(0, 1, 20, dtype="float32").reshape(10, 2), "b": np.ones((10, 3), "float32")}
    y = np.ones((10, 2), "float32")
    result = (model.fit(x, y, batch_size=4, verbose=0, shuffle=False).history["loss"] if run == "fit"
              else model.evaluate(x, y, batch_size=3, verbose=0))
    return model.get_build_config(), model.a.get_build_config(), np.round(result, 5).tolist()


def test_a_model_with_a_dict_of_inputs_builds_on_the_first_batch_as_keras(keras):
    for run in ("fit", "evaluate"):
        assert _run_dict(nk, run) == _run_dict(keras, run), run
