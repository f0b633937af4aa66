"""The tiny-model path (generated scalar code) equals the tape path within 1e-6.

Each case trains the same model twice from the same weights and seed: on the tape
(`compile(jit_compile=False)`, the reference) and on the tiny path (the default for
models this small), with shuffled batches, an uneven last batch and validation; then
compares every weight, optimizer slot, history value, evaluation and prediction with a
tolerance of 1e-6 (relative and absolute). The tiny model must really have run as
generated code (`model.tiny_program_reason` has no "train"/"test" entry).
"""

import io
import re
import contextlib

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from nanokeras.trainers import tiny_program

FEATURES, CLASSES, SAMPLES = 3, 3, 23
TOLERANCE = dict(rtol=1e-6, atol=1e-6)


def _data(kind, seed=0, samples=SAMPLES):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(samples, FEATURES)).astype("float32")
    labels = (x[:, :CLASSES] + 0.5 * rng.normal(size=(samples, CLASSES))).argmax(axis=1)
    if kind == "sparse":
        return x, labels.astype("int32")
    if kind == "onehot":
        return x, np.eye(CLASSES, dtype="float32")[labels]
    if kind == "binary":
        return x, (labels == 0).astype("int32")
    return x, (x @ rng.normal(size=(FEATURES, 2))).astype("float32")  # regression, 2 outputs


def _run(build, compile_kwargs, kind, tiny, epochs=4, batch_size=5, fit_kwargs=None, validation="data"):
    x, y = _data(kind)
    keras.backend.clear_session()
    keras.utils.set_random_seed(3)
    model = build()
    model.compile(jit_compile="auto" if tiny else False, **compile_kwargs())
    kwargs = dict(batch_size=batch_size, epochs=epochs, verbose=0)
    if validation == "data":
        kwargs["validation_data"] = _data(kind, seed=1, samples=11)
    elif validation == "split":
        kwargs["validation_split"] = 0.3
    kwargs.update(fit_kwargs or {})
    history = model.fit(x, y, **kwargs)
    reasons = model.tiny_program_reason
    val = _data(kind, seed=2, samples=9)
    evaluation = model.evaluate(val[0], val[1], batch_size=4, verbose=0, return_dict=True)
    prediction = model.predict(val[0], verbose=0)
    return model, history.history, evaluation, prediction, reasons


def _train_both(build, compile_kwargs, kind, **kwargs):
    tape = _run(build, compile_kwargs, kind, tiny=False, **kwargs)
    tiny = _run(build, compile_kwargs, kind, tiny=True, **kwargs)
    reasons = tiny[4]
    assert "train" not in reasons and "test" not in reasons, reasons
    assert tape[4]["train"]  # the reference really ran on the tape
    _assert_close(tiny, tape)
    return tiny


def _assert_close(result, expected):
    model, history, evaluation, prediction, _ = result
    ref_model, ref_history, ref_evaluation, ref_prediction, _ = expected
    for a, b in zip(model.weights, ref_model.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), err_msg=a.path, **TOLERANCE)
    for a, b in zip(model.optimizer.variables, ref_model.optimizer.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), err_msg=a.path, **TOLERANCE)
    for logs, ref_logs in ((history, ref_history), (evaluation, ref_evaluation)):
        assert list(logs) == list(ref_logs)
        for key in logs:
            np.testing.assert_allclose(logs[key], ref_logs[key], err_msg=key, **TOLERANCE)
    np.testing.assert_allclose(prediction, ref_prediction, **TOLERANCE)


def _model(*units_and_activations, inputs=FEATURES):
    def build():
        return keras.Sequential([keras.Input((inputs,))] + [
            layers.Dense(units, activation=activation) for units, activation in units_and_activations])
    return build


def _compiled(optimizer, loss, metrics=(), **kwargs):
    return lambda: dict(optimizer=optimizer(), loss=loss() if callable(loss) else loss, metrics=list(metrics),
                        **kwargs)


@pytest.fixture(params=[True, False], ids=["round-stored", "round-every-value"])
def rounding(request, monkeypatch):
    """Both rounding policies must stay within the tolerance."""
    monkeypatch.setattr(tiny_program, "ROUND_EVERY_VALUE", not request.param)


ACTIVATIONS = ["linear", "sigmoid", "tanh", "relu", "softmax"]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_each_activation(activation, rounding):
    _train_both(_model((4, activation), (2, "linear")), _compiled(lambda: keras.optimizers.SGD(0.05), "mse",
                                                                  ["mae"]), "regression")


LOSSES = {
    "mse": ("regression", (2, "linear"), "mse", ["mse", "mae"]),
    "mae": ("regression", (2, "linear"), "mae", ["mse"]),
    "binary": ("binary", (1, "sigmoid"), "binary_crossentropy", ["acc"]),
    "binary_logits": ("binary", (1, "linear"), lambda: keras.losses.BinaryCrossentropy(from_logits=True),
                      [keras.metrics.BinaryAccuracy(threshold=0.0)]),
    "categorical": ("onehot", (CLASSES, "softmax"), "categorical_crossentropy", ["accuracy"]),
    "categorical_logits": ("onehot", (CLASSES, "linear"),
                           lambda: keras.losses.CategoricalCrossentropy(from_logits=True), ["categorical_accuracy"]),
    "sparse": ("sparse", (CLASSES, "softmax"), "sparse_categorical_crossentropy", ["accuracy"]),
    "sparse_logits": ("sparse", (CLASSES, "linear"),
                      lambda: keras.losses.SparseCategoricalCrossentropy(from_logits=True), ["acc"]),
    "sum_reduction": ("regression", (2, "linear"), lambda: keras.losses.MeanSquaredError(reduction="sum"), []),
}


@pytest.mark.parametrize("name", list(LOSSES))
def test_each_loss_and_metric(name, rounding):
    kind, output, loss, metrics = LOSSES[name]
    _train_both(_model((4, "tanh"), output), _compiled(lambda: keras.optimizers.Adam(0.02), loss, metrics), kind)


@pytest.mark.parametrize("name", ["binary", "sparse", "mse"])
def test_sample_weights_and_weighted_metrics(name):
    kind, output, loss, metrics = LOSSES[name]
    x, _ = _data(kind)
    weights = np.random.default_rng(5).uniform(0.2, 2.0, size=len(x)).astype("float32")
    _train_both(_model((3, "relu"), output), _compiled(lambda: keras.optimizers.RMSprop(0.01), loss, metrics,
                                                       weighted_metrics=metrics), kind,
                fit_kwargs={"sample_weight": weights})


def test_class_weight():
    _train_both(_model((1, "sigmoid")), _compiled(lambda: keras.optimizers.SGD(0.3), "binary_crossentropy", ["acc"]),
                "binary", fit_kwargs={"class_weight": {0: 0.4, 1: 1.7}})


OPTIMIZERS = {
    "sgd": lambda: keras.optimizers.SGD(0.1),
    "momentum": lambda: keras.optimizers.SGD(0.05, momentum=0.9),
    "nesterov": lambda: keras.optimizers.SGD(0.05, momentum=0.8, nesterov=True),
    "adam": lambda: keras.optimizers.Adam(0.01),
    "amsgrad": lambda: keras.optimizers.Adam(0.02, amsgrad=True),
    "rmsprop": lambda: keras.optimizers.RMSprop(0.01),
    "rmsprop_centered_momentum": lambda: keras.optimizers.RMSprop(0.005, momentum=0.5, centered=True),
    "adagrad": lambda: keras.optimizers.Adagrad(0.1),
}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_each_optimizer(name, rounding):
    _train_both(_model((4, "sigmoid"), (CLASSES, "softmax")),
                _compiled(OPTIMIZERS[name], "sparse_categorical_crossentropy", ["accuracy"]), "sparse", epochs=5)


@pytest.mark.parametrize("batch_size", [1, 4, SAMPLES])
@pytest.mark.parametrize("shuffle", [True, False])
def test_batches_and_shuffling(batch_size, shuffle):
    _train_both(_model((1, "sigmoid")), _compiled(lambda: keras.optimizers.SGD(0.2), "binary_crossentropy", ["acc"]),
                "binary", batch_size=batch_size, fit_kwargs={"shuffle": shuffle}, validation="split")


def test_the_tutorial_perceptron():
    """The benchmark's model, with its batch size 1, as one case of the general path."""
    _train_both(_model((1, "sigmoid"), inputs=FEATURES),
                _compiled(lambda: keras.optimizers.SGD(0.2), "binary_crossentropy", ["acc"]),
                "binary", batch_size=1, epochs=10)


def test_epoch_callbacks_early_stopping_lr_plateau_checkpoint(tmp_path):
    def callbacks():
        return [keras.callbacks.EarlyStopping(monitor="val_loss", patience=1, min_delta=0.01),
                keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5, min_delta=0.5),
                keras.callbacks.ModelCheckpoint(str(tmp_path / "best.weights.h5"), save_weights_only=True)]

    results = []
    for tiny in (False, True):
        results.append(_run(_model((2, "tanh"), (1, "sigmoid")),
                            _compiled(lambda: keras.optimizers.SGD(0.5), "binary_crossentropy", ["acc"]),
                            "binary", tiny, epochs=30, fit_kwargs={"callbacks": callbacks()}))
    tape, tiny = results
    assert "train" not in tiny[4]
    assert len(tiny[1]["loss"]) == len(tape[1]["loss"]) < 30  # stopped early, at the same epoch
    assert tiny[1]["learning_rate"] == tape[1]["learning_rate"] and len(set(tiny[1]["learning_rate"])) > 1
    _assert_close(tiny, tape)
    saved = keras.Sequential([keras.Input((FEATURES,)), layers.Dense(2, activation="tanh"),
                              layers.Dense(1, activation="sigmoid")])
    saved.load_weights(str(tmp_path / "best.weights.h5"))
    for a, b in zip(saved.get_weights(), tiny[0].get_weights()):
        np.testing.assert_allclose(a, b, **TOLERANCE)


class _BatchLogs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append((batch, dict(logs), [w.copy() for w in self.model.get_weights()]))


def test_a_callback_watching_batches_sees_every_step():
    """With a batch hook the program runs one step per call; logs and weights between steps match."""
    watchers = []
    results = []
    for tiny in (False, True):
        watcher = _BatchLogs()
        watchers.append(watcher)
        results.append(_run(_model((2, "relu"), (1, "sigmoid")),
                            _compiled(lambda: keras.optimizers.Adam(0.05), "binary_crossentropy", ["acc"]),
                            "binary", tiny, fit_kwargs={"callbacks": [watcher]}))
    assert "train" not in results[1][4]
    _assert_close(results[1], results[0])
    tape_seen, tiny_seen = watchers[0].seen, watchers[1].seen
    assert [b for b, _, _ in tiny_seen] == [b for b, _, _ in tape_seen]
    for (_, logs, weights), (_, ref_logs, ref_weights) in zip(tiny_seen, tape_seen):
        assert list(logs) == list(ref_logs)
        for key in logs:
            np.testing.assert_allclose(logs[key], ref_logs[key], **TOLERANCE)
        for a, b in zip(weights, ref_weights):
            np.testing.assert_allclose(a, b, **TOLERANCE)


def _without_times(text):
    return re.sub(r"\d+(\.\d+)?\s*(ms|s|us|µs)(/step)?", "T", text)


def test_printed_progress_is_the_same():
    printed = []
    for tiny in (False, True):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            _run(_model((1, "sigmoid")), _compiled(lambda: keras.optimizers.SGD(0.2), "binary_crossentropy", ["acc"]),
                 "binary", tiny, fit_kwargs={"verbose": 2})
        printed.append(_without_times(out.getvalue()))
    assert printed[0] == printed[1]
    assert "val_acc" in printed[1]


def test_one_call_per_epoch_when_no_callback_watches_batches(monkeypatch):
    calls = []
    run = tiny_program.ScalarProgram.run

    def counting(self, rows, order, full):
        calls.append((self.mode, len(order)))
        return run(self, rows, order, full)

    monkeypatch.setattr(tiny_program.ScalarProgram, "run", counting)
    _run(_model((1, "sigmoid")), _compiled(lambda: keras.optimizers.SGD(0.2), "binary_crossentropy", ["acc"]),
         "binary", True, epochs=3)
    assert calls[:6] == [("train", SAMPLES), ("test", 11)] * 3


def test_the_generated_source_is_inspectable():
    model = _run(_model((1, "sigmoid")), _compiled(lambda: keras.optimizers.SGD(0.2), "binary_crossentropy", ["acc"]),
                 "binary", True)[0]
    source = model._compiled_source
    assert source == tiny_program.tiny_source(model)
    assert "# forward pass" in source and "# SGD update" in source and "def test(" in source
    train_source = model._compiled_steps.tiny.sources["train"]
    assert train_source.startswith("def train(X, Y, W, order, full, lr, it):")
    assert "# gradients, walking the recorded ops backwards" in train_source
    assert "np." not in train_source  # Python on floats only
    compile(train_source, "<tiny>", "exec")


@pytest.mark.parametrize("make, expected", [
    (lambda: keras.Sequential([keras.Input((FEATURES,)), layers.Dropout(0.5), layers.Dense(1, activation="sigmoid")]),
     "not one the tiny path covers"),
    (lambda: keras.Sequential([keras.Input((FEATURES,)), layers.Dense(64, activation="relu"),
                               layers.Dense(1, activation="sigmoid")]), "limit"),
    (lambda: keras.Sequential([keras.Input((FEATURES,)), layers.Dense(1, activation="sigmoid",
                                                                      kernel_regularizer="l2")]), "regularizer"),
])
def test_what_is_not_covered_says_why_and_stays_correct(make, expected):
    x, y = _data("binary")
    model = make()
    model.compile(keras.optimizers.SGD(0.1), "binary_crossentropy", ["acc"])
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert expected in model.tiny_program_reason["train"]


def test_a_schedule_or_clipping_keeps_the_compiled_step():
    x, y = _data("binary")
    for optimizer, expected in ((keras.optimizers.SGD(keras.optimizers.schedules.ExponentialDecay(0.1, 5, 0.9)),
                                 "schedule"), (keras.optimizers.SGD(0.1, clipnorm=1.0), "clipnorm"),
                                (keras.optimizers.Nadam(), "Nadam")):
        model = _model((1, "sigmoid"))()
        model.compile(optimizer, "binary_crossentropy")
        model.fit(x, y, batch_size=8, epochs=1, verbose=0)
        assert expected in model.tiny_program_reason["train"]


def test_a_value_python_refuses_falls_back_with_the_same_numbers():
    """Probabilities summing to 0 divide by zero: numpy gives NaN, Python raises; the epoch
    runs again on the compiled step from the same state, so the results are the tape's."""
    def build():
        model = keras.Sequential([keras.Input((FEATURES,)), layers.Dense(CLASSES, activation="relu",
                                                                        kernel_initializer="zeros")])
        return model

    tape = _run(build, _compiled(lambda: keras.optimizers.SGD(0.1), "categorical_crossentropy"), "onehot", False,
                epochs=2)
    tiny = _run(build, _compiled(lambda: keras.optimizers.SGD(0.1), "categorical_crossentropy"), "onehot", True,
                epochs=2)
    assert np.isnan(tiny[1]["loss"]).all() and np.isnan(tape[1]["loss"]).all()
    assert "Python" in tiny[4]["train"]


def test_a_functional_model_and_a_sequential_built_by_fit():
    def functional():
        inputs = keras.Input((FEATURES,))
        hidden = layers.Dense(3, activation="tanh")(inputs)
        return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(hidden))

    def unbuilt():
        return keras.Sequential([layers.Dense(2, activation="relu"), layers.Dense(1, activation="sigmoid")])

    for build in (functional, unbuilt):
        _train_both(build, _compiled(lambda: keras.optimizers.Adam(0.03), "binary_crossentropy", ["acc"]), "binary")


def test_progress_bar_output_is_the_same():
    """verbose=1 draws a bar per batch: the program runs one step per call."""
    printed = []
    for tiny in (False, True):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            result = _run(_model((1, "sigmoid")),
                          _compiled(lambda: keras.optimizers.SGD(0.2), "binary_crossentropy", ["acc"]),
                          "binary", tiny, fit_kwargs={"verbose": 1})
        printed.append(_without_times(out.getvalue()))
    assert "train" not in result[4]
    assert printed[0] == printed[1]


def test_loss_weights_and_a_learning_rate_scheduler():
    def callbacks():
        return [keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.7)]

    _train_both(_model((2, "tanh"), (2, "linear")),
                _compiled(lambda: keras.optimizers.SGD(0.05, momentum=0.5), "mae", ["mse"], loss_weights=2.5),
                "regression", fit_kwargs={"callbacks": callbacks()})


def test_changing_a_hyper_parameter_between_fits_writes_the_program_again():
    results = []
    for tiny in (False, True):
        x, y = _data("binary")
        keras.utils.set_random_seed(3)
        model = _model((1, "sigmoid"))()
        optimizer = keras.optimizers.SGD(0.1, momentum=0.9)
        model.compile(optimizer, "binary_crossentropy", jit_compile="auto" if tiny else False)
        model.fit(x, y, batch_size=4, epochs=2, verbose=0)
        optimizer.momentum = 0.2
        model.fit(x, y, batch_size=4, epochs=2, verbose=0)
        results.append(model.get_weights())
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, **TOLERANCE)


class _CountsNearTheLimit(keras.callbacks.Callback):
    """Starts the loss tracker's count just below 2**24, where float32 stops counting by ones."""

    def on_epoch_begin(self, epoch, logs=None):
        self.model._loss_tracker.count.assign(2.0 ** 24 - 4)


def test_counts_beyond_2_to_the_24_run_on_the_compiled_step():
    results = [_run(_model((1, "sigmoid")), _compiled(lambda: keras.optimizers.SGD(0.2), "binary_crossentropy"),
                    "binary", tiny, fit_kwargs={"callbacks": [_CountsNearTheLimit()]}) for tiny in (False, True)]
    assert "2**24" in results[1][4]["train"]
    _assert_close(results[1], results[0])


def test_large_data_runs_in_chunks_of_whole_batches(monkeypatch):
    monkeypatch.setattr(tiny_program, "CACHED_ELEMENTS", 10)
    monkeypatch.setattr(tiny_program, "CHUNK_SAMPLES", 7)  # chunks of 5 (batch size 5), the last one short
    calls = []
    run = tiny_program.ScalarProgram.run

    def counting(self, rows, order, full):
        calls.append(len(order))
        return run(self, rows, order, full)

    monkeypatch.setattr(tiny_program.ScalarProgram, "run", counting)
    for shuffle in (True, False):
        _train_both(_model((2, "tanh"), (1, "sigmoid")),
                    _compiled(lambda: keras.optimizers.Adam(0.02), "binary_crossentropy", ["acc"]), "binary",
                    fit_kwargs={"shuffle": shuffle})
    assert calls[:5] == [5, 5, 5, 5, 3]


def test_a_large_model_is_refused_before_any_code_is_generated(monkeypatch):
    from nanokeras.trainers import scalar_program

    named = []
    monkeypatch.setattr(scalar_program._State, "add", lambda self, *a, **k: named.append(a) or pytest.fail("named"))
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(64)])
    model.compile("adam", "mse")
    model.fit(np.zeros((8, 784), "float32"), np.zeros((8, 64), "float32"), batch_size=4, verbose=0)
    assert "at least" in model.tiny_program_reason["train"] and named == []
