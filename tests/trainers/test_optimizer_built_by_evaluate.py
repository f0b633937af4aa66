"""`evaluate`/`test_on_batch` build the optimizer as Keras 3 does, and an optimizer holding slots
for more weights than are trainable now (layers frozen after it was built, without a new
`compile`) trains the trainable ones on every path exactly as the tape does."""

import io
import contextlib

import numpy as np
import pytest

import nanokeras as keras

RNG = np.random.default_rng(0)
X = RNG.random((16, 3)).astype("float32")
Y = RNG.random((16, 1)).astype("float32")


def _model(units=4):
    keras.utils.set_random_seed(1)
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(units), keras.layers.Dense(1)])


@pytest.mark.parametrize("how", ["evaluate", "test_on_batch"])
def test_evaluating_builds_the_optimizer_for_every_trainable_weight(how):
    model = _model()
    model.compile("adam", "mse")
    assert not model.optimizer.built
    if how == "evaluate":
        model.evaluate(X, Y, verbose=0)
    else:
        model.test_on_batch(X, Y)
    assert model.optimizer.built
    assert len(model.optimizer.variables) == 2 + 2 * len(model.trainable_weights)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.summary()
    assert " Optimizer params: 44 (176.00 B)" in out.getvalue()


def test_predicting_does_not_build_the_optimizer():
    model = _model()
    model.compile("adam", "mse")
    model.predict(X, verbose=0)
    model.predict_on_batch(X)
    model(X)
    assert not model.optimizer.built
    assert len(model.optimizer.variables) == 2


def test_an_unbuilt_model_is_built_first_then_its_optimizer():
    model = keras.Sequential([keras.layers.Dense(2), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.evaluate(X, Y, verbose=0)
    assert model.built and model.optimizer.built


def _train_after_freezing(optimizer, units, jit_compile, build_with):
    model = _model(units)
    model.compile(optimizer=optimizer, loss="mse", jit_compile=jit_compile)
    if build_with == "evaluate":
        model.evaluate(X, Y, verbose=0)
    else:
        model.fit(X, Y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    frozen = [w.numpy() for w in model.layers[0].weights]
    model.layers[0].trainable = False
    history = model.fit(X, Y, batch_size=4, epochs=2, verbose=0, shuffle=False).history
    for before, weight in zip(frozen, model.layers[0].weights):
        np.testing.assert_array_equal(weight.numpy(), before)
    return model, history


@pytest.mark.parametrize("optimizer", ["adam", "sgd", "rmsprop", "adagrad", "nadam"])
@pytest.mark.parametrize("units", [4, 300])  # the tiny path, then the numpy step program
@pytest.mark.parametrize("build_with", ["evaluate", "fit"])
def test_freezing_after_the_optimizer_was_built_trains_the_rest_as_the_tape(optimizer, units, build_with):
    fast, fast_history = _train_after_freezing(optimizer, units, "auto", build_with)
    tape, tape_history = _train_after_freezing(optimizer, units, False, build_with)
    assert "train" not in fast.compiled_step_reason  # a fast path really ran
    if units == 4 and optimizer != "nadam":  # (the tiny path has no Nadam update)
        assert "train" not in fast.tiny_program_reason
    assert fast_history["loss"][-1] < fast_history["loss"][0] or optimizer == "sgd"
    np.testing.assert_allclose(fast_history["loss"], tape_history["loss"], rtol=1e-6, atol=1e-6)
    for a, b in zip(fast.get_weights(), tape.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    for a, b in zip(fast.optimizer.variables, tape.optimizer.variables):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-6)
