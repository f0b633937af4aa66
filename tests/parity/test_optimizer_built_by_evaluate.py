"""After `compile` then `evaluate` (or `test_on_batch`), Keras 3 has built the optimizer: its
variables, `summary()`'s "Optimizer params" line and a saved file's optimizer state; `predict`
builds nothing. nanokeras does the same."""

import io
import contextlib

import numpy as np
import pytest

import nanokeras as nk


def _after(lib, how, tmp_path):
    lib.utils.clear_session()
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
    y = x.sum(axis=1, keepdims=True)
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(4), lib.layers.Dense(1)])
    model.compile("adam", "mse")
    getattr(model, how)(*((x,) if how.startswith("predict") else (x, y)), **({} if "batch" in how else {"verbose": 0}))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.summary()
    path = str(tmp_path / f"{lib.__name__}.keras")
    model.save(path)
    reloaded = nk.models.load_model(path)
    return (model.optimizer.built, [v.path for v in model.optimizer.variables],
            out.getvalue().splitlines()[-4:], len(reloaded.optimizer.variables))


@pytest.mark.parametrize("how", ["evaluate", "test_on_batch", "predict", "predict_on_batch"])
def test_which_methods_build_the_optimizer(keras, how, tmp_path):
    assert _after(nk, how, tmp_path) == _after(keras, how, tmp_path)


def test_an_optimizer_built_by_evaluate_trains_a_model_frozen_later_in_nanokeras(keras):
    # Keras on JAX rejects this fit (its optimizer was built for 4 variables, 2 are trainable);
    # nanokeras trains the trainable ones, as Keras on TensorFlow does. Both agree on the build.
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
    y = x.sum(axis=1, keepdims=True)
    built = []
    for lib in (nk, keras):
        model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(4), lib.layers.Dense(1)])
        model.compile("adam", "mse")
        model.evaluate(x, y, verbose=0)
        model.layers[0].trainable = False
        built.append(len(model.optimizer.variables))
        if lib is nk:
            frozen = model.layers[0].get_weights()
            model.fit(x, y, epochs=2, verbose=0)
            for a, b in zip(frozen, model.layers[0].get_weights()):
                np.testing.assert_array_equal(a, b)
    assert built[0] == built[1] == 10
