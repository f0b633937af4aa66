"""`GroupNormalization`: normalizes each sample over groups of channels."""

import numbers

from nanokeras import constraints, initializers, regularizers
from nanokeras.layers.input_spec import InputSpec
from nanokeras.layers.layer import Layer
from nanokeras.ops import math as math_ops
from nanokeras.ops import nn as nn_ops
from nanokeras.ops import numpy as ops


class GroupNormalization(Layer):
    """Splits the channels (`axis`) into `groups` and normalizes each sample's group to mean 0 and
    variance 1 (over the group's channels and all other non-batch axes), then scales by `gamma`
    and shifts by `beta` per channel. `groups=1` is layer normalization over all axes;
    `groups=-1` (one channel per group) is instance normalization.

    Args:
        groups: the number of groups; must divide the number of channels. -1: one per channel.
        axis: the channel axis.
        epsilon: added to the variance.
        center / scale: whether to learn `beta` / `gamma`.
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: as for any weight.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.GroupNormalization(groups=2)
        >>> y = layer(np.array([[1.0, 3.0, 10.0, 30.0]], dtype="float32"))
        >>> np.round(y, 3).tolist()
        [[-1.0, 1.0, -1.0, 1.0]]
    """

    _replayable = True

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        if isinstance(groups, bool) or not isinstance(groups, int) or (groups <= 0 and groups != -1):
            raise ValueError(
                "Received an invalid value for argument `groups`, expected a positive integer (or `-1` for "
                f"instance normalization). Received: groups={groups!r}"
            )
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"GroupNormalization: `axis` must be an int, got {axis!r}.")
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or epsilon < 0:
            raise ValueError(f"GroupNormalization: `epsilon` must be a non-negative float, got {epsilon!r}.")
        super().__init__(**kwargs)
        self.supports_masking = True
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.gamma = self.beta = None

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}. "
                             f"Received: axis={self.axis}")
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined dimension but the layer "
                             f"received an input with shape {tuple(input_shape)}.")
        if self.groups == -1:
            self.groups = channels
        if channels < self.groups:
            raise ValueError(f"Number of groups ({self.groups}) cannot be more than the number of channels "
                             f"({channels}).")
        if channels % self.groups:
            raise ValueError(f"Number of groups ({self.groups}) must be a multiple of the number of channels "
                             f"({channels}).")
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: channels})
        if self.scale:
            self.gamma = self.add_weight(shape=(channels,), name="gamma", initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(shape=(channels,), name="beta", initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint)
        self.built = True

    def call(self, inputs):
        shape = tuple(inputs.shape)
        rank = len(shape)
        axis = self.axis % rank
        per_group = shape[axis] // self.groups
        # (batch, ..., groups, channels per group, ...): statistics over everything but batch and group.
        grouped_shape = shape[:axis] + (self.groups, per_group) + shape[axis + 1:]
        grouped = ops.reshape(inputs, grouped_shape)
        reduction = tuple(a for a in range(1, rank + 1) if a != axis)
        mean, variance = nn_ops.moments(grouped, axes=reduction, keepdims=True)
        inv = math_ops.rsqrt(ops.add(variance, self.epsilon))
        parameter_shape = [1] * (rank + 1)
        parameter_shape[axis], parameter_shape[axis + 1] = self.groups, per_group
        if self.gamma is not None:
            inv = ops.multiply(inv, ops.reshape(self.gamma, parameter_shape))
        shift = ops.multiply(ops.negative(mean), inv)
        if self.beta is not None:
            shift = ops.add(shift, ops.reshape(self.beta, parameter_shape))
        return ops.reshape(ops.add(ops.multiply(grouped, inv), shift), shape)

    def compute_output_shape(self, input_shape):
        if not -len(input_shape) <= self.axis < len(input_shape):
            raise ValueError(f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}. "
                             f"Received: axis={self.axis}")
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "groups": self.groups, "axis": self.axis, "epsilon": self.epsilon, "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        })
        return config
