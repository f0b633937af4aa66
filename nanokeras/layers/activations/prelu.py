"""`PReLU`: a leaky ReLU whose negative slopes are learned weights."""

from nanokeras import constraints, initializers, regularizers
from nanokeras.layers.input_spec import InputSpec
from nanokeras.layers.layer import Layer
from nanokeras.ops import numpy as ops
from nanokeras.ops import nn as nn_ops


class PReLU(Layer):
    """`x` for `x >= 0`, `alpha * x` below, with `alpha` learned (one per input entry by default).

    Args:
        alpha_initializer: the slopes' first values (zeros: a ReLU to start with).
        alpha_regularizer, alpha_constraint: as for any weight.
        shared_axes: axes (counting the batch axis as 0) along which one slope is shared,
            e.g. `[1, 2]` for one slope per channel of an image.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.1))
        >>> layer(np.array([[-2.0, 3.0]], dtype="float32")).tolist()
        [[-0.20000000298023224, 3.0]]
    """

    _replayable = True

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [int(a) for a in shared_axes]
        else:
            self.shared_axes = [int(shared_axes)]

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            if not 1 <= axis < len(input_shape):
                raise ValueError(f"PReLU {self.name!r}: shared axis {axis} is not an axis of the features of "
                                 f"inputs of shape {tuple(input_shape)} (the batch axis is 0).")
            shape[axis - 1] = 1
        if any(d is None for d in shape):
            raise ValueError(f"PReLU {self.name!r}: every unshared axis needs a known size, got input shape "
                             f"{tuple(input_shape)}; share the unknown ones with `shared_axes`.")
        self.alpha = self.add_weight(shape=shape, name="alpha", initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer, constraint=self.alpha_constraint)
        axes = {i: input_shape[i] for i in range(1, len(input_shape)) if i not in (self.shared_axes or ())}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, inputs):
        negative = ops.multiply(ops.negative(self.alpha), nn_ops.relu(ops.negative(inputs)))
        return ops.add(nn_ops.relu(inputs), negative)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        })
        return config
