"""`StringLookup`: maps string tokens (e.g. words, category names) to integer ids."""

import numpy as np

from nanokeras.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps strings to ids `[mask][OOV id][vocabulary]`, or encodes them.

    Args:
        max_tokens: the maximum vocabulary size (including mask and OOV ids).
        num_oov_indices: ids for unknown strings (0 or 1 here: Keras hashes with
            FarmHash for more, which nanokeras does not implement).
        mask_token: a string mapped to id 0 (int mode) / ignored by the encodings.
        oov_token: the string returned for unknown ids when `invert=True` ("[UNK]").
        vocabulary: a list of strings, or a text file path; else call `adapt(data)`.
        idf_weights: with `output_mode="tf_idf"` and a given vocabulary.
        invert: map ids back to strings.
        output_mode: `"int"` (int64 ids), `"one_hot"`, `"multi_hot"`, `"count"`
            (int64 encodings) or `"tf_idf"` (float32).
        pad_to_max_tokens: encode to `max_tokens` columns.
        encoding: the text encoding of bytes inputs ("utf-8").

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.StringLookup(vocabulary=["a", "b", "c", "d"])
        >>> layer(np.array([["a", "c", "d"], ["d", "z", "b"]])).tolist()
        [[1, 3, 4], [4, 0, 2]]
    """

    # A model starting with this layer takes arrays of strings in `fit`/`predict`.
    _takes_string_inputs = True
    _extra_keywords = ("oov_method", "salt", "vocabulary_dtype")  # read from **kwargs (Keras config keys)

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 encoding="utf-8", name=None, **kwargs):
        if isinstance(num_oov_indices, (int, np.integer)) and num_oov_indices > 1:
            raise ValueError(
                "StringLookup: num_oov_indices > 1 hashes strings with TensorFlow's FarmHash in Keras, "
                f"which nanokeras does not implement; use 0 or 1, got num_oov_indices={num_oov_indices}."
            )
        for argument, value in (("mask_token", mask_token), ("oov_token", oov_token)):
            if value is not None and not isinstance(value, (str, bytes)):
                raise ValueError(f"StringLookup: `{argument}` must be a string or None, got {value!r}.")
        if kwargs.get("salt") is not None:
            raise ValueError("StringLookup: `salt` is only used with FarmHash OOV hashing, not supported.")
        if kwargs.get("oov_method", "floormod") != "floormod":
            raise ValueError("StringLookup: only oov_method='floormod' is supported (FarmHash is not), "
                             f"got oov_method={kwargs['oov_method']!r}.")
        kwargs.pop("salt", None)
        kwargs.pop("oov_method", None)
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=self._decode(mask_token), oov_token=self._decode(oov_token),
                         vocabulary=vocabulary, idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         sparse=sparse, pad_to_max_tokens=pad_to_max_tokens, name=name, **kwargs)

    def _decode(self, token):
        return token.decode(self.encoding) if isinstance(token, bytes) else token

    def _empty_tokens(self):
        return np.zeros((0,), dtype=str)

    def _vocabulary_array(self, vocabulary):
        return self._to_tokens(np.asarray(vocabulary, dtype=object) if not isinstance(vocabulary, np.ndarray)
                               else vocabulary).reshape(-1)

    def _to_tokens(self, array):
        kind = array.dtype.kind
        if kind == "U":
            return array
        if kind == "S":
            return np.char.decode(array, self.encoding)
        if kind == "O":
            flat = [self._decode(t) for t in array.reshape(-1).tolist()]
            if not all(isinstance(t, str) for t in flat):
                bad = next(t for t in flat if not isinstance(t, str))
                raise TypeError(f"StringLookup {self.name!r} expects strings, got {bad!r} ({type(bad).__name__}).")
            return np.array(flat, dtype=str).reshape(array.shape) if flat else np.zeros(array.shape, dtype=str)
        raise TypeError(
            f"StringLookup {self.name!r} expects strings, got an array of dtype {array.dtype}. "
            "Use IntegerLookup for integer tokens."
        )

    def _to_python(self, token):
        return None if token is None else str(token)

    def _vocabulary_entry(self, token):
        return np.str_(token)  # as Keras lists learned or given tokens: numpy strings

    def get_config(self):
        config = super().get_config()
        config.update(oov_method="floormod", salt=None, encoding=self.encoding)  # Keras's keys, in its order
        return config
