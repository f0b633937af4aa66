"""`Discretization`: buckets continuous values by boundaries (given, or quantiles from `adapt`)."""

import numbers

import numpy as np

from nanokeras.ops.gradient_utils import record_no_gradient
from nanokeras.ops.tensor import TensorOperators, value_of
from nanokeras.layers._argument_checks import check_choice
from nanokeras.layers import layer as layer_module
from nanokeras.layers.layer import Layer
from nanokeras.layers.preprocessing._encoding import encode_categorical, encoded_shape

_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


class Discretization(Layer):
    """Maps each value to the index of its bucket: bucket `i` holds
    `bin_boundaries[i-1] <= x < bin_boundaries[i]` (so `len(bin_boundaries) + 1` buckets).

    Args:
        bin_boundaries: the sorted boundaries; or None with `num_bins` and `adapt()`.
        num_bins: the number of buckets `adapt()` makes from approximate quantiles.
        epsilon: the quantile approximation's error tolerance (as Keras, default 0.01).
        output_mode: `"int"` (bucket ids, int32), `"one_hot"`, `"multi_hot"` or
            `"count"` (float encodings of the ids).
        sparse: must be False (nanokeras has dense arrays only).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
        >>> layer(np.array([[-1.5, 1.0, 3.4, 0.5]])).tolist()
        [[0, 2, 3, 1]]
    """

    _replayable = True

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False,
                 dtype=None, name=None, **kwargs):
        check_choice("Discretization", "output_mode", output_mode, _OUTPUT_MODES)
        if sparse:
            raise ValueError("Discretization: `sparse=True` is not supported (nanokeras has dense arrays only).")
        if num_bins is not None and (isinstance(num_bins, bool) or not isinstance(num_bins, (int, np.integer))
                                     or num_bins < 0):
            raise ValueError(f"Discretization: `num_bins` must be an int >= 0, got num_bins={num_bins!r}.")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Discretization: set either `num_bins` (then call adapt()) or `bin_boundaries`, not both. "
                f"Received: num_bins={num_bins} and bin_boundaries={bin_boundaries}."
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("Discretization: set either `num_bins` (then call adapt()) or `bin_boundaries`.")
        if bin_boundaries is not None:
            bin_boundaries = _check_boundaries(bin_boundaries)
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or not 0 < epsilon <= 1:
            raise ValueError(f"Discretization: `epsilon` must be a float in (0, 1], got {epsilon!r}.")
        super().__init__(dtype=dtype, name=name, **kwargs)
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = False
        self.summary = None if bin_boundaries else np.zeros((2, 0), dtype="float32")
        self.built = True

    @property
    def output_dtype(self):
        return "int32" if self.output_mode == "int" else self.dtype

    def adapt(self, data, steps=None):
        """Sets `bin_boundaries` to approximate `num_bins` quantiles of `data`
        (an array, or an iterable of batches)."""
        self._adapt(data, steps)
        layer_module.configuration_changed()

    def _adapt(self, data, steps=None):
        if self.num_bins is None:
            raise ValueError(
                f"Discretization {self.name!r} was created with `bin_boundaries`; to adapt it, "
                "create it with `num_bins` instead."
            )
        self.reset_state()
        if isinstance(data, TensorOperators):
            data = value_of(data)
        if hasattr(data, "__iter__") and not isinstance(data, np.ndarray) and _is_batches(data):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            self.update_state(data)
        self.finalize_state()

    def update_state(self, data):
        values = np.asarray(value_of(data))
        if values.dtype.kind not in "fiub":
            raise TypeError(f"Discretization.adapt() expects numeric data, got dtype {values.dtype}.")
        self.summary = _merge(_summarize(values.astype("float32"), self.epsilon), self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is None:
            return
        if self.summary.shape[1] == 0:
            raise ValueError(f"Discretization {self.name!r}: adapt() received no values.")
        self.bin_boundaries = _compress(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = np.zeros((2, 0), dtype="float32")

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                f"Discretization {self.name!r} has no bin boundaries: pass `bin_boundaries` or call "
                "`adapt(data)` before using it."
            )
        boundaries, depth = self.bin_boundaries, len(self.bin_boundaries) + 1

        def encode():  # computed again by a compiled step for each batch
            values = value_of(inputs)
            indices = np.digitize(values, np.asarray(boundaries, dtype=values.dtype))
            return encode_categorical(indices, self.output_mode, depth, self.output_dtype)

        return record_no_gradient(encode(), (inputs,), encode)

    def compute_output_shape(self, input_shape):
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        return encoded_shape(input_shape, self.output_mode, depth)

    def get_config(self):
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)


def _check_boundaries(bin_boundaries):
    try:
        array = np.asarray(bin_boundaries, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(
            f"Discretization: `bin_boundaries` must be a list of numbers, got {bin_boundaries!r}."
        ) from None
    if array.ndim != 1:
        raise ValueError(f"Discretization: `bin_boundaries` must be a flat list, got shape {array.shape}.")
    if np.any(np.diff(array) < 0):
        raise ValueError(f"Discretization: `bin_boundaries` must be sorted ascending, got {list(bin_boundaries)}.")
    return list(bin_boundaries)


def _is_batches(data):
    """True for an iterable of batches (a generator, or a list of arrays), not a nested list of numbers."""
    if isinstance(data, (list, tuple)):
        return bool(data) and all(isinstance(b, (np.ndarray, TensorOperators)) for b in data)
    return True


# The quantile sketch: a 2-row array (values, weights) kept small by re-sampling
# the weighted empirical distribution at evenly spaced cumulative fractions.
def _summarize(values, epsilon):
    values = np.sort(values.reshape(-1))
    step = max(values.size / (1.0 / epsilon), 1)
    picked = values[int(step - 1)::int(step)]
    return np.stack([picked, np.ones_like(picked) * step])


def _merge(new, old, epsilon):
    merged = np.concatenate((new, old), axis=1)
    merged = merged[:, np.argsort(merged[0])]
    return _compress(merged, epsilon)


def _compress(summary, epsilon):
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    cumulative_fraction = cumulative / cumulative[-1]
    values = np.interp(fractions, cumulative_fraction, summary[0])
    cumulative = np.interp(fractions, cumulative_fraction, cumulative)
    weights = np.diff(cumulative, prepend=0.0)
    return np.stack((values, weights)).astype("float32")
