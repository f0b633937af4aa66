"""Elementwise merge layers: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`,
and their functional forms `keras.layers.add(...)`, ...

Example:
    >>> import numpy as np, nanokeras as keras
    >>> keras.layers.Add()([np.ones((2, 3)), np.ones((2, 3))])[0]
    array([2., 2., 2.], dtype=float32)
"""

import numpy as np

from nanokeras.layers.merging.base_merge import Merge, any_of
from nanokeras.ops import numpy as ops


def _spread_masks(inputs, mask):
    """Each input's mask spread over its features (None where it has none); None when no input has a
    mask, or when one cannot be spread (a mask of a rank other than the input's, or one less)."""
    masks = list(mask) if isinstance(mask, (list, tuple)) and len(mask) == len(inputs) else None
    if masks is None or all(m is None for m in masks):
        return None
    spread = []
    for x, m in zip(inputs, masks):
        if m is None:
            spread.append(None)
            continue
        rank, mask_rank = len(np.shape(x)), len(np.shape(m))
        if mask_rank == rank - 1:
            m = ops.expand_dims(m, -1)
        elif mask_rank != rank:
            return None
        spread.append(ops.broadcast_to(m, np.shape(x)))
    return spread


def _constant(value, like):
    return np.asarray(value, dtype=like.dtype)


class Add(Merge):
    """Sums a list of tensors of the same shape (broadcasting allowed)."""

    _replayable = True

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.add(out, x)
        return out


class Subtract(Merge):
    """`inputs[0] - inputs[1]` for a list of exactly two tensors."""

    _replayable = True

    _exact_inputs = 2

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received {len(inputs)} inputs.")
        return ops.subtract(inputs[0], inputs[1])


class Multiply(Merge):
    """The elementwise product of a list of tensors."""

    _replayable = True

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.multiply(out, x)
        return out

    def call(self, inputs, mask=None):
        """As in Keras, a masked step counts as 1 in the product; where every input is masked, the
        output is 0."""
        masks = _spread_masks(inputs, mask)
        if masks is None:
            return super().call(inputs)
        inputs = [x if m is None else ops.where(m, x, _constant(1, x)) for x, m in zip(inputs, masks)]
        out = super().call(inputs)
        if all(m is not None for m in masks):
            out = ops.where(any_of(masks), out, _constant(0, out))
        return out


class Average(Merge):
    """The elementwise mean of a list of tensors."""

    # a mean of integers is a float: cast first, as Keras's result (float32)
    _passes_integer_inputs = False

    _replayable = True

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.add(out, x)
        return ops.divide(out, len(inputs))


class Maximum(Merge):
    """The elementwise maximum of a list of tensors."""

    _replayable = True

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.maximum(out, x)
        return out

    def call(self, inputs, mask=None):
        masks = _spread_masks(inputs, mask)
        if masks is None:
            return super().call(inputs)
        return _masked_merge(ops.maximum, inputs, masks)


class Minimum(Merge):
    """The elementwise minimum of a list of tensors."""

    _replayable = True

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.minimum(out, x)
        return out

    def call(self, inputs, mask=None):
        masks = _spread_masks(inputs, mask)
        if masks is None:
            return super().call(inputs)
        return _masked_merge(ops.minimum, inputs, masks)


def _masked_merge(function, inputs, masks):
    """`Maximum`/`Minimum` with masks, as in Keras: a masked step of one input takes the other's
    value, so it does not count; the steps masked in every input keep the first input's value."""
    out, out_mask = inputs[0], masks[0]
    for x, m in zip(inputs[1:], masks[1:]):
        if m is not None:
            x = ops.where(m, x, out)
        if out_mask is not None:
            out = ops.where(out_mask, out, x)
        out_mask = ops.logical_or(out_mask, m) if m is not None and out_mask is not None else None
        out = function(out, x)
    return out


def add(inputs, **kwargs):
    """Functional form of `Add`: `keras.layers.add([x1, x2])`."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """Functional form of `Subtract`: `keras.layers.subtract([x1, x2])`."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """Functional form of `Multiply`."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """Functional form of `Average`."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """Functional form of `Maximum`."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """Functional form of `Minimum`."""
    return Minimum(**kwargs)(inputs)
