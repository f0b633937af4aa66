"""get_vocabulary lists special tokens as Python values and the others as numpy scalars, as Keras."""

import numpy as np

import nanokeras as keras


def test_string_lookup_vocabulary_entries_are_numpy_strings():
    layer = keras.layers.StringLookup()
    layer.adapt(np.array(["a", "b", "b"]))
    vocabulary = layer.get_vocabulary()
    assert vocabulary == ["[UNK]", "b", "a"]
    assert type(vocabulary[0]) is str and all(type(t) is np.str_ for t in vocabulary[1:])
    assert repr(layer.get_vocabulary(include_special_tokens=False)) == "[np.str_('b'), np.str_('a')]"


def test_integer_lookup_vocabulary_entries_are_numpy_int64():
    layer = keras.layers.IntegerLookup(vocabulary=[3, 4])
    vocabulary = layer.get_vocabulary()
    assert vocabulary == [-1, 3, 4]
    assert type(vocabulary[0]) is int and all(type(t) is np.int64 for t in vocabulary[1:])


def test_mask_token_stays_python():
    layer = keras.layers.StringLookup(vocabulary=["x"], mask_token="")
    assert layer.get_vocabulary() == ["", "[UNK]", "x"]
    assert type(layer.get_vocabulary()[0]) is str
