"""Sample and class weights vs real Keras 3: class weights with `validation_split`, per-timestep
weights for sequence outputs, one weight array per output, class weights refused for several
outputs. Same initial weights, `shuffle=False`: histories and weights agree to 1e-5."""

import numpy as np
import pytest

import nanokeras as nk

TOLERANCE = dict(rtol=1e-5, atol=1e-5)


def _assert_same(real_history, our_history, real, ours):
    assert list(our_history.history) == list(real_history.history)
    for key, values in real_history.history.items():
        np.testing.assert_allclose(our_history.history[key], values, err_msg=key, **TOLERANCE)
    for got, expected in zip(ours.get_weights(), real.get_weights()):
        np.testing.assert_allclose(got, expected, **TOLERANCE)


def _pair(keras, build):
    keras.backend.clear_session()
    nk.backend.clear_session()
    real, ours = build(keras), build(nk)
    ours.set_weights(real.get_weights())
    return real, ours


def test_class_weight_with_validation_split_weights_only_the_training_part(keras):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(23, 5)).astype("float32")
    yb = (rng.random(23) > 0.5).astype("float32")
    real, ours = _pair(keras, lambda lib: lib.Sequential([
        lib.Input((5,)), lib.layers.Dense(4, activation="tanh"), lib.layers.Dense(1, activation="sigmoid")]))
    histories = []
    for lib, model in ((keras, real), (nk, ours)):
        model.compile(lib.optimizers.SGD(0.1), "binary_crossentropy", metrics=["accuracy", lib.metrics.AUC()],
                      weighted_metrics=["accuracy"])
        histories.append(model.fit(x, yb, class_weight={0: 0.3, 1: 3.0}, validation_split=0.2, batch_size=5,
                                   epochs=2, verbose=0, shuffle=False))
    _assert_same(histories[0], histories[1], real, ours)


def _sequence_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(10, 4, 3)).astype("float32")
    y = rng.integers(0, 5, (10, 4))
    sw = (rng.random((10, 4)) > 0.3).astype("float32")
    return x, y, sw


@pytest.mark.parametrize("weight_shape", ["(n, T)", "(n, T, 1)"])
@pytest.mark.parametrize("jit_compile", ["auto", False])
def test_per_timestep_sample_weights_on_sparse_sequence_labels(keras, weight_shape, jit_compile):
    x, y, sw = _sequence_data()
    if weight_shape == "(n, T, 1)":
        sw = sw[..., None]
    real, ours = _pair(keras, lambda lib: lib.Sequential([lib.Input((4, 3)), lib.layers.Dense(5)]))
    histories, evaluations = [], []
    for lib, model in ((keras, real), (nk, ours)):
        options = {"jit_compile": jit_compile} if lib is nk else {}
        model.compile(lib.optimizers.SGD(0.1), lib.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"], weighted_metrics=["accuracy"], **options)
        histories.append(model.fit(x, y, sample_weight=sw, batch_size=4, epochs=2, verbose=0, shuffle=False,
                                   validation_data=(x, y, sw)))
        evaluations.append(model.evaluate(x, y, sample_weight=sw, batch_size=3, verbose=0, return_dict=True))
    _assert_same(histories[0], histories[1], real, ours)
    assert evaluations[1] == pytest.approx(evaluations[0], rel=1e-5, abs=1e-6)


def test_per_timestep_sample_weights_on_a_recurrent_regression(keras):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(12, 5, 2)).astype("float32")
    y = rng.normal(size=(12, 5, 3)).astype("float32")
    sw = rng.random((12, 5)).astype("float32")
    real, ours = _pair(keras, lambda lib: lib.Sequential([
        lib.Input((5, 2)), lib.layers.SimpleRNN(4, return_sequences=True), lib.layers.Dense(3)]))
    histories = []
    for lib, model in ((keras, real), (nk, ours)):
        model.compile(lib.optimizers.Adam(0.01), "mse", weighted_metrics=["mae"])
        histories.append(model.fit(x, y, sample_weight=sw, batch_size=5, epochs=3, verbose=0, shuffle=False))
    _assert_same(histories[0], histories[1], real, ours)


def _two_outputs(lib, as_dict=False):
    inputs = lib.Input((3,))
    hidden = lib.layers.Dense(4, activation="relu")(inputs)
    cls = lib.layers.Dense(3, activation="softmax", name="cls")(hidden)
    reg = lib.layers.Dense(2, name="reg")(hidden)
    return lib.Model(inputs, {"cls": cls, "reg": reg} if as_dict else [cls, reg])


def test_class_weight_with_several_outputs_is_refused_as_keras_refuses_it(keras):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 3)).astype("float32")
    y, y2 = rng.integers(0, 3, 12), rng.normal(size=(12, 2)).astype("float32")
    real, ours = _pair(keras, _two_outputs)
    for lib, model in ((keras, real), (nk, ours)):
        model.compile(lib.optimizers.SGD(0.1), {"cls": "sparse_categorical_crossentropy", "reg": "mse"})
        with pytest.raises(ValueError, match="(?i)class_weight` is only supported for models with a single output"):
            model.fit(x, [y, y2], class_weight={0: 1.0, 1: 2.0, 2: 3.0}, verbose=0)


def _two_output_data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(12, 3)).astype("float32")
    return (x, rng.integers(0, 3, 12), rng.normal(size=(12, 2)).astype("float32"),
            rng.random(12).astype("float32"), rng.random(12).astype("float32"))


@pytest.mark.parametrize("form", ["list", "dict"])
def test_one_sample_weight_array_per_output(keras, form):
    x, y, y2, sw, sw2 = _two_output_data()
    # (Keras maps a dict of weights by the outputs' keys: a model whose outputs are a dict)
    real, ours = _pair(keras, lambda lib: _two_outputs(lib, as_dict=form == "dict"))
    labels = [y, y2] if form == "list" else {"cls": y, "reg": y2}
    weights = [sw, sw2] if form == "list" else {"reg": sw2, "cls": sw}
    histories, evaluations = [], []
    for lib, model in ((keras, real), (nk, ours)):
        model.compile(lib.optimizers.SGD(0.1), {"cls": "sparse_categorical_crossentropy", "reg": "mse"})
        histories.append(model.fit(x, labels, sample_weight=weights, batch_size=4, epochs=2, verbose=0,
                                   shuffle=False, validation_split=0.25))
        evaluations.append(model.evaluate(x, labels, sample_weight=weights, batch_size=5, verbose=0,
                                          return_dict=True))
    _assert_same(histories[0], histories[1], real, ours)
    assert evaluations[1] == pytest.approx(evaluations[0], rel=1e-5, abs=1e-6)


def test_per_output_sample_weights_reach_each_outputs_weighted_metrics(keras):
    x, y, y2, sw, sw2 = _two_output_data()
    real, ours = _pair(keras, _two_outputs)
    histories = []
    for lib, model in ((keras, real), (nk, ours)):
        model.compile(lib.optimizers.SGD(0.1), {"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                      metrics={"cls": ["accuracy"]}, weighted_metrics={"cls": ["accuracy"], "reg": ["mae"]})
        histories.append(model.fit(x, [y, y2], sample_weight=[sw, sw2], batch_size=4, epochs=2, verbose=0,
                                   shuffle=False, validation_data=(x, [y, y2], [sw2, sw])))
    _assert_same(histories[0], histories[1], real, ours)


@pytest.mark.parametrize("labels_in_a_list", [False, True])
def test_one_weight_array_in_a_list_for_a_single_output(keras, labels_in_a_list):
    x, _, y2, sw, _ = _two_output_data()
    real, ours = _pair(keras, lambda lib: lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)]))
    results = []
    for lib, model in ((keras, real), (nk, ours)):
        model.compile(lib.optimizers.SGD(0.1), "mse")
        labels = [y2] if labels_in_a_list else y2
        history = model.fit(x, labels, sample_weight=[sw], batch_size=4, epochs=2, verbose=0, shuffle=False)
        results.append((history, model.evaluate(x, labels, sample_weight=[sw], verbose=0)))
    _assert_same(results[0][0], results[1][0], real, ours)
    assert results[1][1] == pytest.approx(results[0][1], rel=1e-5)
