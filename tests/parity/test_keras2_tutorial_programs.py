"""Keras 2 tutorial idioms against real Keras 2 (`tf-keras`): files and methods the blog and course
programs use (`ModelCheckpoint('...hdf5')`, ...), each read back by the other library."""

import os

import numpy as np

import nanokeras as nk
from tests.parity.test_keras2_preprocessing import _quiet, tf_keras  # noqa: F401  (fixtures)


def _data():
    rng = np.random.default_rng(0)
    x = rng.random((24, 5), dtype=np.float32)
    return x, (x.sum(axis=1) > 2.5).astype("float32")


def _build(lib):
    model = lib.Sequential([lib.layers.Dense(4, activation="relu", input_shape=(5,)),
                            lib.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def _same_start(first, second):
    rng = np.random.default_rng(1)
    weights = [rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in first.get_weights()]
    first.set_weights(weights)
    second.set_weights(weights)


def test_hdf5_checkpoints_cross_read(tf_keras, tmp_path):
    x, y = _data()
    ours, theirs = _build(nk), _build(tf_keras)
    _same_start(ours, theirs)
    for lib, model, name in ((nk, ours, "nk"), (tf_keras, theirs, "tk")):
        callbacks = [lib.callbacks.ModelCheckpoint(str(tmp_path / (name + "-{epoch:02d}.hdf5"))),
                     lib.callbacks.ModelCheckpoint(str(tmp_path / (name + "-best.hdf5")), monitor="loss",
                                                   save_best_only=True, save_weights_only=True)]
        model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0, callbacks=callbacks)
    assert sorted(os.listdir(tmp_path)) == ["nk-01.hdf5", "nk-02.hdf5", "nk-best.hdf5",
                                            "tk-01.hdf5", "tk-02.hdf5", "tk-best.hdf5"]
    expected = theirs.predict(x, verbose=0)
    np.testing.assert_allclose(ours.predict(x, verbose=0), expected, atol=1e-4)
    # Each library reads the other's whole-model and weights-only checkpoints.
    np.testing.assert_allclose(nk.models.load_model(tmp_path / "tk-02.hdf5").predict(x, verbose=0),
                               expected, atol=1e-6)
    ours_again = _build(nk)
    ours_again.load_weights(str(tmp_path / "tk-best.hdf5"))
    np.testing.assert_allclose(ours_again.predict(x, verbose=0), expected, atol=1e-6)
    mine = ours.predict(x, verbose=0)
    np.testing.assert_allclose(tf_keras.models.load_model(tmp_path / "nk-02.hdf5").predict(x, verbose=0),
                               mine, atol=1e-6)
    theirs_again = _build(tf_keras)
    theirs_again.load_weights(str(tmp_path / "nk-best.hdf5"))
    np.testing.assert_allclose(theirs_again.predict(x, verbose=0), mine, atol=1e-6)


def _stateful(lib):
    model = lib.Sequential([lib.layers.LSTM(3, batch_input_shape=(1, 4, 1), stateful=True, return_sequences=True),
                            lib.layers.LSTM(2, stateful=True), lib.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mean_squared_error")
    return model


def test_stateful_lstm_reset_states_each_epoch(tf_keras):
    # machinelearningmastery's stateful time-series LSTM: one epoch at a time, then reset.
    series = np.sin(np.arange(20, dtype="float32") / 3)
    x = np.stack([series[i:i + 4] for i in range(12)])[..., None]
    y = series[4:16]
    ours, theirs = _stateful(nk), _stateful(tf_keras)
    _same_start(ours, theirs)
    for model in (ours, theirs):
        for _ in range(2):
            model.fit(x, y, epochs=1, batch_size=1, verbose=0, shuffle=False)
            model.reset_states()
    for model in (ours, theirs):
        assert all(not np.any(np.asarray(state)) for layer in model.layers[:2] for state in layer.states)
    np.testing.assert_allclose(ours.predict(x, batch_size=1, verbose=0), theirs.predict(x, batch_size=1, verbose=0),
                               atol=1e-4)


def _two_inputs(lib):
    a, b = lib.layers.Input(shape=(4,)), lib.layers.Input(shape=(3,))
    shared = lib.layers.Dense(5, activation="relu")
    merged = lib.layers.concatenate([shared(a), b])
    hidden = lib.layers.Reshape((8, 1))(merged)
    hidden = lib.layers.Conv1D(2, 3, padding="same")(hidden)
    return lib.models.Model([a, b], lib.layers.Flatten()(hidden))


def test_layer_input_and_output_shapes(tf_keras):
    ours, theirs = _two_inputs(nk), _two_inputs(tf_keras)
    for attribute in ("input_shape", "output_shape"):
        assert [getattr(layer, attribute) for layer in ours.layers] == \
            [getattr(layer, attribute) for layer in theirs.layers], attribute
    assert (ours.input_shape, ours.output_shape) == (theirs.input_shape, theirs.output_shape)
    for lib in (nk, tf_keras):
        unused = lib.layers.Dense(2)
        try:
            unused.output_shape
        except AttributeError as error:
            assert "never been called" in str(error)
        else:
            raise AssertionError(f"{lib.__name__}: an uncalled layer has an output_shape")


def test_history_lr_after_reduce_lr_on_plateau(tf_keras):
    x, y = _data()
    ours, theirs = _build(nk), _build(tf_keras)
    _same_start(ours, theirs)
    logged = []
    for lib, model in ((nk, ours), (tf_keras, theirs)):
        reduce = lib.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0, min_delta=10.0)
        history = model.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0, callbacks=[reduce])
        logged.append(history.history["lr"])
    np.testing.assert_allclose(logged[0], logged[1], rtol=1e-6)


TIMESERIES_CASES = [
    {"length": 5, "batch_size": 8},
    {"length": 3, "batch_size": 1},
    {"length": 4, "sampling_rate": 2, "stride": 3, "batch_size": 5},
    {"length": 2, "start_index": 3, "end_index": 15, "reverse": True, "batch_size": 4},
    {"length": 6, "shuffle": True, "batch_size": 3},
]


def test_timeseries_generator_batches(tf_keras):
    series = np.arange(40, dtype="float32").reshape(20, 2)
    targets = np.arange(20, dtype="float32") * 10
    for kwargs in TIMESERIES_CASES:
        ours = nk.preprocessing.sequence.TimeseriesGenerator(series, targets, **kwargs)
        theirs = tf_keras.preprocessing.sequence.TimeseriesGenerator(series, targets, **kwargs)
        assert len(ours) == len(theirs), kwargs
        for index in range(len(theirs)):
            np.random.seed(index)
            expected = theirs[index]
            np.random.seed(index)
            got = ours[index]
            for a, b in zip(got, expected):
                np.testing.assert_array_equal(a, b, err_msg=str(kwargs))


def test_timeseries_generator_fit_matches(tf_keras):
    series = np.sin(np.arange(30, dtype="float32") / 4).reshape(-1, 1)
    losses = []
    models = []
    for lib in (nk, tf_keras):
        model = lib.Sequential([lib.layers.LSTM(3, input_shape=(4, 1)), lib.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        models.append(model)
    _same_start(*models)
    for lib, model in zip((nk, tf_keras), models):
        generator = lib.preprocessing.sequence.TimeseriesGenerator(series, series, length=4, batch_size=6)
        losses.append(model.fit(generator, epochs=2, shuffle=False, verbose=0).history["loss"])
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-4)


def test_embedding_input_length_summary_and_training(tf_keras):
    rng = np.random.default_rng(0)
    x, y = rng.integers(1, 30, (16, 6)), rng.integers(0, 2, 16).astype("float32")
    models = []
    for lib in (nk, tf_keras):
        model = lib.Sequential([lib.layers.Embedding(30, 4, input_length=6), lib.layers.LSTM(3),
                                lib.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        models.append(model)
    ours, theirs = models
    assert [layer.output_shape for layer in ours.layers] == [layer.output_shape for layer in theirs.layers]
    assert (ours.count_params(), ours.input_shape) == (theirs.count_params(), theirs.input_shape)
    _same_start(ours, theirs)
    losses = [model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0).history["loss"] for model in models]
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-4)
