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

PUNCTUATION = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\''
_ASCII_WHITESPACE = re.compile(r"[ \t\n\r\x0b\x0c]+")

_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_STRIP = str.maketrans("", "", PUNCTUATION)
_LOWER_AND_STRIP = str.maketrans(string.ascii_uppercase, string.ascii_lowercase, PUNCTUATION)
_TABLES = {"lower": _LOWER, "strip_punctuation": _STRIP, "lower_and_strip_punctuation": _LOWER_AND_STRIP}

STANDARDIZE_MODES = tuple(_TABLES)
SPLIT_MODES = ("whitespace", "character")


def standardize_text(text, mode):
    """`text` lowered and/or stripped of punctuation, as `mode` says (None leaves it as it is)."""
    return text if mode is None else text.translate(_TABLES[mode])


def split_text(text, mode):
    """The tokens of `text`: by ASCII whitespace or into characters."""
    if mode == "whitespace":
        return [token for token in _ASCII_WHITESPACE.split(text) if token]
    return list(text)


def make_ngrams(tokens, widths):
    """Every n-gram of each width in `widths` (width by width, in order), words joined by a space."""
    out = []
    for width in widths:
        if width == 1:
            out.extend(tokens)
        else:
            out.extend(" ".join(tokens[i:i + width]) for i in range(len(tokens) - width + 1))
    return out
