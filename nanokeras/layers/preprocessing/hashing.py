"""`Hashing`: puts categorical values (strings or numbers) into a fixed number of bins by hashing."""

import numbers

import numpy as np

from nanokeras.backend import config
from nanokeras.layers._argument_checks import check_choice
from nanokeras.layers.layer import Layer
from nanokeras.layers.preprocessing._encoding import encode_categorical, encoded_shape
from nanokeras.layers.preprocessing.string_hashing import fingerprint64, siphash64
from nanokeras.ops.tensor import value_of

_MODES = ("int", "one_hot", "multi_hot", "count")


def as_hash_keys(values):
    """`values` as the bytes Keras hashes: strings as UTF-8, numbers as their decimal int64 text
    (floats truncated first), as `tf.as_string` writes them."""
    values = np.asarray(values)
    if values.dtype.kind in "US" or values.dtype == object:
        return np.vectorize(lambda v: v if isinstance(v, bytes) else str(v).encode("utf-8"), otypes=[object])(values)
    if values.dtype.kind not in "fiub":
        raise TypeError(f"Hashing expects strings or numbers, got an array of dtype {values.dtype}.")
    return np.vectorize(lambda v: str(v).encode("ascii"), otypes=[object])(values.astype(np.int64))


def hash_to_bins(keys, bins, salt=None):
    """Each key's bin in `[0, bins)`: FarmHash Fingerprint64 (or SipHash with `salt`) modulo `bins`."""
    unique, inverse = np.unique(keys.ravel(), return_inverse=True)
    if salt is None:
        hashed = [fingerprint64(key) % bins for key in unique]
    else:
        hashed = [siphash64(salt, key) % bins for key in unique]
    return np.asarray(hashed, dtype=np.int64)[inverse].reshape(keys.shape)


class Hashing(Layer):
    """Maps each value to one of `num_bins` bins by hashing it (no vocabulary to learn).

    Strings are hashed as UTF-8 bytes and numbers as their decimal text (floats truncated
    to integers first), with FarmHash's Fingerprint64, or with SipHash keyed by `salt`, as
    Keras (through TensorFlow) does: a value lands in the same bin as with real Keras.

    Args:
        num_bins: the number of bins (including the mask bin, if any).
        mask_value: a value that goes to bin 0 (the other values then use bins 1..num_bins-1).
        salt: an int, or a pair of ints: hash with SipHash under this key instead.
        output_mode: `"int"` (bin indices, int64), `"one_hot"`, `"multi_hot"` or `"count"`
            (float32 by default).
        sparse: must be False (nanokeras has dense arrays only).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.Hashing(num_bins=3)(np.array([["A"], ["B"], ["C"], ["D"], ["E"]])).ravel().tolist()
        [1, 0, 1, 1, 2]
    """
    # As in Keras: a model holding it resolves `jit_compile="auto"` to False.
    supports_jit = False

    _takes_string_inputs = True
    _keeps_integer_inputs = True

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else config.floatx()
        if isinstance(num_bins, bool) or not isinstance(num_bins, numbers.Integral) or num_bins <= 0:
            raise ValueError(f"The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                             f"Received: num_bins={num_bins!r}.")
        check_choice("Hashing", "output_mode", output_mode, _MODES)
        if sparse:
            raise ValueError("Hashing: `sparse=True` is not supported (nanokeras has dense arrays only).")
        super().__init__(**kwargs)
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(f'When `output_mode="int"`, `dtype` should be an integer type, \'int32\' or \'int64\'. '
                             f"Received: dtype={kwargs['dtype']!r}")
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.output_mode = output_mode
        self.sparse = False
        if salt is None:
            self.salt = None
        elif isinstance(salt, (tuple, list)) and len(salt) == 2:
            self.salt = list(salt)
        elif isinstance(salt, numbers.Integral) and not isinstance(salt, bool):
            self.salt = [salt, salt]
        else:
            raise ValueError("The `salt` argument for `Hashing` can only be a tuple of size 2 integers, or a "
                             f"single integer. Received: salt={salt!r}.")
        self.built = True

    def _convert_inputs(self, inputs):
        return inputs  # strings or numbers, read in `call`

    def call(self, inputs):
        values = np.asarray(value_of(inputs))
        if self.output_mode == "one_hot" and values.ndim and values.shape[-1] == 1:
            values = values[..., 0]
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
        indices = hash_to_bins(as_hash_keys(values), bins, self.salt)
        if mask is not None:
            indices = np.where(mask, 0, indices + 1)
        return encode_categorical(indices, self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        return tuple(input_shape[:-1]) + (self.num_bins,) if input_shape else (self.num_bins,)

    def compute_output_spec(self, inputs):
        from nanokeras.graph.keras_tensor import KerasTensor

        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.dtype)

    def get_config(self):
        config_ = super().get_config()
        config_.update({"num_bins": self.num_bins, "salt": self.salt, "mask_value": self.mask_value,
                        "output_mode": self.output_mode, "sparse": self.sparse})
        return config_
