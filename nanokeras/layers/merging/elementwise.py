"""Elementwise merge layers: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`,
and their functional forms `keras.layers.add(...)`, ...

Example:
    >>> import numpy as np, nanokeras as keras
    >>> keras.layers.Add()([np.ones((2, 3)), np.ones((2, 3))])[0]
    array([2., 2., 2.], dtype=float32)
"""

from nanokeras.layers.merging.base_merge import Merge
from nanokeras.ops import numpy as ops


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


class Minimum(Merge):
    """The elementwise minimum of a list of tensors."""

    _replayable = True

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.minimum(out, x)
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
