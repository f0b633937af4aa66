"""`Dot`: per-sample dot products of two tensors along given axes (and `keras.layers.dot`).

Example:
    >>> import numpy as np, nanokeras as keras
    >>> keras.layers.Dot(axes=1)([np.ones((2, 3)), np.ones((2, 3))])
    array([[3.],
           [3.]], dtype=float32)
"""

from nanokeras.backend import config
from nanokeras.layers.merging.base_merge import Merge
from nanokeras.ops import numpy as ops


class Dot(Merge):
    """Dot product between samples of two tensors.

    Args:
        axes: an int, or a pair of ints: the axis of each input summed over.
        normalize: L2-normalize both inputs along `axes` first (the result is the cosine similarity).
    """

    _replayable = True

    _exact_inputs = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(f"Invalid type for argument `axes`: it should be a list or an int. Received: axes={axes}")
            if len(axes) != 2:
                raise ValueError(f"Invalid format for argument `axes`: it should contain two elements. Received: axes={axes}")
            if not all(isinstance(a, int) for a in axes):
                raise ValueError(f"Invalid format for argument `axes`: list elements should be integers. Received: axes={axes}")
        self.axes = axes
        self.normalize = normalize

    def compute_mask(self, inputs, mask=None):
        """The dot product has no steps left to mask."""
        return None

    def _axes_for(self, rank1, rank2):
        if isinstance(self.axes, int):
            return [self.axes % rank1, self.axes % rank2] if self.axes < 0 else [self.axes, self.axes]
        return [a % r if a < 0 else a for a, r in zip(self.axes, (rank1, rank2))]

    def build(self, input_shape):
        self._check_input_list(input_shape)
        self.compute_output_shape(input_shape)
        self.built = True

    def compute_output_shape(self, input_shape):
        self._check_input_list(input_shape)
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        a1, a2 = self._axes_for(len(shape1), len(shape2))
        if 0 in (a1, a2):
            raise ValueError("Cannot perform batch_dot over axis 0 (the batch axis).")
        if a1 >= len(shape1) or a2 >= len(shape2):
            raise ValueError(f"Dot: axes {self.axes} are out of range for input shapes {tuple(shape1)}, {tuple(shape2)}.")
        if shape1[a1] is not None and shape2[a2] is not None and shape1[a1] != shape2[a2]:
            raise ValueError(
                f"Incompatible input shapes: axis values {shape1[a1]} (at axis {a1}) != {shape2[a2]} (at axis {a2}). "
                f"Full input shapes: {tuple(input_shape[0])}, {tuple(input_shape[1])}"
            )
        shape1.pop(a1)
        shape2.pop(a2)
        shape2.pop(0)
        out = shape1 + shape2
        if len(out) == 1:
            out.append(1)
        return tuple(out)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError("A `Dot` layer should be called on a list of exactly 2 inputs.")
        x1, x2 = inputs
        a1, a2 = self._axes_for(len(x1.shape), len(x2.shape))
        if self.normalize:
            x1 = _l2_normalize(x1, a1)
            x2 = _l2_normalize(x2, a2)
        return _batch_dot(x1, x2, a1, a2)

    def get_config(self):
        config_ = super().get_config()
        config_.update({"axes": self.axes, "normalize": self.normalize})
        return config_


def _l2_normalize(x, axis):
    # As Keras: x * min(1/sqrt(sum x^2), 1/epsilon).
    inv_norm = ops.divide(1.0, ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True)))
    return ops.multiply(x, ops.minimum(inv_norm, 1.0 / config.epsilon()))


def _batch_dot(x, y, a1, a2):
    """Sums x's axis a1 against y's axis a2 for each sample (Keras's `batch_dot`)."""
    x_rank, y_rank = len(x.shape), len(y.shape)
    # Move the summed axis of x last and of y first (after the batch axis), then contract per sample.
    x = ops.moveaxis(x, a1, -1)
    y = ops.moveaxis(y, a2, 1)
    x_mid = tuple(x.shape[1:-1])
    y_tail = tuple(y.shape[2:])
    x3 = ops.reshape(x, (x.shape[0], -1, x.shape[-1]))
    y3 = ops.reshape(y, (y.shape[0], y.shape[1], -1))
    out = ops.matmul(x3, y3)
    out = ops.reshape(out, (out.shape[0],) + x_mid + y_tail)
    if x_rank == 2 and y_rank == 2:
        out = ops.reshape(out, (out.shape[0], 1))
    return out


def dot(inputs, axes=-1, normalize=False, **kwargs):
    """Functional form of `Dot`: `keras.layers.dot([x1, x2], axes=1)`."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
