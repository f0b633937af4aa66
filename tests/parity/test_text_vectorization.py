"""`TextVectorization` against real Keras (which needs TensorFlow for it): same vocabulary, same ids.

Corpora with punctuation, non-ASCII letters, odd whitespace, empty strings and
frequency ties; every standardize/split mode, n-grams, vocabulary limits and
output modes; and `.keras` files with an adapted layer moving both ways.
"""

import numpy as np
import pytest

import nanokeras as nk

CORPORA = {
    "punctuation_and_ties": ["The cat sat. The dog sat!", "a cat, a DOG; a (bird)?", "it's-a test", ""],
    "unicode": ["Ça va? ÉCOLE école", "naïve café — déjà vu…", "日本語 テキスト 日本語", "emoji 🙂 🙂 ok"],
    "whitespace": ["tab\tseparated\nnew line", "no\u00a0break space", "  leading and trailing  ", "x\x0by\x0cz"],
    "empty_and_repeated": ["", "", "same same same", "same other"],
}

OPTIONS = [
    ("default", {}),
    ("lower", {"standardize": "lower"}),
    ("strip", {"standardize": "strip_punctuation"}),
    ("raw", {"standardize": None}),
    ("characters", {"split": "character"}),
    ("whole", {"split": None}),
    ("bigrams", {"ngrams": 2}),
    ("ngram_widths", {"ngrams": (1, 3)}),
    ("max_tokens", {"max_tokens": 6}),
    ("sequence_length", {"output_sequence_length": 4}),
    ("multi_hot", {"output_mode": "multi_hot"}),
    ("count_padded", {"output_mode": "count", "max_tokens": 12, "pad_to_max_tokens": True}),
    ("tf_idf", {"output_mode": "tf_idf"}),
]


def _real(keras, **kwargs):
    try:
        return keras.layers.TextVectorization(**kwargs)
    except ImportError as error:
        pytest.skip(f"PARITY SKIPPED: real Keras TextVectorization needs TensorFlow ({error}).")


@pytest.mark.parametrize("corpus", list(CORPORA))
@pytest.mark.parametrize("name,options", OPTIONS, ids=[o[0] for o in OPTIONS])
def test_same_vocabulary_and_outputs(keras, corpus, name, options):
    texts = CORPORA[corpus]
    theirs, ours = _real(keras, **options), nk.layers.TextVectorization(**options)
    theirs.adapt(texts)
    ours.adapt(texts)
    assert ours.get_vocabulary() == [str(t) for t in theirs.get_vocabulary()]
    queries = np.array(texts + ["unseen words here", "the cat"])
    if options.get("split", "whitespace") is None:
        queries = queries[:, None]
    np.testing.assert_allclose(np.asarray(ours(queries)), np.asarray(theirs(queries)), rtol=1e-6)
    if options.get("output_mode", "int") == "int":
        assert ours.compute_output_shape((None, 1)) == tuple(theirs.compute_output_shape((None, 1)))


def test_given_vocabulary_and_batched_adapt(keras):
    vocabulary = ["zebra", "apple", "mango"]
    theirs, ours = _real(keras, vocabulary=vocabulary), nk.layers.TextVectorization(vocabulary=vocabulary)
    texts = np.array(["Apple zebra kiwi", "MANGO"])
    np.testing.assert_array_equal(np.asarray(ours(texts)), np.asarray(theirs(texts)))
    assert ours.get_config()["vocabulary"] == theirs.get_config()["vocabulary"]
    batches = [np.array(CORPORA["unicode"][:2]), np.array(CORPORA["unicode"][2:])]
    theirs, ours = _real(keras, max_tokens=8), nk.layers.TextVectorization(max_tokens=8)
    theirs.adapt(iter(batches))
    ours.adapt(iter(batches))
    assert ours.get_vocabulary() == [str(t) for t in theirs.get_vocabulary()]


def test_keras_files_move_both_ways(keras, tmp_path):
    texts = CORPORA["punctuation_and_ties"]
    queries = np.array([["the cat sat"], ["a bird"]])
    for source, target in ((keras, nk), (nk, keras)):
        layer = _real(keras, max_tokens=15, output_sequence_length=5) if source is keras else \
            nk.layers.TextVectorization(max_tokens=15, output_sequence_length=5)
        layer.adapt(texts)
        inputs = source.Input((1,), dtype="string")
        outputs = source.layers.LSTM(2)(source.layers.Embedding(15, 3, mask_zero=True)(layer(inputs)))
        model = source.Model(inputs, outputs)
        path = tmp_path / f"from_{source.__name__}.keras"
        model.save(path)
        loaded = target.models.load_model(path)
        vectorizer = [l for l in loaded.layers if type(l).__name__ == "TextVectorization"][0]
        assert [str(t) for t in vectorizer.get_vocabulary()] == [str(t) for t in layer.get_vocabulary()]
        np.testing.assert_array_equal(np.asarray(vectorizer(queries)), np.asarray(layer(queries)))
        # (Keras on JAX cannot run a model on strings end to end: the layers after the vectorizer are compared.)
        for loaded_weight, weight in zip(loaded.get_weights(), model.get_weights()):
            np.testing.assert_array_equal(np.asarray(loaded_weight), np.asarray(weight))
