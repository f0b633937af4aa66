"""More tf-keras `.h5` files against nanokeras: nested models, multi-output metrics, RNN states.

Each file is written by real tf-keras (Keras 2.x) after one epoch; nanokeras loads it, predicts
the same and its next epoch matches tf-keras's (same batches, no shuffling).
"""

import warnings

import numpy as np
import pytest
from tests.parity.test_saving_h5 import _tf_keras, writer  # noqa: F401 (writer: a fixture)

import nanokeras


@pytest.fixture(scope="session")
def tf_keras():
    return _tf_keras()


def _as_list(value):
    return [np.asarray(v) for v in value] if isinstance(value, list) else [np.asarray(value)]


def _save_load_continue(k2, model, x, y, tmp_path, custom_objects=None):
    """Trains `model` one epoch in tf-keras, saves it, and compares nanokeras's load and next epoch."""
    model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    path = str(tmp_path / "model.h5")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.save(path)
        loaded = nanokeras.models.load_model(path, custom_objects=custom_objects)
    assert not [w for w in caught if "optimizer starts fresh" in str(w.message)]  # the state is restored
    for ours, theirs in zip(_as_list(loaded.predict(x, verbose=0)), _as_list(model.predict(x, verbose=0))):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)
    theirs = model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0).history
    ours = loaded.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0).history
    assert sorted(ours) == sorted(theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-4, atol=1e-5, err_msg=key)
    for ours, theirs in zip(_as_list(loaded.predict(x, verbose=0)), _as_list(model.predict(x, verbose=0))):
        np.testing.assert_allclose(ours, theirs, atol=1e-4)
    return loaded


def test_batch_normalization_in_a_model_nested_in_a_nested_model(tf_keras, tmp_path):
    L = tf_keras.layers
    inner = tf_keras.Sequential([tf_keras.Input((4,)), L.Dense(3), L.BatchNormalization()], name="inner")
    a = tf_keras.Input((4,))
    middle = tf_keras.Model(a, L.Dense(2)(inner(a)), name="middle")
    model = tf_keras.Sequential([tf_keras.Input((4,)), middle, L.Dense(1)])
    model.compile("adam", "mse")
    rng = np.random.default_rng(0)
    _save_load_continue(tf_keras, model, rng.normal(size=(16, 4)).astype("float32"),
                        rng.normal(size=(16, 1)).astype("float32"), tmp_path)


@pytest.mark.parametrize("by", ["dict", "list"])
def test_multi_output_model_keeps_its_per_output_metric_names_and_loss_weights(tf_keras, by, tmp_path):
    L = tf_keras.layers
    inputs = tf_keras.Input((4,))
    hidden = L.Dense(5, activation="relu")(inputs)
    model = tf_keras.Model(inputs, [L.Dense(1, name="reg")(hidden), L.Dense(3, activation="softmax", name="cls")(hidden)])
    if by == "dict":
        model.compile("adam", loss={"reg": "mse", "cls": "categorical_crossentropy"}, loss_weights={"reg": 0.5, "cls": 2.0},
                      metrics={"reg": ["mae"], "cls": ["accuracy"]})
    else:
        model.compile(tf_keras.optimizers.SGD(0.01), loss=["mse", tf_keras.losses.CategoricalCrossentropy()],
                      loss_weights=[1.0, 0.3], metrics=[["mae"], ["acc"]])
    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = [rng.normal(size=(16, 1)).astype("float32"), np.eye(3, dtype="float32")[rng.integers(0, 3, 16)]]
    _save_load_continue(tf_keras, model, x, y, tmp_path)


def test_an_rnn_called_with_an_initial_state_from_another_rnn(tf_keras, tmp_path):
    L = tf_keras.layers
    inputs = tf_keras.Input((5, 3))
    sequence, h, c = L.LSTM(4, return_sequences=True, return_state=True)(inputs)
    last, state = L.GRU(4, return_state=True)(sequence, initial_state=[h])
    model = tf_keras.Model(inputs, L.Dense(2)(L.Concatenate()([last, state, c])))
    model.compile("rmsprop", "mse")
    rng = np.random.default_rng(2)
    _save_load_continue(tf_keras, model, rng.normal(size=(16, 5, 3)).astype("float32"),
                        rng.normal(size=(16, 2)).astype("float32"), tmp_path)


# Layers whose tf-keras optimizer slot names are not nanokeras's variable paths.
SLOT_NAME_LAYERS = {
    "time_distributed": ((4, 5, 2), lambda L: [L.TimeDistributed(L.Dense(3)), L.TimeDistributed(L.Conv1D(2, 2))]),
    "depthwise_separable": ((8, 8, 2), lambda L: [L.DepthwiseConv2D(3, depth_multiplier=2),
                                                  L.SeparableConv2D(4, 3, padding="same")]),
    "bidirectional_backward_layer": ((5, 3), lambda L: [L.Bidirectional(
        L.LSTM(3, return_sequences=True), backward_layer=L.GRU(3, return_sequences=True, go_backwards=True))]),
}


@pytest.mark.parametrize("kind", sorted(SLOT_NAME_LAYERS))
def test_adam_state_of_layers_with_tf_keras_slot_names_continues_training(tf_keras, kind, tmp_path):
    shape, layers = SLOT_NAME_LAYERS[kind]
    model = tf_keras.Sequential([tf_keras.Input(shape)] + layers(tf_keras.layers)
                                + [tf_keras.layers.Flatten(), tf_keras.layers.Dense(3, name="head")])
    model.compile("adam", "mse", metrics=["mae"])
    rng = np.random.default_rng(3)
    _save_load_continue(tf_keras, model, rng.normal(size=(16,) + shape).astype("float32"),
                        rng.normal(size=(16, 3)).astype("float32"), tmp_path)


@pytest.mark.parametrize("kind", ["legacy_rmsprop", "legacy_sgd_momentum", "sgd_without_momentum"])
def test_keras2_optimizer_slot_kinds_restore_without_starting_fresh(tf_keras, kind, tmp_path):
    optimizer = {"legacy_rmsprop": lambda: tf_keras.optimizers.legacy.RMSprop(0.01),
                 "legacy_sgd_momentum": lambda: tf_keras.optimizers.legacy.SGD(0.01, momentum=0.5),
                 "sgd_without_momentum": lambda: tf_keras.optimizers.SGD(0.01)}[kind]()
    model = tf_keras.Sequential([tf_keras.Input((4,)), tf_keras.layers.Dense(5, activation="relu"),
                                 tf_keras.layers.Dense(3, name="head")])
    model.compile(optimizer, "mse", metrics=["mae"])
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(16, 4)).astype("float32"), rng.normal(size=(16, 3)).astype("float32")
    _save_load_continue(tf_keras, model, x, y, tmp_path)


def test_nanokeras_h5_with_wrapped_layers_loads_in_both(writer, tmp_path):
    L = nanokeras.layers
    model = nanokeras.Sequential([nanokeras.Input((5, 3)), L.Bidirectional(L.LSTM(3, return_sequences=True)),
                                  L.Bidirectional(L.GRU(2, return_sequences=True), merge_mode="sum"),
                                  L.TimeDistributed(L.Dense(2)), L.Flatten(), L.Dense(1)])
    x = np.random.default_rng(5).normal(size=(4, 5, 3)).astype("float32")
    path = str(tmp_path / "wrapped.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path)
        loaded = writer.models.load_model(path, compile=False)
    np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)), model.predict(x, verbose=0), atol=1e-5)


def test_nanokeras_h5_with_keras3_only_layer_options_loads_in_tf_keras(tf_keras, tmp_path):
    L = nanokeras.layers
    model = nanokeras.Sequential([nanokeras.Input((3, 5, 5, 1)), L.ConvLSTM2D(2, 3, recurrent_activation="sigmoid"),
                                  L.Reshape((9, 2)), L.ZeroPadding1D(1), L.LayerNormalization(), L.Flatten(), L.Dense(1)])
    x = np.random.default_rng(6).normal(size=(4, 3, 5, 5, 1)).astype("float32")
    path = str(tmp_path / "options.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path)
        loaded = tf_keras.models.load_model(path, compile=False)
    np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)), model.predict(x, verbose=0), atol=1e-5)


def test_nanokeras_h5_with_a_functional_nested_in_a_sequential_loads_in_both(writer, tmp_path):
    L = nanokeras.layers
    inner = nanokeras.Sequential([nanokeras.Input((4,)), L.Dense(3), L.BatchNormalization()], name="inner")
    inputs = nanokeras.Input((4,))
    middle = nanokeras.Model(inputs, L.Dense(2)(inner(inputs)), name="middle")
    model = nanokeras.Sequential([nanokeras.Input((4,)), middle, L.Dense(1)])
    x = np.random.default_rng(7).normal(size=(4, 4)).astype("float32")
    path = str(tmp_path / "nested.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path)
        loaded = writer.models.load_model(path, compile=False)
    np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)), model.predict(x, verbose=0), atol=1e-5)


def test_multi_output_metric_objects_and_weighted_metrics_of_one_output(tf_keras, tmp_path):
    L, M = tf_keras.layers, tf_keras.metrics
    inputs = tf_keras.Input((4,))
    hidden = L.Dense(5, activation="relu")(inputs)
    model = tf_keras.Model(inputs, [L.Dense(1, name="reg")(hidden), L.Dense(3, activation="softmax", name="cls")(hidden)])
    model.compile("adam", loss={"reg": tf_keras.losses.MeanSquaredError(), "cls": "categorical_crossentropy"},
                  metrics={"reg": [M.MeanAbsoluteError(name="mymae"), M.RootMeanSquaredError()],
                           "cls": [M.CategoricalAccuracy(), "top_k_categorical_accuracy"]},
                  weighted_metrics={"reg": ["mse"]})
    rng = np.random.default_rng(8)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = [rng.normal(size=(16, 1)).astype("float32"), np.eye(3, dtype="float32")[rng.integers(0, 3, 16)]]
    _save_load_continue(tf_keras, model, x, y, tmp_path)
