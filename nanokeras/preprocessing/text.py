"""Keras 2's `keras.preprocessing.text`: `Tokenizer` and the word-splitting functions.

Keras 3 removed this module in favour of the `TextVectorization` layer. Here it
works as in Keras 2 (same indices, same matrices), with a note on the Keras 3 way.

Example:
    >>> import warnings
    >>> from nanokeras.preprocessing.text import Tokenizer
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     tokenizer = Tokenizer(num_words=10, oov_token="<OOV>")
    >>> tokenizer.fit_on_texts(["The cat sat.", "The dog sat down!"])
    >>> tokenizer.word_index
    {'<OOV>': 1, 'the': 2, 'sat': 3, 'cat': 4, 'dog': 5, 'down': 6}
    >>> tokenizer.texts_to_sequences(["the bird sat"])
    [[2, 1, 3]]
"""

import collections
import hashlib
import json

import numpy as np

from nanokeras.utils import keras2_notes

# What `from keras.preprocessing.text import *` gave in Keras 2 (not numpy, json, ...).
__all__ = ["Tokenizer", "hashing_trick", "one_hot", "text_to_word_sequence", "tokenizer_from_json"]

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_MATRIX_MODES = ("binary", "count", "tfidf", "freq")


def _words(text, filters, lower, split):
    if lower:
        text = text.lower()
    text = text.translate(str.maketrans({character: split for character in filters}))
    return [word for word in text.split(split) if word]


def text_to_word_sequence(input_text, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """The words of `input_text`: lower-cased, `filters` characters removed, split on `split`."""
    keras2_notes.note("text_functions", used="`keras.preprocessing.text.text_to_word_sequence`")
    return _words(input_text, filters, lower, split)


def hashing_trick(text, n, hash_function=None, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None):
    """Each word of `text` as `hash(word) % (n - 1) + 1` (0 is never used).

    `hash_function`: None (Python's `hash`, which changes between processes unless
    `PYTHONHASHSEED` is set), `"md5"` (stable), or a function of a string.
    """
    keras2_notes.note("text_functions", used="`keras.preprocessing.text.hashing_trick`")
    return _hash_words(text, n, hash_function, filters, lower, split, analyzer)


def one_hot(input_text, n, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None):
    """Keras 2's `one_hot`: `hashing_trick` with Python's `hash` (word ids in `[1, n)`)."""
    keras2_notes.note("text_functions", used="`keras.preprocessing.text.one_hot`")
    return _hash_words(input_text, n, hash, filters, lower, split, analyzer)


def _hash_words(text, n, hash_function, filters, lower, split, analyzer):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"`n` (the hashing space) must be an int >= 2, got {n!r}.")
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        def hash_function(word):
            return int(hashlib.md5(word.encode()).hexdigest(), 16)
    elif not callable(hash_function):
        raise ValueError(f"`hash_function` must be None, 'md5' or a function, got {hash_function!r}.")
    words = _words(text, filters, lower, split) if analyzer is None else analyzer(text)
    return [hash_function(word) % (n - 1) + 1 for word in words]


class Tokenizer:
    """Turns texts into sequences of word indices (most frequent word first), as Keras 2 did.

    Args:
        num_words: keep only words with an index below `num_words` when converting
            texts (the index itself keeps every word).
        filters: characters removed from texts (punctuation, tabs, newlines).
        lower: lower-case texts first.
        split: the word separator.
        char_level: every character is a token.
        oov_token: if given, gets index 1 and stands for unknown words when converting.
        analyzer: a function `text -> list of tokens` used instead of splitting.
    """

    def __init__(self, num_words=None, filters=DEFAULT_FILTERS, lower=True, split=" ", char_level=False,
                 oov_token=None, analyzer=None, **kwargs):
        if "nb_words" in kwargs:  # Keras 1's name
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Tokenizer got unexpected keyword argument(s): {', '.join(sorted(kwargs))}.")
        if num_words is not None and (isinstance(num_words, bool) or not isinstance(num_words, (int, np.integer))
                                      or num_words < 0):
            raise ValueError(f"`num_words` must be a non-negative int or None, got {num_words!r}.")
        keras2_notes.note("tokenizer")
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs = collections.defaultdict(int)
        self.word_index = {}
        self.index_word = {}
        self.analyzer = analyzer

    def _tokens(self, text):
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        if not isinstance(text, str):
            raise TypeError(f"Tokenizer: texts must be strings (or lists of tokens), got {text!r}.")
        if self.analyzer is not None:
            return self.analyzer(text)
        return _words(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts):
        """Counts the words of `texts` (strings, or lists of tokens) and rebuilds the index.

        Indices start at 1 (with `oov_token`, that is its index), by decreasing count;
        words with equal counts keep the order in which they first appeared.
        """
        if isinstance(texts, str):
            raise TypeError("`texts` must be a list of strings, got one string: wrap it in a list.")
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for token in tokens:
                self.word_counts[token] = self.word_counts.get(token, 0) + 1
            for token in set(tokens):
                self.word_docs[token] += 1
        by_count = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)
        vocabulary = ([] if self.oov_token is None else [self.oov_token]) + [word for word, _ in by_count]
        self.word_index = {word: index for index, word in enumerate(vocabulary, start=1)}
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, count in list(self.word_docs.items()):
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences):
        """Counts, for `tfidf` matrices, in how many sequences each index occurs."""
        self.document_count += len(sequences)
        for sequence in sequences:
            for index in set(sequence):
                self.index_docs[index] += 1

    def _kept(self, index):
        return not (self.num_words and index >= self.num_words)

    def texts_to_sequences_generator(self, texts):
        """Yields each text as a list of word indices (see `texts_to_sequences`)."""
        oov_index = self.word_index.get(self.oov_token)
        for text in texts:
            sequence = []
            for token in self._tokens(text):
                index = self.word_index.get(token)
                if index is not None and self._kept(index):
                    sequence.append(index)
                elif self.oov_token is not None:
                    sequence.append(oov_index)
            yield sequence

    def texts_to_sequences(self, texts):
        """Each text as a list of word indices; unknown (or beyond `num_words`) words are
        dropped, or become the `oov_token`'s index."""
        return list(self.texts_to_sequences_generator(texts))

    def sequences_to_texts_generator(self, sequences):
        """Yields each sequence of indices as a text (see `sequences_to_texts`)."""
        oov_index = self.word_index.get(self.oov_token)
        for sequence in sequences:
            words = []
            for index in sequence:
                word = self.index_word.get(index)
                if word is not None and self._kept(index):
                    words.append(word)
                elif self.oov_token is not None:
                    words.append(self.index_word[oov_index])
            yield " ".join(words)

    def sequences_to_texts(self, sequences):
        """Each sequence of indices as words joined by spaces (the inverse of `texts_to_sequences`)."""
        return list(self.sequences_to_texts_generator(sequences))

    def texts_to_matrix(self, texts, mode="binary"):
        """A `(len(texts), num_words)` matrix: see `sequences_to_matrix`."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """A float64 matrix with one row per sequence and one column per word index.

        `mode`: `"binary"` (1 where the word occurs), `"count"`, `"freq"` (count divided
        by the sequence length) or `"tfidf"` (`(1 + log(count)) * log(1 + documents /
        (1 + documents containing the word))`). Columns: `num_words`, else the index size + 1.
        """
        if mode not in _MATRIX_MODES:
            raise ValueError(f"Unknown vectorization `mode` {mode!r}; expected one of {list(_MATRIX_MODES)}.")
        if self.num_words:
            columns = self.num_words
        elif self.word_index:
            columns = len(self.word_index) + 1
        else:
            raise ValueError("Specify a dimension (`num_words` argument), or fit on some text data first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        matrix = np.zeros((len(sequences), columns))
        for row, sequence in enumerate(sequences):
            if not len(sequence):
                continue
            counts = collections.Counter(index for index in sequence if index < columns)
            for index, count in counts.items():
                if mode == "count":
                    matrix[row, index] = count
                elif mode == "freq":
                    matrix[row, index] = count / len(sequence)
                elif mode == "binary":
                    matrix[row, index] = 1
                else:
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(index, 0)))
                    matrix[row, index] = (1 + np.log(count)) * idf
        return matrix

    def get_config(self):
        """The settings and the fitted counts (the counts as JSON strings, as Keras 2 wrote them)."""
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs):
        """The tokenizer as a JSON string (`json.dumps` keyword arguments allowed); see
        `tokenizer_from_json`."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string):
    """A `Tokenizer` from `Tokenizer.to_json()`'s output (Keras 2's format)."""
    keras2_notes.note("text_functions", used="`keras.preprocessing.text.tokenizer_from_json`")
    try:
        config = dict(json.loads(json_string)["config"])
        word_counts = json.loads(config.pop("word_counts"))
        word_docs = json.loads(config.pop("word_docs"))
        index_docs = {int(k): v for k, v in json.loads(config.pop("index_docs")).items()}
        index_word = {int(k): v for k, v in json.loads(config.pop("index_word")).items()}
        word_index = json.loads(config.pop("word_index"))
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise ValueError(f"Not a Tokenizer JSON string (as `Tokenizer.to_json()` writes): {error}") from None
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = collections.OrderedDict(word_counts)
    tokenizer.word_docs = collections.defaultdict(int, word_docs)
    tokenizer.index_docs = collections.defaultdict(int, index_docs)
    tokenizer.word_index = word_index
    tokenizer.index_word = index_word
    return tokenizer
