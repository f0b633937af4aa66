"""`RMSNormalization`: scales each sample by the inverse root mean square of its features."""

from nanokeras.layers._argument_checks import check_axes_in_rank, check_axis_list
from nanokeras.layers.layer import Layer
from nanokeras.ops import math as math_ops
from nanokeras.ops import numpy as ops


class RMSNormalization(Layer):
    """`x * rsqrt(mean(square(x), axis) + epsilon) * scale`, with `scale` learned (no centering).

    Args:
        axis: an int or a list of ints: the axes the mean is taken over (and the shape of `scale`).
        epsilon: added to the mean square (1e-6).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> [round(float(v), 4) for v in keras.layers.RMSNormalization()(np.array([[3.0, 4.0]]))[0]]
        [0.8485, 1.1314]
    """

    _replayable = True

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = check_axis_list("RMSNormalization", axis)
        self.epsilon = epsilon

    def build(self, input_shape):
        check_axes_in_rank(f"RMSNormalization {self.name!r}", self.axis, input_shape)
        if isinstance(self.axis, list):
            self.axis = sorted(self.axis)
            shape = tuple(input_shape[a] for a in self.axis)
        else:
            shape = (input_shape[self.axis],)
            self.axis = [self.axis]
        if any(d is None for d in shape):
            raise ValueError(f"RMSNormalization {self.name!r}: the normalized axes {self.axis} need known sizes, "
                             f"got input shape {tuple(input_shape)}.")
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")
        rank = len(input_shape)
        axes = sorted(a % rank for a in self.axis)
        self._axes = tuple(axes)
        # The scale broadcasts as is when it covers the last axes; else it is reshaped.
        self._scale_shape = None if axes == list(range(rank - len(axes), rank)) else \
            [input_shape[a] if a in axes else 1 for a in range(rank)]
        self.built = True

    def call(self, inputs):
        mean_square = ops.mean(ops.square(inputs), axis=self._axes, keepdims=True)
        outputs = ops.multiply(inputs, math_ops.rsqrt(ops.add(mean_square, self.epsilon)))
        scale = self.scale if self._scale_shape is None else ops.reshape(self.scale, self._scale_shape)
        return ops.multiply(outputs, scale)

    def compute_output_shape(self, input_shape):
        check_axes_in_rank(f"RMSNormalization {self.name!r}", self.axis, input_shape)
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
