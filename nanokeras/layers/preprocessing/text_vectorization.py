"""`TextVectorization`: strings to token ids (or bag-of-words vectors), without TensorFlow.

Keras's layer needs TensorFlow for its string ops; this one is pure Python and
numpy with the same rules (`text_processing`), the same vocabulary order (by
frequency, ties broken by the token, larger first; `''` and `[UNK]` first) and so
the same ids. The vocabulary lives in an inner `StringLookup` (`_lookup_layer`),
and is saved in `.keras` files where Keras puts it (`assets/.../vocabulary.txt`).
"""

import collections
import itertools
import numbers

import numpy as np

from nanokeras.layers.layer import Layer
from nanokeras.layers.preprocessing import text_processing
from nanokeras.layers.preprocessing.string_lookup import StringLookup
from nanokeras.ops.tensor import value_of
from nanokeras.utils import keras2_notes

_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def _check_mode(argument, value, allowed):
    if value is None or callable(value):
        return value
    if value not in allowed:
        raise ValueError(
            f"TextVectorization: `{argument}` must be one of {', '.join(repr(a) for a in allowed)}, None, or a "
            f"callable. Received: {argument}={value!r}"
        )
    return value


class TextVectorization(Layer):
    """Turns strings into sequences of token ids (or multi-hot, count or tf-idf vectors).

    Each string is standardized (lowercased, punctuation removed), split into
    tokens (words or characters), optionally turned into n-grams, then each token
    is looked up in a vocabulary learned by `adapt(texts)` or given.

    Args:
        max_tokens: the vocabulary's size limit, including `''` (padding) and `[UNK]`.
        standardize: `"lower_and_strip_punctuation"` (default), `"lower"`,
            `"strip_punctuation"`, None, or a function of a numpy array of strings.
        split: `"whitespace"` (default), `"character"`, None (each string is one token),
            or a function mapping a numpy array of strings to lists of tokens.
        ngrams: None, an int n (all n-grams up to n), or a tuple of widths.
        output_mode: `"int"` (ids, padding 0, unknown 1), `"multi_hot"`, `"count"`,
            `"tf_idf"` (one vector of vocabulary size per string) or `"one_hot"`.
        output_sequence_length: with `"int"`, pad or cut every sequence to this length
            (else sequences are padded to the longest of the batch).
        pad_to_max_tokens: with the vector modes, make vectors `max_tokens` long.
        vocabulary: a list of tokens or the path of a text file (one token per line).
        idf_weights: with `"tf_idf"` and a given vocabulary, the weight of each token.
        encoding: the text encoding of byte strings ("utf-8").

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.TextVectorization(output_sequence_length=4)
        >>> layer.adapt(["The cat sat.", "The dog ran!", "A cat"])
        >>> [str(token) for token in layer.get_vocabulary()]  # (learned tokens are np.str_, as in Keras)
        ['', '[UNK]', 'the', 'cat', 'sat', 'ran', 'dog', 'a']
        >>> layer(np.array(["the cat ran away"])).tolist()
        [[2, 3, 5, 1]]
    """
    # As in Keras: a model holding it resolves `jit_compile="auto"` to False.
    supports_jit = False

    _extra_keywords = ("has_input_vocabulary", "vocabulary_size")  # in Keras's configs, read from **kwargs

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace", ngrams=None,
                 output_mode="int", output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None, **kwargs):
        if sparse:
            raise ValueError("TextVectorization: `sparse=True` needs TensorFlow sparse tensors; nanokeras has dense "
                             "arrays only.")
        if ragged:
            raise ValueError("TextVectorization: `ragged=True` needs TensorFlow ragged tensors; nanokeras pads the "
                             "sequences instead (the default).")
        _check_mode("standardize", standardize, text_processing.STANDARDIZE_MODES)
        _check_mode("split", split, text_processing.SPLIT_MODES)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        if output_mode not in _OUTPUT_MODES:
            raise ValueError(
                f"TextVectorization: `output_mode` must be one of {', '.join(repr(m) for m in _OUTPUT_MODES)}. "
                f"Received: output_mode={output_mode!r}"
            )
        if not (ngrams is None or (isinstance(ngrams, int) and not isinstance(ngrams, bool) and ngrams > 0)
                or (isinstance(ngrams, (tuple, list)) and ngrams and all(isinstance(n, int) and n > 0 for n in ngrams))):
            raise ValueError(f"`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams={ngrams!r}")
        if output_mode == "int" and not (output_sequence_length is None or (
                isinstance(output_sequence_length, numbers.Integral) and not isinstance(output_sequence_length, bool)
                and output_sequence_length >= 0)):
            raise ValueError(
                "`output_sequence_length` must be either None or an integer when `output_mode` is 'int'. "
                f"Received: output_sequence_length={output_sequence_length!r}"
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                "`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                f"Received output_sequence_length={output_sequence_length}."
            )
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        kwargs.pop("dtype", None)
        if any(key in kwargs for key in ("input_shape", "input_dim", "batch_input_shape")):
            # Keras 3 makes a float32 input for it and then fails on the strings; here the input is text.
            keras2_notes.note("text_vectorization_input_shape")
        super().__init__(name=name, **kwargs)
        self._max_tokens = max_tokens
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = tuple(ngrams) if isinstance(ngrams, list) else ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else self._ngrams_arg
        self._output_mode = output_mode
        self._output_sequence_length = None if output_sequence_length is None else int(output_sequence_length)
        self._encoding = encoding
        self._has_input_vocabulary = has_input_vocabulary
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights, pad_to_max_tokens=pad_to_max_tokens,
            mask_token="", output_mode=output_mode, has_input_vocabulary=has_input_vocabulary, encoding=encoding,
            vocabulary_size=vocabulary_size,
        )
        self._ids = None  # {token: id}, rebuilt when the vocabulary changes
        self.built = True

    _keeps_integer_inputs = True
    _takes_string_inputs = True  # a model whose first layer it is gets arrays of strings in fit/predict
    _strings_in_keras3 = True  # as in Keras 3 (TensorFlow backend): not noted as a Keras 2 idiom

    # ---------------------------------------------------------- vocabulary
    def get_vocabulary(self, include_special_tokens=True):
        """The tokens by id: `''` (padding) and `'[UNK]'` first (`str`), then by frequency
        (numpy strings, as Keras gives them)."""
        lookup = self._lookup_layer
        vocabulary = lookup.get_vocabulary(include_special_tokens)
        start = lookup._token_start_index() if include_special_tokens else 0
        return vocabulary[:start] + [np.str_(token) for token in vocabulary[start:]]

    def vocabulary_size(self):
        """The number of ids, padding and unknown included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (a list of tokens or a file path), and the tf-idf weights if that is the mode."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)
        self._ids = None

    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary from `data`: an array or list of strings, or batches of them.

        Tokens are ranked by how often they occur (ties: the larger token first) and
        cut to `max_tokens`; with `"tf_idf"`, document frequencies are learned too.
        """
        if self._has_input_vocabulary:
            raise ValueError(f"TextVectorization {self.name!r}: cannot adapt a layer given a `vocabulary`.")
        counts, doc_counts, documents = collections.Counter(), collections.Counter(), 0
        tf_idf = self._output_mode == "tf_idf"
        data = value_of(data)
        batches = [data] if isinstance(data, (list, tuple, np.ndarray, str, bytes)) else data
        for i, batch in enumerate(batches):
            if steps is not None and i >= steps:
                break
            if batches is data and isinstance(batch, tuple):
                raise ValueError(
                    "TextVectorization.adapt: the data yields tuples (e.g. `(text, label)` batches); adapt on the "
                    "texts only, e.g. `layer.adapt(dataset.map(lambda x, y: x))`."
                )
            tokens, lengths = self._tokens(value_of(batch))
            counts.update(_as_text(collections.Counter(tokens)))
            if tf_idf:
                ends = np.cumsum(lengths)
                doc_counts.update(_as_text(collections.Counter(itertools.chain.from_iterable(
                    set(tokens[end - length:end]) for end, length in zip(ends.tolist(), lengths.tolist())))))
                documents += len(lengths)
        self._lookup_layer._set_counted_vocabulary(counts, doc_counts, documents)
        self._ids = None

    # -------------------------------------------------------------- text
    def _strings(self, inputs):
        """`inputs` as a numpy array of Python strings, or a TypeError naming what was given."""
        array = np.asarray(inputs) if not isinstance(inputs, np.ndarray) else inputs
        kind = array.dtype.kind
        if kind == "S":
            array = np.char.decode(array, self._encoding)
        elif kind == "O":
            flat = [t.decode(self._encoding) if isinstance(t, bytes) else t for t in array.reshape(-1).tolist()]
            bad = next((t for t in flat if not isinstance(t, str)), None)
            if bad is not None:
                raise TypeError(f"TextVectorization {self.name!r} expects strings, got {bad!r} "
                                f"({type(bad).__name__}). Convert the data to text first.")
            array = np.array(flat, dtype=str).reshape(array.shape) if flat else np.zeros(array.shape, dtype=str)
        elif kind != "U":
            raise TypeError(
                f"TextVectorization {self.name!r} expects strings (a list or array of text), got an array of "
                f"dtype {array.dtype}. Integer token ids need no vectorizing: pass them to an `Embedding` directly."
            )
        return array

    def _texts(self, inputs):
        """The strings of a (batch,) or (batch, 1) input, as a flat numpy array of Python strings."""
        array = self._strings(inputs)
        if self._split is not None and array.ndim > 1:
            if array.shape[-1] != 1:
                raise ValueError(
                    "When using `TextVectorization` to tokenize strings, the input rank must be 1 or the last "
                    f"shape dimension must be 1. Received: inputs.shape={array.shape} with rank={array.ndim}"
                )
            array = array[..., 0]
        return array.reshape(-1)

    def _tokens(self, inputs):
        """`(tokens, lengths)`: the tokens of all strings in one flat list, and how many each string has."""
        texts = self._texts(inputs)
        if self._split == "whitespace" and self._ngrams is None and not callable(self._standardize):
            fast = text_processing.words_of_texts(texts.tolist(), self._standardize)
            if fast is not None:
                return fast
        token_lists = self._token_lists(texts)
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        return list(itertools.chain.from_iterable(token_lists)), lengths

    def _token_lists(self, texts):
        """One list of tokens per string."""
        if callable(self._standardize):
            standardized = np.asarray(self._standardize(texts), dtype=str).reshape(-1).tolist()
        else:
            standardized = text_processing.standardize_texts(texts.tolist(), self._standardize)
        if self._split is None:
            token_lists = [[t] for t in standardized]
        elif callable(self._split):
            token_lists = [list(map(str, tokens)) for tokens in self._split(np.asarray(standardized, dtype=str))]
        else:
            token_lists = text_processing.split_texts(standardized, self._split)
        if self._ngrams is not None:
            token_lists = [text_processing.make_ngrams(tokens, self._ngrams) for tokens in token_lists]
        return token_lists

    # -------------------------------------------------------------- call
    def _id_table(self, bytes_keys=False):
        """`{token: id}` of the vocabulary (tokens as str, or as UTF-8 bytes for the fast path)."""
        lookup = self._lookup_layer
        if self._ids is None or self._ids[0] is not lookup._tokens:
            start = lookup._token_start_index()
            table = {token: start + i for i, token in enumerate(lookup._tokens.tolist())}
            if lookup.mask_token is not None and self._output_mode == "int":
                table[lookup.mask_token] = 0
            encoded = {token.encode("utf-8", "surrogatepass"): i for token, i in table.items()}
            self._ids = (lookup._tokens, table, encoded)
        return self._ids[2] if bytes_keys else self._ids[1]

    def call(self, inputs):
        lookup = self._lookup_layer
        if self._output_mode != "int" and not lookup.pad_to_max_tokens and lookup._frozen_vocab_size is None:
            raise RuntimeError(
                f"TextVectorization {self.name!r}: with output_mode={self._output_mode!r}, set the vocabulary first: "
                "pass `vocabulary=` or call `adapt(data)`."
            )
        if not lookup._vocabulary_set:  # Keras fails there too ("Table not initialized")
            raise RuntimeError(
                f"TextVectorization {self.name!r} has no vocabulary yet: pass `vocabulary=` or call "
                "`adapt(data)` before calling it on data."
            )
        lookup._called = True
        inputs = value_of(inputs)
        shape = np.shape(inputs)
        flat, lengths = self._tokens(inputs)
        table = self._id_table(bytes_keys=bool(flat) and isinstance(flat[0], bytes))
        oov = lookup._oov_start_index()
        ids = np.fromiter(map(table.get, flat, itertools.repeat(oov)), dtype=np.int64, count=len(flat))
        if self._output_mode == "int":
            return self._padded(ids, lengths, shape)
        return self._encoded(ids, lengths, shape)

    def _padded(self, ids, lengths, shape):
        rows = len(lengths)
        if self._split is None:
            # No splitting: one id per string, in the input's shape; the sequence length applies to the last axis.
            out = ids.reshape(shape)
            length = self._output_sequence_length
            if length is not None:
                out = out[..., :length]
                pad = [(0, 0)] * (out.ndim - 1) + [(0, length - out.shape[-1])] if out.ndim else []
                out = np.pad(out, pad) if out.ndim else out
            return out
        width = int(lengths.max()) if rows and self._output_sequence_length is None else 0
        if self._output_sequence_length is not None:
            width = self._output_sequence_length
        out = np.zeros((rows, width), dtype=np.int64)
        kept = np.minimum(lengths, width)
        positions = np.arange(width)[None, :] < kept[:, None]
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if rows else np.zeros(0, dtype=np.int64)
        source = (starts[:, None] + np.arange(width)[None, :])[positions]
        out[positions] = ids[source]
        if len(shape) == 0:
            return out[0]
        return out.reshape(tuple(shape[:-1]) + (width,)) if len(shape) > 1 else out

    def _encoded(self, ids, lengths, shape):
        lookup = self._lookup_layer
        depth = lookup.max_tokens if lookup.pad_to_max_tokens else lookup._frozen_vocab_size
        rows = len(lengths)
        row_of = np.repeat(np.arange(rows), lengths)
        if self._output_mode == "one_hot":
            out = np.zeros((len(ids), depth), dtype=np.int64)
            out[np.arange(len(ids)), ids] = 1
            return out
        counts = np.bincount(row_of * depth + ids, minlength=rows * depth).reshape(rows, depth)
        if self._output_mode == "multi_hot":
            out = (counts > 0).astype(np.int64)
        elif self._output_mode == "count":
            out = counts.astype(np.int64)
        else:
            out = counts.astype(np.float32) * lookup.idf_weights[:depth]
        if len(shape) == 0:
            return out[0]
        return out

    def _convert_inputs(self, inputs):
        return inputs  # strings: checked in `call`

    # ------------------------------------------------------------ shapes
    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._output_mode == "int":  # as Keras declares it, whatever the split
            return (input_shape[0] if input_shape else None, self._output_sequence_length)
        lookup = self._lookup_layer
        depth = lookup.max_tokens if lookup.pad_to_max_tokens else lookup._frozen_vocab_size
        return (input_shape[0] if input_shape else None, depth)

    def compute_output_spec(self, inputs, *args, **kwargs):
        from nanokeras.graph.keras_tensor import KerasTensor

        dtype = "float32" if self._output_mode == "tf_idf" else "int64"
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # ------------------------------------------------------------ config
    def get_config(self):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        lookup = self._lookup_layer
        config = super().get_config()
        config.update({
            "max_tokens": lookup.max_tokens,
            "standardize": self._standardize if not callable(self._standardize)
            else serialize_keras_object(self._standardize),
            "split": self._split if not callable(self._split) else serialize_keras_object(self._split),
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens,
            "sparse": False,
            "ragged": False,
            "vocabulary": _listify(lookup.input_vocabulary),
            "idf_weights": _listify(lookup.input_idf_weights),
            "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size(),
        })
        return config

    @classmethod
    def from_config(cls, config):
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        for key in ("standardize", "split"):
            if config.get(key) is not None and not isinstance(config[key], str):
                config[key] = deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return super().from_config(config)

    def save_own_variables(self, store):
        # Keras stores the tf-idf weights under the vectorizer too, beside its inner lookup's copy.
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)
        self._ids = None


def _as_text(counts):
    """A Counter's keys as str (the fast path counts UTF-8 bytes: only distinct tokens get decoded)."""
    if counts and isinstance(next(iter(counts)), bytes):
        return {token.decode("utf-8", "surrogatepass"): count for token, count in counts.items()}
    return counts


def _listify(x):
    x = value_of(x)
    return x.tolist() if isinstance(x, np.ndarray) else x
