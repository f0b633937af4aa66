"""`TextVectorization` without TensorFlow: TensorFlow's string rules, Keras's vocabulary order and outputs."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from nanokeras.utils.batched_dataset import BatchedDataset

CORPUS = ["The cat sat on the mat.", "The dog ate my homework!", "A cat, a dog; a bird?", ""]


def test_vocabulary_order_frequency_then_larger_token_first():
    layer = layers.TextVectorization()
    layer.adapt(CORPUS)
    assert layer.get_vocabulary() == ["", "[UNK]", "the", "a", "dog", "cat", "sat", "on", "my", "mat",
                                      "homework", "bird", "ate"]
    assert layer.vocabulary_size() == 13
    assert layer.get_vocabulary(include_special_tokens=False)[0] == "the"


def test_int_output_pads_to_the_batch_longest_or_to_the_given_length():
    layer = layers.TextVectorization()
    layer.adapt(CORPUS)
    ids = layer(np.array(["the cat", "a zebra ate the cat", ""]))
    assert ids.dtype == np.int64
    np.testing.assert_array_equal(ids, [[2, 5, 0, 0, 0], [3, 1, 12, 2, 5], [0, 0, 0, 0, 0]])
    fixed = layers.TextVectorization(output_sequence_length=3, vocabulary=["the", "cat"])
    np.testing.assert_array_equal(fixed(np.array([["the cat the cat"], ["cat"]])), [[2, 3, 2], [3, 0, 0]])
    np.testing.assert_array_equal(fixed("the dog"), [2, 1, 0])
    assert layers.TextVectorization(vocabulary=["a"])(np.array(["", ""])).shape == (2, 0)


def test_standardize_modes_follow_tensorflow_ascii_rules():
    def tokens(standardize):
        layer = layers.TextVectorization(standardize=standardize, split="whitespace")
        layer.adapt(["ÉCOLE École, Ça-va! It's"])
        return set(layer.get_vocabulary()[2:])

    assert tokens("lower_and_strip_punctuation") == {"École", "Çava", "its"}
    assert tokens("lower") == {"École", "École,", "Ça-va!", "it's"}
    assert tokens("strip_punctuation") == {"ÉCOLE", "École", "Çava", "Its"}
    assert tokens(None) == {"ÉCOLE", "École,", "Ça-va!", "It's"}
    assert tokens(lambda texts: np.char.upper(texts)) == {"ÉCOLE", "ÉCOLE,", "ÇA-VA!", "IT'S"}


def test_split_modes_and_ngrams():
    whitespace = layers.TextVectorization(standardize=None)
    whitespace.adapt(["a\u00a0b c\td\ne f\x1cg"])  # no-break space and \x1c do not split, as TensorFlow
    assert set(whitespace.get_vocabulary()[2:]) == {"a\u00a0b", "c", "d", "e", "f\x1cg"}
    characters = layers.TextVectorization(split="character", standardize=None)
    characters.adapt(["héllo 🙂"])
    assert set(characters.get_vocabulary()[2:]) == set("héllo 🙂")
    whole = layers.TextVectorization(split=None)
    whole.adapt(["b a", "a b", "b a"])
    assert whole.get_vocabulary() == ["", "[UNK]", "b a", "a b"]
    np.testing.assert_array_equal(whole(np.array([["b a"], ["x"]])), [[2], [1]])
    ngrams = layers.TextVectorization(ngrams=2)
    ngrams.adapt(["a b c"])
    assert set(ngrams.get_vocabulary()[2:]) == {"a", "b", "c", "a b", "b c"}
    custom = layers.TextVectorization(split=lambda texts: [t.split("-") for t in texts], standardize=None)
    custom.adapt(["x-y", "y-z"])
    assert custom.get_vocabulary()[2] == "y"


def test_max_tokens_and_vector_output_modes():
    layer = layers.TextVectorization(max_tokens=5, output_mode="multi_hot")
    layer.adapt(CORPUS)
    assert layer.get_vocabulary() == ["[UNK]", "the", "a", "dog", "cat"]
    np.testing.assert_array_equal(layer(np.array(["the cat ate the bird", ""])),
                                  [[1, 1, 0, 0, 1], [0, 0, 0, 0, 0]])
    count = layers.TextVectorization(output_mode="count", vocabulary=["the", "cat"])
    np.testing.assert_array_equal(count(np.array(["the cat the zebra"])), [[1, 2, 1]])
    padded = layers.TextVectorization(max_tokens=8, output_mode="count", pad_to_max_tokens=True)
    padded.adapt(CORPUS)
    assert padded(np.array(["a a"])).shape == (1, 8)
    tf_idf = layers.TextVectorization(output_mode="tf_idf")
    tf_idf.adapt(["a b", "a c", "a"])
    assert tf_idf.get_vocabulary() == ["[UNK]", "a", "c", "b"]
    idf_a, idf_c = np.log(1 + 3 / (1 + 3)), np.log(1 + 3 / (1 + 1))
    np.testing.assert_allclose(tf_idf(np.array(["a a c"])), [[0.0, 2 * idf_a, idf_c, 0.0]], rtol=1e-6)
    with pytest.raises(RuntimeError, match="set the vocabulary first"):
        layers.TextVectorization(output_mode="count")(np.array(["a"]))


def test_adapt_takes_arrays_lists_batches_and_datasets():
    expected = layers.TextVectorization()
    expected.adapt(CORPUS)
    for data in (np.array(CORPUS), np.array(CORPUS)[:, None], CORPUS, iter([CORPUS[:2], CORPUS[2:]]),
                 (batch for batch in [np.array(CORPUS[:3]), np.array(CORPUS[3:])]),
                 BatchedDataset.from_arrays(np.array(CORPUS), batch_size=3)):
        layer = layers.TextVectorization()
        layer.adapt(data)
        assert layer.get_vocabulary() == expected.get_vocabulary()
    layer = layers.TextVectorization()
    layer.adapt(iter([CORPUS[:2], CORPUS[2:]]), steps=1)
    assert "bird" not in layer.get_vocabulary()
    with pytest.raises(ValueError, match=r"tuples .*map\(lambda x, y: x\)"):
        layers.TextVectorization().adapt(BatchedDataset.from_arrays((np.array(CORPUS), np.zeros(4)), batch_size=2))


def test_bad_inputs_are_refused_with_clear_errors():
    layer = layers.TextVectorization(vocabulary=["a"])
    with pytest.raises(TypeError, match="expects strings.*Embedding"):
        layer(np.array([1, 2]))
    with pytest.raises(TypeError, match="expects strings"):
        layer(np.array(["a", 3], dtype=object))
    with pytest.raises(TypeError, match="expects strings"):
        layers.TextVectorization().adapt([[1.0, 2.0]])
    with pytest.raises(ValueError, match="last shape dimension must be 1"):
        layer(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="cannot adapt"):
        layer.adapt(["a b"])
    for kwargs, match in (({"standardize": "upper"}, "standardize"), ({"split": "comma"}, "split"),
                          ({"output_mode": "bag"}, "output_mode"), ({"ngrams": "2"}, "ngrams"),
                          ({"output_mode": "count", "output_sequence_length": 3}, "output_sequence_length"),
                          ({"sparse": True}, "sparse"), ({"ragged": True}, "ragged")):
        with pytest.raises(ValueError, match=match):
            layers.TextVectorization(**kwargs)


def test_set_vocabulary_from_list_and_file_and_bytes_inputs(tmp_path):
    layer = layers.TextVectorization()
    layer.set_vocabulary(["hello", "world"])
    np.testing.assert_array_equal(layer(np.array([b"hello there world"], dtype=object)), [[2, 1, 3]])
    path = tmp_path / "vocab.txt"
    path.write_text("\n".join(["", "[UNK]", "hi", "there"]), encoding="utf-8")
    layer.set_vocabulary(str(path))
    assert layer.get_vocabulary() == ["", "[UNK]", "hi", "there"]
    np.testing.assert_array_equal(layer(np.array(["HI there"], dtype="S")), [[2, 3]])
    tf_idf = layers.TextVectorization(output_mode="tf_idf")
    with pytest.raises(ValueError, match="idf_weights"):
        tf_idf.set_vocabulary(["a"])
    tf_idf.set_vocabulary(["a", "b"], idf_weights=[0.5, 0.25])
    np.testing.assert_allclose(tf_idf(np.array(["a a b"])), [[0.0, 1.0, 0.25]])


def test_config_round_trip_and_model_save_load(tmp_path):
    layer = layers.TextVectorization(max_tokens=20, ngrams=(1, 2), output_sequence_length=6, name="tv")
    layer.adapt(CORPUS)
    config = layer.get_config()
    assert config["ngrams"] == (1, 2) and config["vocabulary"] is None and config["vocabulary_size"] == 20
    inputs = keras.Input((1,), dtype="string")
    ids = layer(inputs)
    outputs = layers.LSTM(2)(layers.Embedding(20, 3, mask_zero=True)(ids))
    model = keras.Model(inputs, outputs)
    texts = np.array([["the cat sat"], ["a dog"]])
    path = tmp_path / "text.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.layers[1].get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(loaded(texts), model(texts))
    np.testing.assert_array_equal(loaded.predict(np.array(["the cat sat", "a dog"]), verbose=0), model(texts))
    given = layers.TextVectorization(vocabulary=["x", "y"], output_mode="multi_hot")
    assert layers.deserialize(layers.serialize(given)).get_vocabulary() == given.get_vocabulary()


def test_string_lookup_adapted_vocabulary_is_saved_as_an_asset(tmp_path):
    lookup = layers.StringLookup()
    lookup.adapt(np.array([["b", "a", "b"]]))
    model = keras.Sequential([keras.Input((3,), dtype="string"), lookup])
    model.save(tmp_path / "lookup.keras")
    loaded = keras.models.load_model(tmp_path / "lookup.keras")
    assert loaded.layers[0].get_vocabulary() == ["[UNK]", "b", "a"]
    integers = layers.IntegerLookup()
    integers.adapt(np.array([[7, 7, 3]]))
    model = keras.Sequential([keras.Input((3,), dtype="int64"), integers])
    model.save(tmp_path / "ints.keras")
    assert keras.models.load_model(tmp_path / "ints.keras").layers[0].get_vocabulary() == [-1, 7, 3]


def test_fast_enough_for_a_large_corpus():
    import time

    rng = np.random.default_rng(0)
    words = np.array([f"w{i}" for i in range(2000)])
    texts = [" ".join(rng.choice(words, size=8)) for _ in range(20000)]
    layer = layers.TextVectorization(max_tokens=1000, output_sequence_length=10)
    start = time.perf_counter()
    layer.adapt(texts)
    layer(np.array(texts))
    assert time.perf_counter() - start < 10  # typically well under 1 s on a laptop
