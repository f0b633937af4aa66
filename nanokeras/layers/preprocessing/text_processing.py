"""The string steps of `TextVectorization`, in pure Python, with TensorFlow's exact rules.

Keras runs them with TensorFlow ops; these give the same tokens:

- `lower` is `tf.strings.lower`: ASCII letters only (`"ÉCOLE"` -> `"École"`);
- `strip_punctuation` removes the ASCII punctuation of Keras's regular expression
  ``[!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~']``; other characters stay;
- `whitespace` splits on runs of ASCII whitespace (space, tab, newline, CR, vertical
  tab, form feed), as `tf.strings.split`; a no-break space does not split;
- `character` splits into Unicode code points, as `tf.strings.unicode_split`;
- n-grams of each width in turn, joined by a space, as `tf.strings.ngrams`.

Example:
    >>> standardize_text("Hello, WORLD! Ça va?", "lower_and_strip_punctuation")
    'hello world Ça va'
    >>> split_text("a  b\\tc", "whitespace")
    ['a', 'b', 'c']
    >>> make_ngrams(["a", "b", "c"], (1, 2))
    ['a', 'b', 'c', 'a b', 'b c']
"""

import re
import string

import numpy as np

PUNCTUATION = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\''
_ASCII_WHITESPACE = re.compile(r"[ \t\n\r\x0b\x0c]+")

_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_STRIP = str.maketrans("", "", PUNCTUATION)
_LOWER_AND_STRIP = str.maketrans(string.ascii_uppercase, string.ascii_lowercase, PUNCTUATION)
_TABLES = {"lower": _LOWER, "strip_punctuation": _STRIP, "lower_and_strip_punctuation": _LOWER_AND_STRIP}

STANDARDIZE_MODES = tuple(_TABLES)
SPLIT_MODES = ("whitespace", "character")


# Characters Python's `str.split()` treats as whitespace but TensorFlow does not.
_OTHER_WHITESPACE = re.compile("[\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def standardize_text(text, mode):
    """`text` lowered and/or stripped of punctuation, as `mode` says (None leaves it as it is)."""
    return text if mode is None else text.translate(_TABLES[mode])


# The same rules on UTF-8 bytes: ASCII letters and punctuation are single bytes there, never part
# of a multi-byte character, so a byte table gives the same text, in one C call for a whole batch.
_BYTE_TABLES = {
    "lower": (bytes.maketrans(string.ascii_uppercase.encode(), string.ascii_lowercase.encode()), b""),
    "strip_punctuation": (None, PUNCTUATION.encode()),
    "lower_and_strip_punctuation": (bytes.maketrans(string.ascii_uppercase.encode(), string.ascii_lowercase.encode()),
                                    PUNCTUATION.encode()),
}
_SEPARATOR = "\x00"


def _joined_standardized(texts, mode):
    """The texts standardized, joined by NUL, as UTF-8 bytes (one C call per step); None if a text holds a NUL."""
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:
        return None
    data = joined.encode("utf-8", "surrogatepass")
    if mode is None:
        return data
    table, deleted = _BYTE_TABLES[mode]
    return data.translate(table, deleted)


def standardize_texts(texts, mode):
    """`standardize_text` of each text (a list)."""
    texts = list(texts)
    data = _joined_standardized(texts, mode) if mode is not None else None
    if data is None:
        return [standardize_text(text, mode) for text in texts]
    return data.decode("utf-8", "surrogatepass").split(_SEPARATOR)


def split_text(text, mode):
    """The tokens of `text`: by ASCII whitespace or into characters."""
    if mode == "whitespace":
        return [token for token in _ASCII_WHITESPACE.split(text) if token]
    return list(text)


def split_texts(texts, mode):
    """`split_text` of each text (a list of token lists), with `str.split` when it agrees with TensorFlow."""
    if mode != "whitespace":
        return [list(text) for text in texts]
    if not _OTHER_WHITESPACE.search(_SEPARATOR.join(texts)):
        return list(map(str.split, texts))  # no character on which Python and TensorFlow disagree
    return [split_text(text, mode) for text in texts]


# Bytes that end a word: TensorFlow's whitespace, and the NUL that joins texts.
_BREAKS = np.zeros(256, dtype=bool)
_BREAKS[[0, 9, 10, 11, 12, 13, 32]] = True


def _has_other_whitespace(data):
    """True when the UTF-8 `data` holds a character that `str.split` takes for whitespace and TensorFlow not."""
    if data.isascii():
        return any(bytes([c]) in data for c in (0x1C, 0x1D, 0x1E, 0x1F))
    return bool(_OTHER_WHITESPACE.search(data.decode("utf-8", "surrogatepass")))


def words_of_texts(texts, mode):
    """`(tokens, lengths)`: every text standardized by `mode` and split on whitespace, as ONE flat
    list of tokens (UTF-8 bytes) and the number of tokens of each text; None when a text needs
    the slow path.

    The texts are joined by NUL and handled whole: one byte translation, one split, and the
    words of each text counted from where words start in the bytes (whitespace is ASCII, so
    it is one byte in UTF-8 and never part of another character).
    """
    texts = list(texts)
    data = _joined_standardized(texts, mode)
    if data is None or _has_other_whitespace(data):
        return None
    codes = np.frombuffer(data, dtype=np.uint8)
    breaks = _BREAKS[codes]
    starts = ~breaks
    starts[1:] &= breaks[:-1]  # a word starts where a non-break follows a break (or at the beginning)
    words_before = np.searchsorted(np.flatnonzero(starts), np.flatnonzero(codes == 0))
    lengths = np.diff(np.concatenate([[0], words_before, [np.count_nonzero(starts)]]))
    # Tokens stay UTF-8 bytes: only the distinct ones ever need decoding (see `TextVectorization`).
    return data.replace(b"\x00", b" ").split(), lengths


def make_ngrams(tokens, widths):
    """Every n-gram of each width in `widths` (width by width, in order), words joined by a space."""
    out = []
    for width in widths:
        if width == 1:
            out.extend(tokens)
        else:
            out.extend(" ".join(tokens[i:i + width]) for i in range(len(tokens) - width + 1))
    return out
