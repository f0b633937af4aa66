"""Keras 2 `.h5` files of a functional model nested in another move both ways between nanokeras and
tf-keras: tf-keras counts a nested model's first node (its inputs to outputs) in every reference."""

import numpy as np
import pytest

import nanokeras as nk
from tests.parity.test_keras2_preprocessing import _quiet, tf_keras  # noqa: F401  (fixtures)


def _nested(lib, shared):
    L = lib.layers
    inner_in = lib.Input((3,))
    inner = lib.Model(inner_in, L.Dense(2, activation="tanh")(inner_in), name="inner")
    first, second = lib.Input((3,)), lib.Input((3,))
    outputs = [inner(first)]
    inputs = [first]
    if shared:
        inputs.append(second)
        outputs.append(L.Dense(1, name="head")(inner(second)))
    else:
        outputs.append(L.Dense(1, name="head")(outputs[0]))
    return lib.Model(inputs, outputs)


def _x(shared):
    x = [np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)]
    return x + [np.linspace(2, 0, 6, dtype="float32").reshape(2, 3)] if shared else x


def _predictions(model, shared):
    return [np.asarray(p) for p in model.predict(_x(shared), verbose=0)]


@pytest.mark.parametrize("shared", [False, True])
def test_tf_keras_reads_nanokeras_h5(tf_keras, tmp_path, shared):
    ours = _nested(nk, shared)
    ours.save(tmp_path / "m.h5")
    theirs = tf_keras.models.load_model(tmp_path / "m.h5")
    for a, b in zip(_predictions(theirs, shared), _predictions(ours, shared)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    again = nk.models.load_model(tmp_path / "m.h5")
    for a, b in zip(_predictions(again, shared), _predictions(ours, shared)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("shared", [False, True])
def test_nanokeras_reads_tf_keras_h5(tf_keras, tmp_path, shared):
    theirs = _nested(tf_keras, shared)
    theirs.save(tmp_path / "m.h5")
    ours = nk.models.load_model(tmp_path / "m.h5")
    for a, b in zip(_predictions(ours, shared), _predictions(theirs, shared)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
