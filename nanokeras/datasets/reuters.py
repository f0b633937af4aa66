"""`keras.datasets.reuters`: 11,228 newswires as word-index sequences, 46 topics.

Like `imdb`, Keras's `reuters.npz` holds object arrays (pickles), which nanokeras
reads as data without unpickling; rectangular int arrays padded with -1 work too.
"""

import json

import numpy as np

from nanokeras.datasets._loading import (
    ORIGIN, fetch, index_words, limit_vocabulary, load_npz, object_array, remove_long_seq, unpad,
)

SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"

LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee",
    "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx",
    "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock",
    "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
    "dlr", "gas", "silver", "wpi", "hog", "lead",
)

__all__ = ["get_label_names", "get_word_index", "load_data"]  # its star import, as Keras's


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113,
              start_char=1, oov_char=2, index_from=3):
    """`(x_train, y_train), (x_test, y_test)`: object arrays of word-index lists, int topic labels.

    Arguments as `imdb.load_data`, plus `test_split` (the test fraction after shuffling).

    Example:
        >>> # (x_train, y_train), _ = keras.datasets.reuters.load_data(num_words=10000)
    """
    path = fetch(path, ORIGIN + "reuters.npz", None if path != "reuters.npz" else SHA256)
    xs, labels = load_npz(path, ["x", "y"], "Reuters")
    xs = unpad(xs)
    order = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(order)
    xs, labels = [xs[i] for i in order], np.asarray(labels)[order]
    xs = index_words(xs, start_char, index_from)
    if maxlen:
        xs, labels = remove_long_seq(maxlen, xs, labels)
    xs = limit_vocabulary(xs, num_words, skip_top, oov_char)
    split = int(len(xs) * (1 - test_split))
    return ((object_array(xs[:split]), np.array(labels[:split])),
            (object_array(xs[split:]), np.array(labels[split:])))


def get_word_index(path="reuters_word_index.json"):
    """The `{word: index}` dictionary of the Reuters data (JSON, downloaded when missing)."""
    path = fetch(path, ORIGIN + "reuters_word_index.json", "4d44cc38712099c9e383dc6e5f11a921")
    with open(path) as f:
        return json.load(f)


def get_label_names():
    """The 46 topic names, indexed like the labels."""
    return LABEL_NAMES
