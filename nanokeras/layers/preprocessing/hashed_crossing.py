"""`HashedCrossing`: hashes the combination of several categorical features into bins."""

import numbers

import numpy as np

from nanokeras.backend import config
from nanokeras.layers._argument_checks import check_choice
from nanokeras.layers.layer import Layer
from nanokeras.layers.preprocessing._encoding import encode_categorical
from nanokeras.layers.preprocessing.string_hashing import fingerprint64, fingerprint_cat64
from nanokeras.ops.tensor import value_of

# The key `tf.sparse.cross_hashed` starts every crossed fingerprint from.
_CROSS_KEY = 0xDECAFCAFFE
_MASK = (1 << 64) - 1


def _feature_hashes(values):
    """Each value's contribution to a cross: the Fingerprint64 of a string, the bits of an integer."""
    if values.dtype.kind in "US" or values.dtype == object:
        return [fingerprint64(v if isinstance(v, bytes) else str(v).encode("utf-8")) for v in values.ravel()]
    return [int(v) & _MASK for v in values.astype(np.int64).ravel()]


class HashedCrossing(Layer):
    """Crosses two or more categorical features (e.g. `country` x `language`) and hashes each
    combination into one of `num_bins` bins, as Keras does through `tf.sparse.cross_hashed`.

    Args:
        num_bins: the number of bins.
        output_mode: `"int"` (int64 bin indices) or `"one_hot"` (float32 by default).
        sparse: must be False (nanokeras has dense arrays only).

    Call arguments:
        inputs: a list/tuple of at least two arrays of one shape: `()`, `(batch,)` or `(batch, 1)`,
            of integers or strings.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> crossing = keras.layers.HashedCrossing(num_bins=5)
        >>> crossing((np.array([1, 2, 3]), np.array(["A", "B", "C"]))).tolist()
        [2, 3, 3]
    """
    # As in Keras: a model holding it resolves `jit_compile="auto"` to False.
    supports_jit = False

    _takes_string_inputs = True
    _keeps_integer_inputs = True

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        if isinstance(num_bins, bool) or not isinstance(num_bins, numbers.Integral) or num_bins <= 0:
            raise ValueError(f"HashedCrossing: `num_bins` must be a positive integer, got {num_bins!r}.")
        check_choice("HashedCrossing", "output_mode", output_mode, ("int", "one_hot"))
        if sparse:
            raise ValueError("`sparse=True` can only be used with the TensorFlow backend.")
        super().__init__(name=name, dtype=dtype or config.floatx(), **kwargs)
        self.num_bins = int(num_bins)
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def _convert_inputs(self, inputs):
        return inputs  # strings or integers, read in `call`

    def _check(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"`HashedCrossing` should be called on a list or tuple of inputs. Received: "
                             f"inputs={inputs!r:.100}")
        if len(inputs) < 2:
            raise ValueError(f"`HashedCrossing` should be called on at least two inputs. Received: "
                             f"inputs={inputs!r:.100}")
        arrays = [np.asarray(value_of(x)) for x in inputs]
        shape = arrays[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError("All `HashedCrossing` inputs should have shape `()`, `(batch_size)` or "
                             f"`(batch_size, 1)`. Received shapes: {[a.shape for a in arrays]}")
        if any(a.shape != shape for a in arrays[1:]):
            raise ValueError(f"All `HashedCrossing` inputs should have equal shape. Received shapes: "
                             f"{[a.shape for a in arrays]}")
        for a in arrays:
            if not (a.dtype.kind in "iuUS" or (a.dtype == object and all(isinstance(v, (str, bytes))
                                                                          for v in a.ravel()))):
                raise ValueError(f"All `HashedCrossing` inputs should have an integer or string dtype. Received: "
                                 f"dtype {a.dtype}")
        return arrays

    def call(self, inputs):
        arrays = self._check(inputs)
        shape = arrays[0].shape
        columns = [_feature_hashes(a) for a in arrays]
        crossed = []
        for row in zip(*columns):
            value = _CROSS_KEY
            for feature in row:
                value = fingerprint_cat64(value, feature)
            crossed.append(value % self.num_bins)
        indices = np.asarray(crossed, dtype=np.int64).reshape(shape)
        if self.output_mode == "int":
            return indices.astype(self.dtype)
        return encode_categorical(indices, "one_hot", self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) < 2 or \
                not all(isinstance(s, (list, tuple)) for s in input_shape):
            raise ValueError(f"Expected as input a list/tuple of 2 tensors. Received input_shape={input_shape}")
        first = tuple(input_shape[0])
        if self.output_mode == "int":
            return first
        if first and first[-1] == 1:
            return first[:-1] + (self.num_bins,)
        return first + (self.num_bins,)

    def compute_output_spec(self, inputs):
        from nanokeras.graph.keras_tensor import KerasTensor

        return KerasTensor(self.compute_output_shape([tuple(x.shape) for x in inputs]), dtype=self.dtype)

    def get_config(self):
        return {"num_bins": self.num_bins, "output_mode": self.output_mode, "sparse": self.sparse,
                "name": self.name, "dtype": self.dtype}
