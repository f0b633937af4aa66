"""`IntegerLookup`: maps integer tokens (e.g. raw category codes) to contiguous ids."""

import numpy as np

from nanokeras.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integer tokens to ids `[mask][OOV ids][vocabulary]`, or encodes them.

    Args:
        max_tokens: the maximum vocabulary size (including mask and OOV ids).
        num_oov_indices: ids for unknown tokens (chosen by `token mod n` when > 1).
        mask_token: a token mapped to id 0 (int mode) / ignored by the encodings.
        oov_token: the token returned for unknown ids when `invert=True` (default -1).
        vocabulary: a list of tokens, or a text file path; else call `adapt(data)`.
        vocabulary_dtype: only `"int64"`, as in Keras.
        idf_weights: with `output_mode="tf_idf"` and a given vocabulary.
        invert: map ids back to tokens.
        output_mode: `"int"` (int64 ids), `"one_hot"`, `"multi_hot"`, `"count"`
            (int64 encodings) or `"tf_idf"` (float32).
        pad_to_max_tokens: encode to `max_tokens` columns instead of the vocabulary size.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> layer(np.array([[12, 1138, 42], [42, 1000, 36]])).tolist()
        [[1, 3, 4], [4, 0, 2]]
    """

    _extra_keywords = ("oov_method", "salt")  # read from **kwargs (Keras config keys)

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
                 vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, name=None, **kwargs):
        if vocabulary_dtype != "int64":
            raise ValueError(f"IntegerLookup: only vocabulary_dtype='int64' is supported, got {vocabulary_dtype!r}.")
        for argument, value in (("mask_token", mask_token), ("oov_token", oov_token)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer))):
                raise ValueError(f"IntegerLookup: `{argument}` must be an int or None, got {value!r}.")
        oov_method = kwargs.pop("oov_method", "floormod")
        salt = kwargs.pop("salt", None)
        if oov_method != "floormod" or salt is not None:
            raise ValueError(
                "IntegerLookup: only oov_method='floormod' without `salt` is supported (FarmHash is not), "
                f"got oov_method={oov_method!r}, salt={salt!r}."
            )
        self.vocabulary_dtype = "int64"
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=None if mask_token is None else int(mask_token),
                         oov_token=None if oov_token is None else int(oov_token), vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, name=name, **kwargs)

    def _empty_tokens(self):
        return np.zeros((0,), dtype=np.int64)

    def _vocabulary_array(self, vocabulary):
        array = np.asarray(vocabulary)
        if array.size and array.dtype.kind not in "iu":
            if array.dtype.kind == "f" and np.all(array == np.floor(array)):
                return array.astype(np.int64).reshape(-1)
            raise ValueError(f"IntegerLookup: the vocabulary must hold integers, got dtype {array.dtype}.")
        return array.astype(np.int64).reshape(-1)

    def _to_tokens(self, array):
        if array.dtype.kind in "iub":
            return array.astype(np.int64, copy=False)
        if array.dtype.kind == "f" and np.all(array == np.floor(array)):
            return array.astype(np.int64)
        raise TypeError(
            f"IntegerLookup {self.name!r} expects integer tokens, got an array of dtype {array.dtype}. "
            "Use StringLookup for strings."
        )

    def _oov_ids(self, tokens):
        return np.mod(tokens, self.num_oov_indices) if self.num_oov_indices > 1 else np.zeros(tokens.shape, np.int64)

    def _from_text_lines(self, lines):
        return [int(line) for line in lines]

    def _to_python(self, token):
        return None if token is None else int(token)

    def _vocabulary_entry(self, token):
        return np.int64(token)  # as Keras lists learned or given ids: numpy integers

    def get_config(self):
        config = super().get_config()
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        # Keras's keys, in its order: the dtype before the vocabulary, the OOV options last.
        ordered = {}
        for key, value in config.items():
            if key == "idf_weights":
                ordered["vocabulary_dtype"] = self.vocabulary_dtype
            ordered[key] = value
        ordered.setdefault("vocabulary_dtype", self.vocabulary_dtype)
        ordered.update(oov_method="floormod", salt=None)
        return ordered
