"""`Merge`: the base of layers that combine a list of tensors elementwise (`Add`, `Multiply`, ...).

Inputs may differ in rank: lower-rank inputs get size-1 axes inserted after the
batch axis, then numpy broadcasting applies, as in Keras.
"""

from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.layers.layer import Layer
from nanokeras.ops import masking as masking_ops
from nanokeras.ops import numpy as ops


class Merge(Layer):
    """Base class for elementwise merge layers; subclasses define `_merge_function(inputs)`."""

    # integer and bool inputs pass unchanged, as in Keras (see Layer._passes_integer_inputs)
    _passes_integer_inputs = True

    _replayable = True
    # A subclass's own `_merge_function` is Python the compiled step cannot vouch for.
    _replay_covers = ("call", "_merge_function")

    # The fewest inputs the layer accepts (Keras accepts a single input for most merges).
    _min_inputs = 1
    _exact_inputs = None

    def _merge_function(self, inputs):
        raise NotImplementedError

    def _check_input_list(self, input_shape, argument="input_shape"):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or not isinstance(input_shape[0], (list, tuple)):
            raise ValueError(
                f"A merge layer ({type(self).__name__}) should be called on a list of inputs, "
                f"e.g. `{type(self).__name__}()([x1, x2])`. Received: {argument}={input_shape}."
            )
        if self._exact_inputs is not None and len(input_shape) != self._exact_inputs:
            raise ValueError(
                f"A `{type(self).__name__}` layer should be called on exactly {self._exact_inputs} inputs. "
                f"Received: {argument}={input_shape}."
            )

    @staticmethod
    def _elementwise_shape(shape1, shape2):
        """Broadcast of two per-sample shapes, aligned at the right (ValueError when incompatible)."""
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        if not shape2:
            return tuple(shape1)
        out = list(shape1[: len(shape1) - len(shape2)])
        for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
            if i is None or j is None:
                out.append(None)
            elif i == 1:
                out.append(j)
            elif j == 1 or i == j:
                out.append(i)
            else:
                raise ValueError(f"Inputs have incompatible shapes. Received shapes {tuple(shape1)} and {tuple(shape2)}")
        return tuple(out)

    def build(self, input_shape):
        self._check_input_list(input_shape)
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(f"Cannot merge tensors with different batch sizes. Received tensors with shapes {input_shape}")
        self.compute_output_shape(input_shape)
        self._reshape_required = len({len(s) for s in input_shape}) != 1
        self.built = True

    def compute_output_shape(self, input_shape):
        self._check_input_list(input_shape)
        out = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            out = self._elementwise_shape(out, tuple(shape[1:]))
        batch_sizes = {s[0] for s in input_shape} - {None}
        batch = batch_sizes.pop() if len(batch_sizes) == 1 else None
        return (batch,) + out

    def compute_mask(self, inputs, mask=None):
        """A step is real where it is real in any input (no mask when an input has none), as Keras."""
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)) or not isinstance(inputs, (list, tuple)) or len(mask) != len(inputs):
            raise ValueError(
                f"{type(self).__name__}: `mask` must be a list with one entry per input, got mask={mask!r:.200}."
            )
        if any(m is None for m in mask):
            return None
        if any(isinstance(m, KerasTensor) for m in mask):
            return any_of(mask)  # building a functional model: `logical_or` nodes of its graph, as in Keras
        return masking_ops.mask_or(*mask)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"A merge layer ({type(self).__name__}) should be called on a list of inputs. "
                f"Received: inputs of type {type(inputs).__name__}."
            )
        ranks = [len(x.shape) for x in inputs]
        if len(set(ranks)) > 1:
            top = max(ranks)
            reshaped = []
            for x in inputs:
                for _ in range(top - len(x.shape)):
                    x = ops.expand_dims(x, 1)
                reshaped.append(x)
            inputs = reshaped
        return self._merge_function(list(inputs))


def any_of(masks):
    """The `logical_or` of `masks` (steps real in any of them), one `keras.ops` call per extra mask."""
    merged = masks[0]
    for m in masks[1:]:
        merged = ops.logical_or(merged, m)
    return merged
