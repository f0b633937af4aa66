"""`Normalization`: standardizes features with a mean and variance given or learned by `adapt`."""

import numpy as np

from nanokeras.backend import config as backend_config
from nanokeras.ops.tensor import Tensor, TensorOperators, value_of
from nanokeras.layers import layer as layer_module
from nanokeras.layers.layer import Layer
from nanokeras.ops import numpy as ops


def _objects_as_numbers(data, dtype):
    """An array of Python objects that are all numbers (`np.array(df)` of a frame with bool and float
    columns, as `pd.get_dummies` makes) as `dtype`, as Keras converts it; anything else unchanged
    (the dtype check refuses it)."""
    try:
        return data.astype(dtype)
    except (TypeError, ValueError):
        return data


def _batch_array(batch, data):
    """One batch of an iterable given to `adapt`, as an array. Text is refused with a TypeError, as in
    Keras: iterating a pandas DataFrame yields its column names, not rows."""
    batch = batch[0] if isinstance(batch, tuple) else batch
    if isinstance(batch, (str, bytes)):
        hint = " A pandas DataFrame iterates over its column names: pass `np.array(df)`." if hasattr(
            data, "columns") else ""
        raise TypeError(
            f"Normalization.adapt() expects an array or an iterable of batches (arrays); iterating the "
            f"{type(data).__name__} given yielded {type(batch).__name__} {batch!r}.{hint}"
        )
    return np.asarray(value_of(batch))


class Normalization(Layer):
    """Maps inputs to `(x - mean) / sqrt(variance)` (or the inverse with `invert=True`).

    The statistics are passed as `mean`/`variance`, or computed from training
    data with `adapt(data)` (one mean and variance per index of the kept `axis`).

    Args:
        axis: the axis (or axes) that keep separate statistics; -1 means one
            mean/variance per feature. `None` means a single scalar mean/variance.
        mean, variance: the statistics, when known in advance (both or neither).
        invert: apply the inverse map, `mean + x * sqrt(variance)`.

    Weights after `build`/`adapt` (non-trainable, as Keras): `mean`, `variance`
    (float32) and `count` (int32).

    Attributes `mean` and `variance` (as Keras): once the layer is built, the
    statistics in use, broadcast to the input's rank (shape `(1, features)` for
    `axis=-1`) in the compute dtype, as a tensor with `.numpy()`; before that,
    `mean` is None and `variance` does not exist.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> train = np.array([[1.0], [2.0], [3.0]], dtype="float32")
        >>> layer = keras.layers.Normalization()
        >>> layer.adapt(train)
        >>> [round(float(v), 4) for v in np.asarray(layer(train)).ravel()]
        [-1.2247, 0.0, 1.2247]
        >>> layer.mean.numpy().tolist(), layer.variance.shape
        ([[2.0]], (1, 1))

    Min-max scaling to [0, 1] with training-set statistics is a `Rescaling`
    with `scale = 1 / (max - min)` and `offset = -min / (max - min)` (see
    `docs/preprocessing.md`).
    """

    _replayable = True

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        if axis is None:
            axis = ()
        elif isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
            axis = (int(axis),)
        else:
            try:
                axis = tuple(axis)
            except TypeError:
                raise ValueError(f"Normalization: `axis` must be an int, a tuple of ints or None, got {axis!r}.") from None
            if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axis):
                raise ValueError(f"Normalization: `axis` must be an int, a tuple of ints or None, got {axis!r}.")
        if (mean is None) != (variance is None):
            raise ValueError(
                "Normalization: when setting the statistics directly, pass both `mean` and `variance`. "
                f"Received: mean={mean} and variance={variance}."
            )
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    f"Normalization: `mean` and `variance` must have the same shape, got "
                    f"{np.shape(mean)} and {np.shape(variance)}."
                )
            if len(np.shape(mean)) > len(axis):
                raise ValueError(
                    f"Normalization: `mean` may have at most one axis per kept `axis` ({len(axis)}), "
                    f"got shape {np.shape(mean)} for axis={axis}."
                )
            if np.any(np.asarray(variance) < 0):
                raise ValueError(f"Normalization: `variance` must be non-negative, got {variance}.")
        super().__init__(**kwargs)
        self.supports_masking = True
        self.axis = tuple(int(a) for a in axis)
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)
        self._mean = self._variance = None

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                f"Normalization {self.name!r}: every `axis` must be in [-{ndim}, {ndim}) for inputs of "
                f"shape {tuple(input_shape)}, got axis={self.axis}."
            )
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for a in self._keep_axis:
            if input_shape[a] is None:
                raise ValueError(
                    f"Normalization {self.name!r}: the kept axis {a} must have a known size, "
                    f"got input shape {tuple(input_shape)}."
                )
        self._reduce_axis = tuple(a for a in range(ndim) if a not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[a] if a in self._keep_axis else 1 for a in range(ndim))
        self._stats_shape = tuple(input_shape[a] for a in self._keep_axis)
        self._build_input_shape = tuple(input_shape)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._stats_shape, initializer="zeros",
                                              trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=self._stats_shape,
                                                  initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int32", initializer="zeros",
                                         trainable=False)
        else:
            self._mean = self._expand(np.asarray(self.input_mean, dtype=self.dtype))
            self._variance = self._expand(np.asarray(self.input_variance, dtype=self.dtype))
        self.built = True

    def _expand(self, stat):
        """A given statistic, aligned with the trailing kept axes and broadcast to the input's rank."""
        shape = [1] * len(self._broadcast_shape)
        for i in range(1, stat.ndim + 1):
            shape[self._keep_axis[-i]] = stat.shape[-i]
        try:
            return np.broadcast_to(stat.reshape(shape), self._broadcast_shape).copy()
        except ValueError:
            raise ValueError(
                f"Normalization {self.name!r}: `mean`/`variance` of shape {stat.shape} do not match the "
                f"kept axes {self._keep_axis} of inputs of shape {self._build_input_shape}."
            ) from None

    def adapt(self, data):
        """Computes the mean and variance of `data` for each index of the kept axes.

        Args:
            data: a numpy array (or Tensor), or an iterable of batches (arrays).
        """
        self._adapt_statistics(data)
        layer_module.configuration_changed()

    def _adapt_statistics(self, data):
        batches = None
        if isinstance(data, TensorOperators):
            data = value_of(data)
        if isinstance(data, np.ndarray):
            if data.dtype == object:
                data = _objects_as_numbers(data, self.dtype)
            input_shape = data.shape
        elif isinstance(data, (list, tuple)) and data and not hasattr(data[0], "shape"):
            data = np.asarray(data, dtype=self.dtype)  # nested lists of numbers: one array
            input_shape = data.shape
        elif hasattr(data, "__iter__"):
            batches = [_batch_array(b, data) for b in data]
            if not batches:
                raise ValueError(
                    "Normalization.adapt() received an empty iterable; pass an array or a non-empty "
                    "iterable of batches, e.g. layer.adapt(x_train)."
                )
            input_shape = batches[0].shape
        else:
            raise TypeError(
                f"Normalization.adapt() expects a numpy array or an iterable of batches, got "
                f"{type(data).__name__}."
            )
        if self.input_mean is not None:
            raise ValueError(
                f"Normalization {self.name!r} was given `mean` and `variance`; it cannot also be adapted."
            )
        if not self.built:
            self._build_for(tuple(input_shape))
        shapes = [input_shape] if batches is None else [b.shape for b in batches]
        for shape in shapes:
            if len(shape) != len(self._build_input_shape) or any(
                shape[a] != self._build_input_shape[a] for a in self._keep_axis
            ):
                raise ValueError(
                    f"Normalization {self.name!r} was built for inputs of shape {self._build_input_shape}, "
                    f"but adapt() received data of shape {tuple(shape)}."
                )
        if batches is None:
            if data.dtype.kind not in "fiub":
                raise TypeError(f"Normalization.adapt() expects numeric data, got dtype {data.dtype}.")
            mean = np.mean(data, axis=self._reduce_axis)
            variance = np.var(data, axis=self._reduce_axis)
        else:
            mean, variance = self._streamed_moments(batches)
        self.adapt_mean.assign(np.asarray(mean, dtype=self.adapt_mean.dtype))
        self.adapt_variance.assign(np.asarray(variance, dtype=self.adapt_variance.dtype))

    def _streamed_moments(self, batches):
        # Running mean/variance over batches, combining each batch's moments with
        # the totals so far (the parallel-variance update), in the layer's dtype.
        mean = np.zeros(self._stats_shape, dtype=self.dtype)
        variance = np.zeros(self._stats_shape, dtype=self.dtype)
        total = 0
        for batch in batches:
            batch = batch.astype(self.dtype, copy=False)
            count = int(np.prod([batch.shape[a] for a in self._reduce_axis])) if self._reduce_axis else 1
            batch_mean = np.mean(batch, axis=self._reduce_axis)
            batch_var = np.var(batch, axis=self._reduce_axis)
            total += count
            w_new = float(count) / total
            w_old = 1.0 - w_new
            new_mean = mean * w_old + batch_mean * w_new
            variance = (variance + (mean - new_mean) ** 2) * w_old + (batch_var + (batch_mean - new_mean) ** 2) * w_new
            mean = new_mean
        return mean, variance

    def _statistics(self):
        if self._mean is not None:
            return self._mean, self._variance
        shape = self._broadcast_shape
        return self.adapt_mean.value.reshape(shape), self.adapt_variance.value.reshape(shape)

    def _public_statistic(self, index, name):
        # Keras keeps `mean`/`variance` as tensors of the broadcast shape in the compute dtype
        # (a snapshot of the weights); here they are read from the weights on each access.
        if not self.built:
            if name == "mean":
                return None  # Keras sets `mean = None` in the constructor, and `variance` only when built
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        value = self._statistics()[index]
        return Tensor(np.array(value, dtype=self.compute_dtype))

    @property
    def mean(self):
        """The mean in use, broadcast to the input's rank (None before the layer is built)."""
        return self._public_statistic(0, "mean")

    @property
    def variance(self):
        """The variance in use, broadcast to the input's rank (only once the layer is built)."""
        return self._public_statistic(1, "variance")

    def call(self, inputs):
        mean, variance = self._statistics()
        std = np.maximum(np.sqrt(variance), np.asarray(backend_config.epsilon(), dtype=variance.dtype))
        try:
            if self.invert:
                return ops.add(mean, ops.multiply(inputs, std))
            return ops.divide(ops.subtract(inputs, mean), std)
        except ValueError:
            raise ValueError(
                f"Normalization {self.name!r} was built for inputs of shape {self._build_input_shape}, "
                f"got shape {tuple(inputs.shape)}."
            ) from None

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis,
            "invert": self.invert,
            "mean": np.array(self.input_mean).tolist(),
            "variance": np.array(self.input_variance).tolist(),
        })
        return config
