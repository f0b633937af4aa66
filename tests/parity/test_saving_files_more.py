"""More of Keras 3's file forms load in nanokeras: sharded weights, unzipped model directories, ..."""

import os

import numpy as np

import nanokeras as nk


def _model(lib):
    model = lib.Sequential([lib.Input((40,)), lib.layers.Dense(60), lib.layers.Dense(30), lib.layers.Dense(3)])
    model.compile(optimizer=lib.optimizers.Adam(0.01), loss="mse")
    return model


def _data():
    rng = np.random.default_rng(0)
    return rng.random((16, 40), dtype=np.float32), rng.random((16, 3), dtype=np.float32)


def test_keras_sharded_weights_load_and_train_on_the_same(keras, tmp_path):
    x, y = _data()
    model = _model(keras)
    model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    index = str(tmp_path / "w.weights.json")
    model.save_weights(index, max_shard_size=0.00002)  # 20 KB: several shards, groups split
    assert len([f for f in os.listdir(tmp_path) if f.endswith(".weights.h5")]) > 2
    mine = _model(nk)
    mine.optimizer.build(mine.trainable_variables)
    mine.load_weights(index)
    _same_now_and_after_one_more_epoch(model, mine, x, y)


def test_keras_unzipped_model_directory_loads_and_trains_on_the_same(keras, tmp_path):
    x, y = _data()
    model = _model(keras)
    model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    directory = str(tmp_path / "saved")
    keras.saving.save_model(model, directory, zipped=False)
    mine = nk.saving.load_model(directory)
    _same_now_and_after_one_more_epoch(model, mine, x, y)


def _same_now_and_after_one_more_epoch(model, mine, x, y):
    """A Keras model and nanokeras's copy of it (loaded after 2 steps) predict alike, and still
    have the same weights after one more epoch on the same batches."""
    np.testing.assert_allclose(mine.predict(x, verbose=0), np.asarray(model.predict(x, verbose=0)), atol=1e-5)
    assert int(mine.optimizer.iterations.numpy()) == 2
    model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    mine.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(model.weights, mine.weights):
        np.testing.assert_allclose(b.numpy(), np.asarray(a.numpy()), atol=1e-5)


def test_nanokeras_unzipped_model_directory_loads_in_keras(keras, tmp_path):
    x, y = _data()
    model = _model(nk)
    model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    directory = str(tmp_path / "saved")
    model.save(directory, zipped=False)
    theirs = keras.saving.load_model(directory)
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), model.predict(x, verbose=0), atol=1e-5)
    assert int(theirs.optimizer.iterations.numpy()) == 2


def _register_scaled_mse(lib):
    @lib.saving.register_keras_serializable(package="files_more")
    def scaled_mse(y_true, y_pred):
        return lib.ops.mean(lib.ops.square(y_true - y_pred), axis=-1) * 3.0

    @lib.saving.register_keras_serializable(package="files_more")
    def third_mae(y_true, y_pred):
        return lib.ops.mean(lib.ops.abs(y_true - y_pred), axis=-1) / 3.0

    return scaled_mse, third_mae


def test_keras_h5_with_registered_loss_and_metric_loads_and_evaluates_the_same(keras, tmp_path):
    import warnings

    x, y = _data()
    loss, metric = _register_scaled_mse(keras)
    _register_scaled_mse(nk)
    model = _model(keras)
    model.compile(optimizer="sgd", loss=loss, metrics=[metric])
    model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    path = str(tmp_path / "m.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path)
    mine = nk.saving.load_model(path)
    theirs = keras.saving.load_model(path)
    expected = theirs.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    got = mine.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    assert sorted(got) == sorted(expected)
    for key in expected:
        np.testing.assert_allclose(got[key], float(expected[key]), rtol=1e-5)


def test_keras_file_config_round_trips_through_nanokeras_key_for_key(keras, tmp_path):
    import json

    inputs = keras.Input((8, 8, 3))
    h = keras.layers.Conv2D(4, 3, padding="same")(inputs)
    h = keras.layers.BatchNormalization()(h)  # Keras records mask=None
    h = keras.layers.Resizing(4, 4)(h)  # Keras records training=True
    inner = keras.Sequential([keras.layers.Dense(5), keras.layers.Dense(2)], name="inner")
    outputs = inner(keras.layers.GlobalAveragePooling2D()(h))  # Keras records mask=None
    model = keras.Model(inputs, outputs)
    path = str(tmp_path / "k.keras")
    model.save(path)
    mine = nk.saving.load_model(path)
    assert json.dumps(mine.get_config(), sort_keys=True) == json.dumps(model.get_config(), sort_keys=True)
    x = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
    np.testing.assert_allclose(mine.predict(x, verbose=0), np.asarray(model.predict(x, verbose=0)), atol=1e-5)
    again = str(tmp_path / "again.keras")
    mine.save(again)
    theirs = keras.saving.load_model(again)
    assert json.dumps(theirs.get_config(), sort_keys=True) == json.dumps(model.get_config(), sort_keys=True)


def test_abs_op_nodes_round_trip_as_keras_writes_them(keras, tmp_path):
    import json

    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(keras.ops.abs(inputs) * 2.0))
    path = str(tmp_path / "k.keras")
    model.save(path)
    mine = nk.saving.load_model(path)
    assert json.dumps(mine.get_config(), sort_keys=True) == json.dumps(model.get_config(), sort_keys=True)
    nk_inputs = nk.Input((3,))
    native = nk.Model(nk_inputs, nk.ops.abs(nk_inputs))
    keras_inputs = keras.Input((3,))
    reference = keras.Model(keras_inputs, keras.ops.abs(keras_inputs))
    assert [l["class_name"] for l in native.get_config()["layers"]] == [
        l["class_name"] for l in reference.get_config()["layers"]]


def test_keras_lookup_layers_config_round_trips(keras, tmp_path):
    import json

    inputs = keras.Input((2,), dtype="int32")
    lookup = keras.layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode="multi_hot")
    model = keras.Model(inputs, keras.layers.Dense(2)(lookup(inputs)))
    path = str(tmp_path / "k.keras")
    model.save(path)
    mine = nk.saving.load_model(path)
    assert json.dumps(mine.get_config(), sort_keys=True) == json.dumps(model.get_config(), sort_keys=True)
    x = np.array([[1, 3], [2, 9]], dtype="int32")
    np.testing.assert_allclose(mine.predict(x, verbose=0), np.asarray(model.predict(x, verbose=0)), atol=1e-6)


def test_nanokeras_sharded_weights_load_in_keras(keras, tmp_path):
    x, y = _data()
    model = _model(nk)
    model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    index = str(tmp_path / "w.weights.json")
    model.save_weights(index, max_shard_size=0.00002)
    assert len([f for f in os.listdir(tmp_path) if f.endswith(".weights.h5")]) > 2
    theirs = _model(keras)
    theirs.optimizer.build(theirs.trainable_variables)
    theirs.load_weights(index)
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), model.predict(x, verbose=0), atol=1e-5)
    for a, b in zip(model.optimizer.variables, theirs.optimizer.variables):
        np.testing.assert_allclose(np.asarray(b.numpy()), a.numpy(), atol=1e-6)


def test_tf_idf_lookups_move_both_ways_with_their_weights(keras, tmp_path):
    texts = np.array(["the cat sat", "the dog ran far away", "a cat ran"])
    cases = [
        (lambda lib: lib.layers.TextVectorization(output_mode="tf_idf", ngrams=2), texts,
         np.array([["the cat ran"], ["dog unknown"], ["a"]])),
        (lambda lib: lib.layers.StringLookup(output_mode="tf_idf"), np.array(["a", "b", "a", "c"]),
         np.array([["a"], ["z"], ["c"]])),
    ]
    for i, (make, data, x) in enumerate(cases):
        layer = make(keras)
        layer.adapt(data)
        expected = np.asarray(layer(x))
        inputs = keras.Input((1,), dtype="string")
        path = str(tmp_path / f"k{i}.keras")
        keras.Model(inputs, layer(inputs)).save(path)
        mine = nk.saving.load_model(path)
        np.testing.assert_allclose(mine.predict(x, verbose=0), expected, atol=1e-6)

        ours = make(nk)
        ours.adapt(data)
        nk_inputs = nk.Input((1,), dtype="string")
        model = nk.Model(nk_inputs, ours(nk_inputs))
        path = str(tmp_path / f"n{i}.keras")
        model.save(path)
        theirs = keras.saving.load_model(path)
        np.testing.assert_allclose(np.asarray(theirs.layers[-1](x)), model.predict(x, verbose=0), atol=1e-6)


def test_abs_nodes_are_named_and_shown_as_in_keras(keras):
    def op_rows(lib):
        lib.backend.clear_session()
        inputs = lib.Input((3,), name="x")
        model = lib.Model(inputs, lib.ops.abs(inputs) + 1.0)
        lines = []
        model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
        return [line for line in lines if "(Absolute)" in line or "(Abs)" in line], [
            layer["name"] for layer in model.get_config()["layers"]]

    assert op_rows(nk) == op_rows(keras)


def test_keras_spectral_normalization_file_loads_with_its_two_own_weights(keras, tmp_path):
    # Its kernel is one of its own weights (listed once) beside vector_u: a file holds two.
    x, _ = _data()
    inputs = keras.Input((40,))
    model = keras.Model(inputs, keras.layers.SpectralNormalization(keras.layers.Dense(3))(inputs))
    path = str(tmp_path / "k.keras")
    model.save(path)
    mine = nk.saving.load_model(path)
    np.testing.assert_allclose(mine.predict(x, verbose=0), np.asarray(model.predict(x, verbose=0)), atol=1e-5)
    assert len(mine.layers[1]._saved_variables()) == 2
