"""`keras.datasets.imdb`: 50,000 movie reviews as word-index sequences, labelled positive/negative.

Keras's `imdb.npz` stores the ragged sequences as numpy object arrays, that is as
pickles; nanokeras reads them as data, never unpickling (see `_object_arrays`),
so the file Keras downloaded works as is. The processing (`num_words`,
`skip_top`, `maxlen`, ...) is Keras's.
"""

import json

import numpy as np

from nanokeras.datasets._loading import (
    ORIGIN, fetch, index_words, limit_vocabulary, load_npz, object_array, remove_long_seq, unpad,
)

SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"

__all__ = ["get_word_index", "load_data"]  # its star import, as Keras's


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1,
              oov_char=2, index_from=3):
    """`(x_train, y_train), (x_test, y_test)`: object arrays of lists of word indices, int labels.

    Args:
        num_words: keep the `num_words` most frequent words (others become `oov_char`).
        skip_top: replace the `skip_top` most frequent words by `oov_char`.
        maxlen: drop sequences of `maxlen` words or more.
        seed: the shuffling seed.
        start_char / oov_char / index_from: the start marker, the out-of-vocabulary
            marker, and the offset added to every word index.

    Example:
        >>> # (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=10000)
    """
    path = fetch(path, ORIGIN + "imdb.npz", None if path != "imdb.npz" else SHA256)
    x_train, labels_train, x_test, labels_test = load_npz(path, ["x_train", "y_train", "x_test", "y_test"], "IMDB")
    x_train, x_test = unpad(x_train), unpad(x_test)
    rng = np.random.RandomState(seed)
    order = np.arange(len(x_train))
    rng.shuffle(order)
    x_train, labels_train = [x_train[i] for i in order], labels_train[order]
    order = np.arange(len(x_test))
    rng.shuffle(order)
    x_test, labels_test = [x_test[i] for i in order], labels_test[order]
    x_train = index_words(x_train, start_char, index_from)
    x_test = index_words(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = remove_long_seq(maxlen, x_train, labels_train)
        x_test, labels_test = remove_long_seq(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. Increase maxlen."
            )
    xs = limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([np.asarray(labels_train), np.asarray(labels_test)])
    split = len(x_train)
    return (object_array(xs[:split]), labels[:split]), (object_array(xs[split:]), labels[split:])


def get_word_index(path="imdb_word_index.json"):
    """The `{word: index}` dictionary of the IMDB data (JSON, downloaded when missing)."""
    path = fetch(path, ORIGIN + "imdb_word_index.json", "bfafd718b763782e994055a2d397834f")
    with open(path) as f:
        return json.load(f)
