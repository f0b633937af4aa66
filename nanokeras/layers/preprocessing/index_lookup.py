"""The shared machinery of `IntegerLookup` and `StringLookup`: a vocabulary mapping tokens to ids.

Ids are laid out as Keras does: `[mask (int mode only)] [OOV ids] [vocabulary tokens]`.
"""

import collections

import numpy as np

from nanokeras.ops.tensor import TensorOperators, value_of
from nanokeras.layers._argument_checks import check_choice
from nanokeras.layers import layer as layer_module
from nanokeras.layers.layer import Layer
from nanokeras.layers.preprocessing._encoding import encode_categorical, encoded_shape

_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class IndexLookup(Layer):
    """Base of the lookup layers; subclasses convert inputs (`_to_tokens`) and vocabularies."""
    # As in Keras: a model holding it resolves `jit_compile="auto"` to False.
    supports_jit = False

    _extra_keywords = ("vocabulary_size", "has_input_vocabulary", "oov_method")  # read from **kwargs (Keras config keys)

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary=None, idf_weights=None,
                 invert=False, output_mode="int", sparse=False, pad_to_max_tokens=False, name=None, **kwargs):
        cls = type(self).__name__
        if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, (int, np.integer))
                                       or max_tokens <= 1):
            raise ValueError(f"{cls}: `max_tokens`, if set, must be an int greater than 1, got max_tokens={max_tokens!r}.")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{cls}: `pad_to_max_tokens=True` needs `max_tokens` to be set.")
        if isinstance(num_oov_indices, bool) or not isinstance(num_oov_indices, (int, np.integer)) or num_oov_indices < 0:
            raise ValueError(f"{cls}: `num_oov_indices` must be an int >= 0, got num_oov_indices={num_oov_indices!r}.")
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        check_choice(cls, "output_mode", output_mode, _OUTPUT_MODES)
        if invert and output_mode != "int":
            raise ValueError(f"{cls}: `invert=True` needs output_mode='int', got output_mode={output_mode!r}.")
        if sparse:
            raise ValueError(f"{cls}: `sparse=True` is not supported (nanokeras has dense arrays only).")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{cls}: `idf_weights` is only used with output_mode='tf_idf', got {output_mode!r}.")
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError(f"{cls}: with `vocabulary` and output_mode='tf_idf', pass `idf_weights` too.")
        # Keras 3.15's choice of OOV hashing only matters with several OOV ids (refused above).
        kwargs.pop("oov_method", None)
        frozen_size = kwargs.pop("vocabulary_size", None)
        kwargs.pop("has_input_vocabulary", None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        super().__init__(name=name, **kwargs)
        self.invert = bool(invert)
        self.max_tokens = max_tokens
        self.num_oov_indices = int(num_oov_indices)
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = False
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = vocabulary is not None
        self._frozen_vocab_size = frozen_size
        self._tokens = self._empty_tokens()
        self._vocabulary_set = False  # Keras's lookup table is uninitialized until then: calls fail
        self.idf_weights = None
        self.built = True
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # ------------------------------------------------------------ layout
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """The number of ids, including the mask and OOV ids."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary: the token of each id (mask and OOV tokens first, unless excluded)."""
        # The special tokens are Python values, the others numpy scalars, as Keras returns them
        # (so a printed vocabulary reads `['[UNK]', np.str_('b'), ...]` in both).
        vocab = [self.oov_token] * self._token_start_index() + [self._vocabulary_entry(t) for t in self._tokens]
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        if not include_special_tokens:
            vocab = vocab[self._token_start_index():]
        return vocab

    # -------------------------------------------------------- vocabulary
    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (a list/array of tokens, or a text file path with one token per line)."""
        cls = type(self).__name__
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{cls}: `idf_weights` must be set when output_mode='tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{cls}: `idf_weights` is only used with output_mode='tf_idf'.")
        if isinstance(vocabulary, str):
            with open(vocabulary, encoding="utf-8") as f:
                lines = f.read().splitlines()
            while lines and lines[-1] == "":
                lines.pop()
            vocabulary = lines
        vocabulary = self._vocabulary_array(vocabulary)
        if vocabulary.size == 0:
            raise ValueError(f"{cls}: cannot set an empty vocabulary.")
        token_start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        has_special = len(vocabulary) >= token_start and [self._to_python(t) for t in vocabulary[:token_start]] == special
        tokens = vocabulary[token_start:] if has_special else vocabulary
        repeated = [t for t, c in collections.Counter(tokens.tolist()).items() if c > 1]
        if repeated:
            raise ValueError(f"{cls}: the vocabulary has repeated terms {repeated}; make it unique.")
        if self.mask_token is not None and self.mask_token in tokens.tolist():
            raise ValueError(
                f"{cls}: the mask token {self.mask_token!r} is in the vocabulary. Leave mask and OOV tokens "
                f"out of `vocabulary`, or put them only at the start in this order: {special}."
            )
        if self.oov_token is not None and self.invert and self.oov_token in tokens.tolist():
            raise ValueError(
                f"{cls}: the OOV token {self.oov_token!r} is in the vocabulary. Leave mask and OOV tokens "
                f"out of `vocabulary`, or put them only at the start in this order: {special}."
            )
        size = token_start + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                f"{cls}: the vocabulary size {size} (with mask/OOV ids) exceeds `max_tokens`={self.max_tokens}."
            )
        if self.output_mode == "tf_idf":
            weights = np.asarray(value_of(idf_weights), dtype="float32")
            if weights.ndim != 1 or len(weights) != len(vocabulary):
                raise ValueError(
                    f"{cls}: `idf_weights` must be 1-D with the vocabulary's length {len(vocabulary)}, "
                    f"got shape {weights.shape}."
                )
            front = 0 if has_special else token_start
            back = self.max_tokens - front - len(weights) if self.pad_to_max_tokens else 0
            self.idf_weights = np.pad(weights, (front, back), constant_values=(np.mean(weights) if front else 0, 0))
        self._set_tokens(tokens)

    def _set_tokens(self, tokens):
        self._check_vocab_size_unchanged(self._token_start_index() + len(tokens))
        self._tokens = tokens
        self._vocabulary_set = True
        order = np.argsort(tokens, kind="stable")
        self._sorted_tokens = tokens[order]
        self._sorted_ids = (order + self._token_start_index()).astype(np.int64)
        # Recorded in every mode, as Keras does (its config reports it); only checked for counts/one-hot.
        self._frozen_vocab_size = self.vocabulary_size()

    def _check_vocab_size_unchanged(self, new_size):
        if self.output_mode == "int" or self.pad_to_max_tokens or self._frozen_vocab_size is None:
            return
        if new_size != self._frozen_vocab_size and getattr(self, "_called", False):
            raise RuntimeError(
                f"{type(self).__name__} {self.name!r}: with output_mode={self.output_mode!r} and "
                "pad_to_max_tokens=False the vocabulary size cannot change after the layer is called "
                f"(was {self._frozen_vocab_size}, new {new_size})."
            )

    # ------------------------------------------------------------- adapt
    def adapt(self, data, steps=None):
        """Builds the vocabulary from `data`: tokens sorted by frequency (ties: larger token first),
        truncated to `max_tokens`; with output_mode='tf_idf' also the inverse document frequencies."""
        self._adapt(data, steps)
        layer_module.configuration_changed()

    def _adapt(self, data, steps=None):
        if self._has_input_vocabulary:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: cannot adapt a layer given a `vocabulary`."
            )
        if isinstance(data, TensorOperators):
            data = value_of(data)
        if isinstance(data, (list, tuple, np.ndarray)):
            # One array: a flat one holds one token per document.
            whole = self._to_tokens(np.asarray(data))
            batches = [whole.reshape(-1, 1) if whole.ndim <= 1 else whole]
        else:
            # Batches: a flat batch is one document.
            batches = []
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                batch = self._to_tokens(np.asarray(value_of(batch)))
                batches.append(batch.reshape(1, -1) if batch.ndim <= 1 else batch)
        counts = collections.Counter()
        doc_counts = collections.Counter()
        num_documents = 0
        for batch in batches:
            counts.update(batch.reshape(-1).tolist())
            if self.output_mode == "tf_idf":
                for row in batch.reshape(batch.shape[0], -1):
                    doc_counts.update(set(row.tolist()))
                num_documents += batch.shape[0]
        self._set_counted_vocabulary(counts, doc_counts, num_documents)

    def _set_counted_vocabulary(self, counts, doc_counts, num_documents):
        """The vocabulary from token counts (and document counts, for tf-idf), as `adapt` makes it."""
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                counts.pop(self._to_python(special), None)
        ranked = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        if self.max_tokens:
            ranked = ranked[: self.max_tokens - self._token_start_index()]
        tokens = self._vocabulary_array([t for t, _ in ranked])
        if self.output_mode == "tf_idf":
            document_counts = np.array([doc_counts[t] for t, _ in ranked], dtype="float64")
            idf = np.log(1 + num_documents / (1 + document_counts)).astype("float32")
            idf = np.pad(idf, (self._token_start_index(), 0), constant_values=np.mean(idf) if len(idf) else 0)
            if self.pad_to_max_tokens:
                idf = np.pad(idf, (0, self.max_tokens - len(idf)))
            self.idf_weights = idf
        self._set_tokens(tokens)

    # -------------------------------------------------------------- call
    def _lookup_ids(self, tokens):
        ids = np.full(tokens.shape, -1, dtype=np.int64)
        if len(self._tokens):
            pos = np.searchsorted(self._sorted_tokens, tokens)
            pos = np.minimum(pos, len(self._sorted_tokens) - 1)
            found = self._sorted_tokens[pos] == tokens
            ids = np.where(found, self._sorted_ids[pos], -1)
        oov = ids == -1
        if self.mask_token is not None:
            masked = tokens == self.mask_token
            mask_id = 0 if self.output_mode == "int" else np.iinfo(np.int64).max
            ids = np.where(masked, mask_id, ids)
            oov &= ~masked
        if oov.any():
            if self.num_oov_indices == 0:
                raise ValueError(
                    f"{type(self).__name__} {self.name!r}: with num_oov_indices=0 all inputs must be in the "
                    f"vocabulary; found out-of-vocabulary values {self._to_python_list(tokens[oov][:10])}. "
                    "Consider num_oov_indices=1."
                )
            ids = np.where(oov, self._oov_ids(tokens) + self._oov_start_index(), ids)
        return ids

    def _oov_ids(self, tokens):
        return np.zeros(tokens.shape, dtype=np.int64)

    def _invert_ids(self, ids):
        ids = np.asarray(ids).astype(np.int64)
        pos = ids - self._token_start_index()
        valid = (pos >= 0) & (pos < len(self._tokens))
        out = np.asarray(self._tokens)[np.clip(pos, 0, max(len(self._tokens) - 1, 0))] if len(self._tokens) else None
        fill = self._vocabulary_array([self.oov_token])
        result = np.where(valid, out, fill[0]) if out is not None else np.full(ids.shape, fill[0], dtype=fill.dtype)
        if self.mask_token is not None:
            result = np.where(ids == 0, self._vocabulary_array([self.mask_token])[0], result)
        return result

    def _check_vocabulary_set(self):
        """A RuntimeError, as Keras raises ("Table not initialized"), when the layer is called on data
        before it has a vocabulary: every id would be the OOV id, which silently trains on nothing."""
        if self._vocabulary_set:
            return
        if self.output_mode != "int" and not self.pad_to_max_tokens:
            raise RuntimeError(
                f"{type(self).__name__} {self.name!r}: with output_mode={self.output_mode!r} set the vocabulary "
                "first: pass `vocabulary=` or call `adapt(data)`."
            )
        raise RuntimeError(
            f"{type(self).__name__} {self.name!r} has no vocabulary yet: pass `vocabulary=` or call "
            "`adapt(data)` before calling it on data."
        )

    def call(self, inputs):
        self._check_vocabulary_set()
        self._called = True
        if self.invert:
            return self._invert_ids(value_of(inputs))
        tokens = self._to_tokens(np.asarray(value_of(inputs)))
        ids = self._lookup_ids(tokens)
        if self.output_mode == "int":
            return ids
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        if self.output_mode == "tf_idf":
            counts = encode_categorical(ids, "count", depth, "int64")
            return counts.astype("float32") * self.idf_weights
        return encode_categorical(ids, self.output_mode, depth, "int64")

    def compute_output_shape(self, input_shape):
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        return encoded_shape(input_shape, self.output_mode, depth, drop_last_axis=True)

    def _convert_inputs(self, inputs):
        return inputs  # tokens are converted in `call` (they may be strings)

    def get_build_config(self):
        # Keras builds its lookup layers in `__init__` (they need no input shape) and writes an
        # empty build_config for them, called or not; so do we, for the same `.keras` files.
        return {}

    def get_config(self):
        config = super().get_config()
        config.update({
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "idf_weights": _listify(self.input_idf_weights),
            "vocabulary": _listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size,
        })
        return config

    def save_own_variables(self, store):
        # As Keras: the tf-idf weights are a weight of the file ("idf_weights", one per id, special
        # tokens included); the vocabulary is an asset. Other modes store nothing.
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = np.asarray(self.idf_weights, dtype="float32")

    def load_own_variables(self, store):
        if "idf_weights" not in store:
            return
        if self.output_mode != "tf_idf":
            raise ValueError(f"{type(self).__name__} {self.name!r}: the file holds tf-idf weights, but its "
                             f"output_mode is {self.output_mode!r}.")
        weights = np.asarray(store["idf_weights"], dtype="float32")
        if weights.ndim != 1:
            raise ValueError(f"{type(self).__name__} {self.name!r}: the file's idf_weights must be 1-D, "
                             f"got shape {weights.shape}.")
        self.idf_weights = weights

    def save_assets(self, dir_path):
        """Writes an adapted vocabulary to `dir_path/vocabulary.txt` (a given one is in the config), as Keras."""
        import os

        if self.input_vocabulary is not None:
            return
        vocabulary = self.get_vocabulary(include_special_tokens=True)
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(str(token) for token in vocabulary))

    def load_assets(self, dir_path):
        """Reads the vocabulary `save_assets` wrote (nothing to do for a vocabulary given in the config)."""
        import os

        if self.input_vocabulary is not None:
            return
        path = os.path.join(dir_path, "vocabulary.txt")
        if not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        tokens = self._from_text_lines(lines)
        special = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        if [self._to_python(t) for t in tokens[:len(special)]] == special:
            tokens = tokens[len(special):]
        # The tf-idf weights, if any, are weights of the file (`load_own_variables`), not assets.
        self._set_tokens(self._vocabulary_array(tokens) if tokens else self._empty_tokens())

    def _from_text_lines(self, lines):
        return lines

    def _vocabulary_entry(self, token):
        return self._to_python(token)

    def _to_python_list(self, array):
        return [self._to_python(t) for t in array]


def _listify(x):
    x = value_of(x)
    return x.tolist() if isinstance(x, np.ndarray) else x
