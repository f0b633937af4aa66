"""Reduction metrics: `Sum`, `Mean`, and `MeanMetricWrapper` (the mean of a function).

Example:
    >>> import nanokeras as keras
    >>> m = keras.metrics.Mean()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
"""

import numpy as np

from nanokeras.backend import masking
from nanokeras.losses.registry import ALL_OBJECTS as _LOSS_OBJECTS
from nanokeras.ops.tensor import value_of
from nanokeras.metrics._utils import add_to, div_no_nan, shape_error, squeeze_or_expand
from nanokeras.metrics.metric import Metric


def samplewise(values, sample_weight, reduce_fn, dtype):
    """Weighted per-sample values, as Keras reduces them before accumulating.

    Returns `(values, sample_weight)`: `values` reduced to at most rank 1
    (one value per sample) and multiplied by the weights; `sample_weight`
    reduced the same way (None when not given).
    """
    mask = masking.get_keras_mask(values) if sample_weight is not None and masking.masks_in_use() else None
    values = np.asarray(value_of(values), dtype=dtype)
    if sample_weight is not None:
        sample_weight = np.asarray(value_of(sample_weight), dtype=dtype)
        if mask is not None:
            # As Keras: masked values (padded steps) get weight 0, but only when weights are given
            # (Keras's Mean and Sum ignore the mask of unweighted values).
            mask, sample_weight = squeeze_or_expand(np.asarray(mask, dtype=dtype), sample_weight)
            try:
                sample_weight = sample_weight * mask
            except ValueError:
                raise ValueError(
                    f"`sample_weight` of shape {sample_weight.shape} cannot be applied to the mask of "
                    f"shape {mask.shape} of the metric values. Pass one weight per masked step."
                ) from None
        values, sample_weight = squeeze_or_expand(values, sample_weight)
        w_ndim, v_ndim = sample_weight.ndim, values.ndim
        if v_ndim > w_ndim:
            values = reduce_fn(values, axis=tuple(range(w_ndim, v_ndim)))
        try:
            sample_weight = np.broadcast_to(sample_weight, values.shape)
        except ValueError:
            raise ValueError(
                f"`sample_weight` of shape {sample_weight.shape} cannot be broadcast to "
                f"the metric values of shape {values.shape}. Pass one weight per sample, "
                "e.g. shape (batch_size,)."
            ) from None
        values = values * sample_weight
        if w_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, w_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the given values.

    Example:
        >>> import nanokeras as keras
        >>> m = keras.metrics.Sum()
        >>> m.update_state([1, 3, 5, 7])
        >>> float(m.result())
        16.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", dtype=self.dtype, name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = samplewise(values, sample_weight, np.sum, self._dtype)
        add_to(self.total, values.sum(dtype=self._dtype).item())

    def result(self):
        return self.total.value[()]


class Mean(Metric):
    """The (weighted) mean of the given values: `total / count`.

    Example:
        >>> import nanokeras as keras
        >>> m = keras.metrics.Mean()
        >>> m.update_state([1, 3, 5, 7])
        >>> float(m.result())
        4.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", dtype=self.dtype, name="total")
        self.count = self.add_variable((), "zeros", dtype=self.dtype, name="count")

    def update_state(self, values, sample_weight=None):
        if sample_weight is None:
            # Hot path (every training step): no weights, values already per sample.
            values = value_of(values)
            if not isinstance(values, np.ndarray) or values.dtype != self._dtype:
                values = np.asarray(values, dtype=self._dtype)
            if values.ndim <= 1:
                total = values.item() if values.size == 1 else values.sum().item()
                add_to(self.total, total)
                add_to(self.count, values.size if values.ndim else 1)
                return
        elif type(sample_weight) is int and np.ndim(value_of(values)) == 0:
            # Hot path of the loss tracker: one scalar loss weighted by the batch size.
            value = value_of(values)
            if sample_weight != 1:  # (times 1 is exact: skip the multiply, the batch_size=1 case)
                value = np.multiply(value, sample_weight, dtype=self._dtype)  # rounded like Keras
            add_to(self.total, value.item())
            add_to(self.count, sample_weight)
            return
        values, sample_weight = samplewise(values, sample_weight, np.mean, self._dtype)
        if sample_weight is not None:
            count = sample_weight.sum().item()
        else:
            count = values.shape[0] if values.ndim else 1
        total = values.sum().item()
        add_to(self.total, total)
        add_to(self.count, count)

    def result(self):
        return div_no_nan(self.total.value, self.count.value)[()]


_LOSSES = tuple(_LOSS_OBJECTS.values())


def _is_builtin_loss(fn):
    """Keras's rule: `fn` is one of `keras.losses`' functions or an instance of exactly one of its
    classes (a user's `Loss` subclass is not known to decrease)."""
    return any(fn is obj or type(fn) is obj for obj in _LOSSES)


class MeanMetricWrapper(Mean):
    """The running mean of `fn(y_true, y_pred, **kwargs)` over all samples seen.

    Args:
        fn: a function `fn(y_true, y_pred, **kwargs)` returning one value per sample.
        name: the metric's name.
        dtype: the dtype of the result.
        **kwargs: passed to `fn` on every call.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> m = keras.metrics.MeanMetricWrapper(lambda t, p: np.abs(t - p), name="l1")
        >>> float(m(np.array([0.0, 1.0]), np.array([0.5, 1.0])))
        0.25
    """

    _accepts_extra_keywords = True  # **kwargs go to `fn`

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        if not callable(fn):
            raise TypeError(
                f"MeanMetricWrapper `fn` must be a callable `fn(y_true, y_pred)`, "
                f"got {type(fn).__name__} {fn!r}."
            )
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        # A wrapped built-in loss (function or instance, as in `metrics=[losses.BinaryCrossentropy(
        # name="bce")]`) is a quantity to minimize, so EarlyStopping's mode="auto" can pick "min".
        if _is_builtin_loss(fn):
            self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        # As Keras: predictions that carry a mask (padded steps) count only where it is True.
        mask = masking.get_keras_mask(y_pred) if masking.masks_in_use() else None
        try:
            values = self._fn(y_true, y_pred, **self._fn_kwargs)
        except (ValueError, IndexError) as e:
            if str(e).startswith("Metric '"):
                raise
            raise shape_error(self.name, y_true, y_pred, str(e)) from None
        if mask is not None:
            sample_weight = _masked_weight(sample_weight, mask, np.asarray(value_of(values)).dtype)
        return Mean.update_state(self, values, sample_weight)

    def get_config(self):
        from nanokeras.metrics.serialization import serialize

        config = {**super().get_config(), "fn": serialize(self._fn)}
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            from nanokeras.metrics.serialization import deserialize

            config["fn"] = deserialize(config["fn"])
        return cls(**config)


def _masked_weight(sample_weight, mask, dtype):
    """`sample_weight` times the mask (0 where masked), shaped like each other as Keras does."""
    weight = np.asarray(value_of(mask)).astype(dtype)
    if sample_weight is None:
        return weight
    sample_weight = np.asarray(value_of(sample_weight), dtype=dtype)
    while sample_weight.ndim < weight.ndim:
        sample_weight = sample_weight[..., None]
    while weight.ndim < sample_weight.ndim:
        weight = weight[..., None]
    return sample_weight * weight
