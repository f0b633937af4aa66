import numpy as np
import pytest

import nanokeras as keras


def test_integer_lookup_vocabulary_oov_and_int64_output():
    layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    out = layer(np.array([[12, 1138, 42], [42, 1000, 36]]))
    assert out.tolist() == [[1, 3, 4], [4, 0, 2]] and out.dtype == np.int64
    assert layer.get_vocabulary() == [-1, 12, 36, 1138, 42] and layer.vocabulary_size() == 5


def test_integer_lookup_adapt_orders_by_frequency_then_value():
    layer = keras.layers.IntegerLookup()
    layer.adapt(np.array([[12, 1138, 42], [42, 1000, 36]]))
    assert layer.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]  # Keras's docstring example
    assert layer(np.array([[12, 1138, 42], [42, 1000, 36]])).tolist() == [[5, 2, 1], [1, 3, 4]]


def test_integer_lookup_multiple_oov_mask_invert():
    layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], num_oov_indices=2)
    assert layer(np.array([[12, 1138, 42], [37, 1000, 36]])).tolist() == [[2, 4, 5], [1, 0, 3]]
    masked = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], mask_token=0)
    assert masked(np.array([[12, 0, 42], [42, 1000, 36]])).tolist() == [[2, 0, 5], [5, 1, 3]]
    inverse = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], invert=True)
    assert inverse(np.array([[1, 3, 4], [4, 0, 2]])).tolist() == [[12, 1138, 42], [42, -1, 36]]


def test_integer_lookup_encodings_and_tf_idf():
    vocab = [12, 36, 1138, 42]
    data = np.array([[12, 1138, 42, 42], [42, 7, 36, 7]])
    one_hot = keras.layers.IntegerLookup(vocabulary=vocab, output_mode="one_hot")(np.array([12, 36, 7]))
    assert one_hot.tolist() == [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [1, 0, 0, 0, 0]]
    multi = keras.layers.IntegerLookup(vocabulary=vocab, output_mode="multi_hot")(data)
    assert multi.tolist() == [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]
    count = keras.layers.IntegerLookup(vocabulary=vocab, output_mode="count")(data)
    assert count.tolist() == [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]
    idf = [0.25, 0.75, 0.6, 0.4]
    tfidf = keras.layers.IntegerLookup(vocabulary=vocab, output_mode="tf_idf", idf_weights=idf)(data)
    np.testing.assert_allclose(tfidf, [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]], rtol=1e-6)
    padded = keras.layers.IntegerLookup(vocabulary=vocab, output_mode="multi_hot", max_tokens=8,
                                        pad_to_max_tokens=True)
    assert padded(data).shape == (2, 8)


def test_string_lookup_vocabulary_adapt_invert_and_bytes():
    layer = keras.layers.StringLookup(vocabulary=["a", "b", "c", "d"])
    assert layer(np.array([["a", "c", "d"], ["d", "z", "b"]])).tolist() == [[1, 3, 4], [4, 0, 2]]
    assert layer(np.array([b"a", b"q"])).tolist() == [1, 0]
    assert layer([["a", "b"]]).tolist() == [[1, 2]]
    adapted = keras.layers.StringLookup()
    adapted.adapt(np.array([["a", "c", "d"], ["d", "z", "b"]]))
    assert adapted.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    inverse = keras.layers.StringLookup(vocabulary=["a", "b", "c", "d"], invert=True)
    assert inverse(np.array([[1, 3, 4], [4, 0, 2]])).tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]
    masked = keras.layers.StringLookup(vocabulary=["a", "b"], mask_token="")
    assert masked(np.array(["a", "", "x"])).tolist() == [2, 0, 1]


def test_string_lookup_adapt_tf_idf_matches_formula():
    layer = keras.layers.StringLookup(output_mode="tf_idf")
    layer.adapt(np.array([["a", "a"], ["a", "b"]]))
    assert layer.get_vocabulary() == ["[UNK]", "a", "b"]
    idf = np.log(1 + 2 / (1 + np.array([2.0, 1.0])))
    np.testing.assert_allclose(layer.idf_weights, np.concatenate([[idf.mean()], idf]).astype("float32"))
    np.testing.assert_allclose(layer(np.array([["a", "b"]])), [[0, idf[0], idf[1]]], rtol=1e-6)


def test_lookup_errors_and_config_round_trip():
    with pytest.raises(ValueError, match="repeated"):
        keras.layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="output_mode"):
        keras.layers.IntegerLookup(output_mode="hot")
    with pytest.raises(ValueError, match="invert"):
        keras.layers.IntegerLookup(vocabulary=[1], invert=True, output_mode="count")
    with pytest.raises(ValueError, match="num_oov_indices=0"):
        keras.layers.IntegerLookup(vocabulary=[1, 2], num_oov_indices=0)(np.array([3]))
    with pytest.raises(RuntimeError, match="vocabulary"):
        keras.layers.StringLookup(output_mode="multi_hot")(np.array(["a"]))
    with pytest.raises(TypeError, match="strings"):
        keras.layers.StringLookup(vocabulary=["a"])(np.array([1.5]))
    for layer in (keras.layers.IntegerLookup(vocabulary=[3, 4], mask_token=0, name="il"),
                  keras.layers.StringLookup(vocabulary=["x"], output_mode="count")):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()
        assert clone.get_vocabulary() == layer.get_vocabulary()


def test_lookups_write_an_empty_build_config_as_keras_does():
    # Keras builds them in __init__: a .keras file records `"build_config": {}`, called or not.
    import nanokeras as nk

    for layer, x in [(nk.layers.IntegerLookup(vocabulary=[1, 2, 3]), np.array([[1, 5]])),
                     (nk.layers.StringLookup(vocabulary=["a", "b"]), np.array([["a", "z"]]))]:
        assert layer.get_build_config() == {}
        layer(x)
        assert layer.get_build_config() == {}
        inputs = nk.Input((2,), dtype=str(x.dtype) if x.dtype.kind != "U" else "string")
        model = nk.Model(inputs, type(layer).from_config(layer.get_config())(inputs))
        entry = [l for l in model.get_config()["layers"] if l["class_name"] == type(layer).__name__][0]
        assert entry["build_config"] == {}


def test_tf_idf_weights_are_saved_with_the_model(tmp_path):
    # They are weights of the file ("idf_weights", as Keras writes them), not part of the config.
    import io
    import zipfile

    import h5py
    import nanokeras as nk

    texts = np.array(["the cat sat", "the dog ran far away", "a cat ran"])
    vectorizer = nk.layers.TextVectorization(output_mode="tf_idf", ngrams=2)
    vectorizer.adapt(texts)
    lookup = nk.layers.StringLookup(output_mode="tf_idf")
    lookup.adapt(np.array(["a", "b", "a", "c"]))
    for layer, x in [(vectorizer, np.array([["the cat ran"], ["dog unknown"]])), (lookup, np.array([["a"], ["z"]]))]:
        inputs = nk.Input((1,), dtype="string")
        model = nk.Model(inputs, layer(inputs))
        path = str(tmp_path / f"{layer.name}.keras")
        model.save(path)
        with zipfile.ZipFile(path) as archive, h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as f:
            group = {"TextVectorization": "text_vectorization", "StringLookup": "string_lookup"}[type(layer).__name__]
            assert f[f"layers/{group}/vars/idf_weights"].shape == (layer.vocabulary_size(),)
        loaded = nk.saving.load_model(path)
        np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("make, data, vocabulary_data", [
    (lambda: keras.layers.StringLookup(), np.array([["a"], ["b"]]), None),
    (lambda: keras.layers.IntegerLookup(), np.array([[3], [4]]), None),
    (lambda: keras.layers.StringLookup(invert=True), np.array([[1], [2]]), np.array(["a", "b"])),
    (lambda: keras.layers.StringLookup(max_tokens=5, pad_to_max_tokens=True, output_mode="one_hot"),
     np.array(["a", "b"]), None),
    (lambda: keras.layers.TextVectorization(), np.array(["a b"]), None),
])
def test_lookups_called_on_data_before_they_have_a_vocabulary_raise(make, data, vocabulary_data):
    # Keras fails there ("Table not initialized"); every id the OOV id would train on nothing.
    layer = make()
    with pytest.raises(RuntimeError, match="adapt"):
        layer(data)
    layer.adapt(data if vocabulary_data is None else vocabulary_data)
    assert np.asarray(layer(data)).shape[0] == len(data)


def test_lookups_before_adapt_still_build_models_and_load():
    lookup = keras.layers.StringLookup()
    inputs = keras.Input((1,), dtype="string")
    model = keras.Model(inputs, lookup(inputs))  # a symbolic call needs no vocabulary
    lookup.adapt(np.array([["b"], ["a"], ["b"]]))
    np.testing.assert_array_equal(model.predict(np.array([["b"], ["z"]]), verbose=0), [[1], [0]])
    clone = keras.layers.StringLookup.from_config(lookup.get_config())
    with pytest.raises(RuntimeError, match="no vocabulary"):
        clone(np.array([["b"]]))
    clone.set_vocabulary(lookup.get_vocabulary())
    np.testing.assert_array_equal(clone(np.array([["b"]])), [[1]])
