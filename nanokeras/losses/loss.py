"""`Loss`: the base class of loss objects, and how per-sample losses become one number.

`Loss.__call__(y_true, y_pred, sample_weight)` casts both inputs to the loss
dtype, computes per-sample losses with `call`, weights them, then reduces them:
`"sum_over_batch_size"` (the default) and `"mean"` divide the weighted sum by
the NUMBER OF LOSS ELEMENTS (not by the sum of the weights), `"sum"` only sums,
`"mean_with_sample_weight"` divides by the sum of the weights, and `"none"` /
`None` return the per-sample losses.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> class MeanSquaredError(keras.losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return keras.ops.mean(keras.ops.square(y_pred - y_true), axis=-1)
    >>> float(MeanSquaredError()(np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]])))
    0.5
"""

import numpy as np

from nanokeras.backend import config, masking
from nanokeras.backend.naming import auto_name
from nanokeras.ops import masking as masking_ops
from nanokeras.ops.gradient_utils import as_recordable, record_no_gradient
from nanokeras.ops.tape import _recording_tapes, record
from nanokeras.ops.tensor import TensorOperators, value_of
from nanokeras.backend.dtypes import standardize_dtype
from nanokeras.utils.keyword_arguments import check_keyword_arguments
from nanokeras.losses.non_numeric_error import NonNumericLossInputError

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction):
    """Returns `reduction` when Keras supports it, else raises a `ValueError` listing the options."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`: {reduction!r}. Expected one of "
            "'sum_over_batch_size' (the default), 'sum', 'mean', 'mean_with_sample_weight', "
            "'none' or None."
        )
    return reduction


def _ops():
    from nanokeras import ops

    return ops


def convert(x, dtype):
    """`x` as an array (or differentiable tensor) of `dtype`; tensors keep their gradient path."""
    if isinstance(x, TensorOperators):
        return x if x.value.dtype == dtype else _ops().cast(x, dtype)
    if isinstance(x, np.ndarray) and x.dtype == dtype:
        return x
    try:
        return np.asarray(x, dtype=dtype)
    except (TypeError, ValueError):
        raise NonNumericLossInputError(
            f"A loss expects numeric arrays, got a value of type {type(x).__name__} that cannot "
            f"be converted to {dtype}: {x!r:.80}"
        ) from None


def _drop_last_axis(x):
    return _ops().reshape(x, np.shape(value_of(x))[:-1])


def _add_last_axis(x):
    return _ops().reshape(x, np.shape(value_of(x)) + (1,))


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes the ranks of `x1` and `x2` agree when they differ by one trailing axis of size 1.

    A rank-1 partner is expanded (`(n,)` with `(n, 1)` gives two `(n, 1)` arrays)
    unless `expand_rank_1=False`; otherwise the size-1 axis is dropped.
    """
    shape1, shape2 = np.shape(value_of(x1)), np.shape(value_of(x2))
    rank1, rank2 = len(shape1), len(shape2)
    if rank1 == rank2:
        return x1, x2
    if rank1 == rank2 + 1 and shape1[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = _add_last_axis(x2)
        else:
            x1 = _drop_last_axis(x1)
    elif rank2 == rank1 + 1 and shape2[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = _add_last_axis(x1)
        else:
            x2 = _drop_last_axis(x2)
    return x1, x2


def _divide_no_nan(total, divisor):
    """`total / divisor`, or `total * 0` where the divisor is 0, by ops whatever the values
    (a replayed step computes the same ops on the next batch's weights)."""
    ops = _ops()
    is_zero = ops.equal(divisor, 0)
    quotient = ops.divide(total, ops.where(is_zero, 1, divisor))
    return ops.where(is_zero, ops.multiply(total, 0), quotient)


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces (already weighted) per-sample `values` to a scalar as `reduction` says."""
    shape = np.shape(value_of(values))
    if reduction is None or reduction == "none" or shape == () or shape == (0,):
        return values
    ops = _ops()
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return _divide_no_nan(ops.sum(values), ops.sum(sample_weight))
    if reduction == "sum":
        return ops.sum(values)
    return _mean_of_all(values, shape)


def _mean_of_all(values, shape):
    """`sum(values) / size` as ONE recorded op (the per-step reduction of training)."""
    v = value_of(values)
    size = int(np.prod(shape))
    if size == 0:
        return _ops().multiply(_ops().sum(values), 0)
    divisor = np.asarray(size, dtype=v.dtype)
    out = np.divide(v.sum(), divisor)
    if not _recording_tapes:
        return out
    out = as_recordable(out)

    def vjp(g):
        ops = _ops()
        return (ops.broadcast_to(ops.divide(g, divisor), shape),)

    return record(out, (values,), vjp, lambda: np.divide(v.sum(), divisor, out=out))


def _weight_from_mask(mask, dtype, reduction):
    """A float weight from a boolean mask; averaging reductions rescale by total/valid."""
    values = value_of(mask)

    def weights():
        kept = np.asarray(values, dtype=bool)
        if reduction in ("mean", "sum_over_batch_size"):
            valid = np.count_nonzero(kept)
            scale = kept.size / valid if valid else 0.0
            return np.where(kept, np.asarray(scale, dtype=dtype), np.asarray(0, dtype=dtype))
        return kept.astype(dtype)

    out = weights()
    if not _recording_tapes:
        return out
    # One op, so that a replayed step counts the next batch's mask again.
    return record_no_gradient(out, (mask,), weights)


def _multiply_weights(values, sample_weight):
    try:
        return _ops().multiply(values, sample_weight)
    except ValueError:
        _refuse_weight_shape(np.shape(value_of(sample_weight)), np.shape(value_of(values)))


def _refuse_weight_shape(weight_shape, shape):
    raise ValueError(
        f"`sample_weight` of shape {weight_shape} cannot be applied to the losses of shape {shape} "
        f"(per batch): the weights must have the losses' shape {shape} (one weight per loss value, e.g. "
        "per timestep for sequence outputs), or shape (batch_size,) when the loss gives one value per sample."
    )


def reduce_weighted_values(values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None):
    """Applies `sample_weight` (and an optional boolean `mask`) to `values`, then reduces them."""
    reduction = standardize_reduction(reduction)
    dtype = standardize_dtype(dtype)
    values = convert(values, dtype)
    given_weight = sample_weight is not None
    if mask is not None:
        mask_weight = _weight_from_mask(mask, dtype, reduction)
        if sample_weight is None:
            sample_weight = mask_weight
        else:
            mask_weight, sample_weight = squeeze_or_expand_to_same_rank(mask_weight, convert(sample_weight, dtype))
            sample_weight = _multiply_weights(sample_weight, mask_weight)
    if sample_weight is not None:
        sample_weight = convert(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        if given_weight:
            _check_weight_shape(values, sample_weight)
        values = _multiply_weights(values, sample_weight)
    return reduce_values(values, sample_weight, reduction)


def _check_weight_shape(values, sample_weight):
    """Refuses weights that numpy would broadcast against the losses by their trailing axes
    (`(4,)` weights on `(4, 4)` per-timestep losses) or that would enlarge them: the weights
    must be a scalar, or have the losses' rank with each axis equal to the losses' or 1. A loss
    with one value per batch (Dice, Tversky) is weighted by each weight, as in Keras."""
    shape, weight_shape = np.shape(value_of(values)), np.shape(value_of(sample_weight))
    if weight_shape == () or shape == () or (len(weight_shape) == len(shape) and all(
            w == v or w == 1 for w, v in zip(weight_shape, shape))):
        return
    _refuse_weight_shape(weight_shape, shape)


class Loss:
    """Base class of losses: subclass it and implement `call(y_true, y_pred)`.

    Args:
        name: the loss name (automatic by default, from the class name).
        reduction: how per-sample losses are combined: `"sum_over_batch_size"`
            (default), `"sum"`, `"mean"`, `"mean_with_sample_weight"`, `"none"` or None.
        dtype: the computation dtype; `keras.backend.floatx()` by default.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> class Absolute(keras.losses.Loss):
        ...     def call(self, y_true, y_pred):
        ...         return keras.ops.abs(y_pred - y_true)
        >>> Absolute(reduction="sum")(np.array([1.0, 2.0]), np.array([0.0, 4.0])).item()
        3.0
    """

    # Whether the loss turns integer labels into floats of its dtype anyway, so that
    # `fit` may convert them once up front. True for the built-in losses that compare
    # labels with probabilities; False for the sparse ones (labels are class indices)
    # and for user losses, which get the labels as given.
    casts_labels_to_float = False
    def __new__(cls, *args, **kwargs):
        # Before `__init__`: a misspelt argument gets "did you mean ...?", not Python's TypeError.
        check_keyword_arguments(cls, kwargs)
        return super().__new__(cls)

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Loss `name` must be a string or None, got {name!r}.")
        self.name = name or auto_name(self.__class__.__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = standardize_dtype(dtype or config.floatx())

    @property
    def dtype(self):
        """The computation dtype, as a string."""
        return self._dtype.name

    def __call__(self, y_true, y_pred, sample_weight=None):
        dtype = self._dtype
        # As Keras: predictions that carry a mask (padded steps of a sequence) weigh only where it is True.
        prediction_mask = masking.get_keras_mask(y_pred) if masking.masks_in_use() else None
        y_pred = convert(y_pred, dtype)
        y_true = convert(y_true, dtype)
        losses, mask = self._call_with_mask(y_true, y_pred)
        if prediction_mask is not None:
            mask = prediction_mask if mask is None else masking_ops.mask_and(prediction_mask, mask)
        if sample_weight is None and mask is None:
            # The training hot path: no weighting, only the reduction.
            return reduce_values(convert(losses, dtype), None, self.reduction)
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction, dtype)

    def _call_with_mask(self, y_true, y_pred):
        """Per-sample losses and a boolean mask of the entries that count (None: all)."""
        return self.call(y_true, y_pred), None

    def call(self, y_true, y_pred):
        """Per-sample losses; subclasses implement it."""
        raise NotImplementedError(
            f"{self.__class__.__name__} must implement `call(self, y_true, y_pred)` returning "
            "the per-sample losses."
        )

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name!r}, reduction={self.reduction!r}>"
