"""Keras 2's Tokenizer and text functions, against values worked out by hand."""

import json

import numpy as np
import pytest

from nanokeras.preprocessing import text
from tests.utils.keras2_helpers import fresh_notes, recorded_notes  # noqa: F401

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "Dog and cat, cat and dog."]


def fitted(**kwargs):
    with recorded_notes():
        tokenizer = text.Tokenizer(**kwargs)
    tokenizer.fit_on_texts(TEXTS)
    return tokenizer


def test_index_by_decreasing_count_ties_in_first_seen_order():
    tokenizer = fitted()
    # counts: the 3, cat 3, dog 3, and 2; sat/on/mat/ate/my/homework 1
    assert list(tokenizer.word_index) == ["the", "cat", "dog", "and", "sat", "on", "mat", "ate", "my", "homework"]
    assert tokenizer.word_index["the"] == 1 and tokenizer.index_word[1] == "the"
    assert tokenizer.word_counts["cat"] == 3 and tokenizer.word_docs["cat"] == 2
    assert tokenizer.document_count == 3


def test_num_words_and_oov_token():
    tokenizer = fitted(num_words=4, oov_token="<OOV>")
    assert tokenizer.word_index["<OOV>"] == 1 and tokenizer.word_index["the"] == 2
    # kept: indices < 4 (the=2, cat=3); others become the OOV index
    assert tokenizer.texts_to_sequences(["the cat and the zebra"]) == [[2, 3, 1, 2, 1]]
    assert tokenizer.sequences_to_texts([[2, 3, 5, 99]]) == ["the cat <OOV> <OOV>"]
    plain = fitted(num_words=3)
    assert plain.texts_to_sequences(["the cat dog zebra"]) == [[1, 2]]


def test_char_level_filters_lower_and_split():
    chars = fitted(char_level=True)
    assert chars.texts_to_sequences(["tt"]) == [[chars.word_index["t"]] * 2]
    raw = fitted(lower=False, filters="")
    assert "The" in raw.word_index and "mat." in raw.word_index
    commas = text.Tokenizer(split=",")
    commas.fit_on_texts(["a b,c"])
    assert commas.word_index == {"a b": 1, "c": 2}


def test_texts_to_matrix_modes():
    tokenizer = fitted()
    [row] = tokenizer.texts_to_matrix(["cat cat dog"], mode="count")
    assert row.shape == (11,) and row[2] == 2 and row[3] == 1 and row.sum() == 3
    [row] = tokenizer.texts_to_matrix(["cat cat dog"], mode="freq")
    np.testing.assert_allclose(row[[2, 3]], [2 / 3, 1 / 3])
    [row] = tokenizer.texts_to_matrix(["cat cat dog"], mode="binary")
    assert row[2] == 1 and row[3] == 1
    [row] = tokenizer.texts_to_matrix(["cat cat"], mode="tfidf")
    np.testing.assert_allclose(row[2], (1 + np.log(2)) * np.log(1 + 3 / (1 + 2)))
    with pytest.raises(ValueError, match="vectorization `mode`"):
        tokenizer.texts_to_matrix(["cat"], mode="bm25")
    with recorded_notes():
        with pytest.raises(ValueError, match="fit on some text"):
            text.Tokenizer().texts_to_matrix(["cat"])


def test_json_round_trip_and_keras2_format():
    tokenizer = fitted(num_words=5, oov_token="?")
    payload = json.loads(tokenizer.to_json())
    assert payload["class_name"] == "Tokenizer" and isinstance(payload["config"]["word_index"], str)
    with recorded_notes():
        restored = text.tokenizer_from_json(tokenizer.to_json())
    assert restored.word_index == tokenizer.word_index and restored.index_word == tokenizer.index_word
    assert restored.texts_to_sequences(TEXTS) == tokenizer.texts_to_sequences(TEXTS)
    with pytest.raises(ValueError, match="Not a Tokenizer JSON"):
        text.tokenizer_from_json('{"config": {}}')


def test_word_functions():
    with recorded_notes():
        assert text.text_to_word_sequence("Hello, World!  again") == ["hello", "world", "again"]
        ids = text.hashing_trick("a b a", 10, hash_function="md5")
        assert ids[0] == ids[2] and all(1 <= i < 10 for i in ids)
        assert text.hashing_trick("a", 5, hash_function=len) == [len("a") % 4 + 1]
        assert all(1 <= i < 7 for i in text.one_hot("some words here", 7))
        with pytest.raises(ValueError, match="`n`"):
            text.one_hot("x", 1)


def test_bad_arguments():
    with recorded_notes():
        with pytest.raises(TypeError, match="unexpected keyword"):
            text.Tokenizer(max_words=3)
        with pytest.raises(ValueError, match="num_words"):
            text.Tokenizer(num_words=-1)
        tokenizer = text.Tokenizer()
    with pytest.raises(TypeError, match="list of strings"):
        tokenizer.fit_on_texts("one string")
    with pytest.raises(TypeError, match="must be strings"):
        tokenizer.fit_on_texts([3])


def test_tokenizer_is_noted_once(fresh_notes):
    with recorded_notes() as notes:
        text.Tokenizer()
        text.Tokenizer()
    assert len(notes) == 1 and "TextVectorization" in notes[0]
