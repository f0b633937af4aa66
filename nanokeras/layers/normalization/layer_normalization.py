"""`LayerNormalization`: normalizes each sample over its feature axes."""

import warnings

from nanokeras import constraints, initializers, regularizers
from nanokeras.layers._argument_checks import check_axes_in_rank, check_axis_list, serialize_optional
from nanokeras.layers.layer import Layer
from nanokeras.ops import math as math_ops
from nanokeras.ops import nn as nn_ops
from nanokeras.ops import numpy as ops


class LayerNormalization(Layer):
    """Normalizes each sample over `axis` (not over the batch), then scales and shifts:
    `gamma * (x - mean) / sqrt(var + epsilon) + beta`. Same in training and inference.

    Args:
        axis: an int or a list of ints: the axes to normalize over (and the
            shape of `gamma`/`beta`).
        epsilon: added to the variance.
        center / scale: whether to learn `beta` / `gamma`.
        rms_scaling: deprecated in Keras (it scales by the variance, not the
            root mean square); kept for compatibility: `x * rsqrt(var + eps) * gamma`.
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: as in Keras.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> y = keras.layers.LayerNormalization()(np.array([[1.0, 3.0]], dtype="float32"))
        >>> [round(float(v), 4) for v in np.asarray(y).ravel()]
        [-0.9995, 0.9995]
    """

    _replayable = True
    _extra_keywords = ("rms_scaling",)  # read from **kwargs (Keras config keys)

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn(
                "`rms_scaling=True` is deprecated in Keras: it scales the input by the variance, "
                "not the root mean square.", stacklevel=2,
            )
        axis = check_axis_list("LayerNormalization", axis)
        if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or epsilon < 0:
            raise ValueError(f"LayerNormalization: `epsilon` must be a non-negative float, got {epsilon!r}.")
        super().__init__(**kwargs)
        self.supports_masking = True
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        # Names become objects, as in Keras (the config holds the serialized object).
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.gamma = self.beta = None

    def build(self, input_shape):
        check_axes_in_rank(f"LayerNormalization {self.name!r}", self.axis, input_shape)
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        shape = tuple(input_shape[a] for a in self.axis)
        if any(d is None for d in shape):
            raise ValueError(
                f"LayerNormalization {self.name!r}: the normalized axes {self.axis} must have known "
                f"sizes, got input shape {tuple(input_shape)}."
            )
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(shape=shape, name="gamma", initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(shape=shape, name="beta", initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint)
        ndim = len(input_shape)
        self._axes = tuple(sorted(a % ndim for a in self.axis))
        self._param_shape = [input_shape[a] if a in self._axes else 1 for a in range(ndim)]
        self._reshape_params = self._axes != (ndim - 1,)
        self.built = True

    def _broadcast(self, param):
        if param is None or not self._reshape_params:
            return param
        return ops.reshape(param, self._param_shape)

    def call(self, inputs):
        if inputs.ndim != len(self._param_shape) or any(
            inputs.shape[a] != self._param_shape[a] for a in self._axes
        ):
            raise ValueError(
                f"LayerNormalization {self.name!r} was built for inputs of rank {len(self._param_shape)} "
                f"with sizes {[self._param_shape[a] for a in self._axes]} on axes {list(self._axes)}, "
                f"got shape {tuple(inputs.shape)}."
            )
        gamma, beta = self._broadcast(self.gamma), self._broadcast(self.beta)
        if self.rms_scaling:
            variance = ops.var(inputs, axis=self._axes, keepdims=True)
            outputs = ops.multiply(inputs, math_ops.rsqrt(ops.add(variance, self.epsilon)))
            return outputs if gamma is None else ops.multiply(outputs, gamma)
        mean, variance = nn_ops.moments(inputs, axes=self._axes, keepdims=True)
        inv = math_ops.rsqrt(ops.add(variance, self.epsilon))
        if gamma is not None:
            inv = ops.multiply(inv, gamma)
        shift = ops.multiply(ops.negative(mean), inv)
        if beta is not None:
            shift = ops.add(shift, beta)
        return ops.add(ops.multiply(inputs, inv), shift)

    def compute_output_shape(self, input_shape):
        check_axes_in_rank(f"LayerNormalization {self.name!r}", self.axis, input_shape)
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": serialize_optional(self.beta_regularizer),
            "gamma_regularizer": serialize_optional(self.gamma_regularizer),
            "beta_constraint": serialize_optional(self.beta_constraint),
            "gamma_constraint": serialize_optional(self.gamma_constraint),
        })
        return config
