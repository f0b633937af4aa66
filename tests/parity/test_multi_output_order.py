"""Several outputs against real Keras 3: the order of `evaluate`'s list (per-output losses in the
loss dict's order, compiled metrics after them sorted by log key) and the same losses."""

import numpy as np
import pytest

import nanokeras as nk


def _model(lib, weights=None):
    lib.backend.clear_session()
    inputs = lib.Input((4,), name="inp")
    hidden = lib.layers.Dense(8, activation="relu")(inputs)
    outputs = {"priority": lib.layers.Dense(1, name="priority")(hidden),
               "department": lib.layers.Dense(4, activation="softmax", name="department")(hidden),
               "bonus": lib.layers.Dense(1, name="bonus")(hidden)}
    model = lib.Model(inputs, outputs)
    if weights is not None:
        model.set_weights(weights)
    return model


LOSSES = [
    {"priority": "mse", "department": "categorical_crossentropy", "bonus": "mae"},
    {"department": "categorical_crossentropy", "bonus": "mae", "priority": "mse"},
]
METRICS = [
    {"priority": ["mae"], "department": ["accuracy"]},
    {"department": ["accuracy", "mse"], "bonus": "mse", "priority": ["mae"]},
]


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("metrics", METRICS)
def test_evaluate_lists_values_in_keras_order(keras, loss, metrics):
    rng = np.random.default_rng(0)
    x = rng.random((16, 4)).astype("float32")
    y = {"priority": rng.random((16, 1)).astype("float32"), "bonus": rng.random((16, 1)).astype("float32"),
         "department": np.eye(4, dtype="float32")[rng.integers(0, 4, 16)]}
    theirs = _model(keras)
    ours = _model(nk, theirs.get_weights())
    results = []
    for model in (theirs, ours):
        model.compile("sgd", loss, metrics=metrics)
        history = model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
        as_list = model.evaluate(x, y, verbose=0)
        as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
        keys = [[key for key, value in as_dict.items() if value == item] for item in as_list]
        results.append((keys, as_list, history.history))
    (their_keys, their_list, their_history), (our_keys, our_list, our_history) = results
    assert our_keys == their_keys
    np.testing.assert_allclose(our_list, their_list, rtol=1e-5, atol=1e-6)
    assert list(our_history) == list(their_history)
    for key in their_history:
        np.testing.assert_allclose(our_history[key], their_history[key], rtol=1e-5, atol=1e-6)
