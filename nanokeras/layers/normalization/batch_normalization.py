"""`BatchNormalization`: normalizes with batch statistics while training, moving averages otherwise."""

from nanokeras import constraints, initializers, regularizers
from nanokeras.backend.config import epsilon as fuzz_factor
from nanokeras.layers._argument_checks import check_axes_in_rank, serialize_optional
from nanokeras.layers.layer import Layer
from nanokeras.ops.state_ops import assign_moving_average
from nanokeras.ops import core as core_ops
from nanokeras.ops import nn as nn_ops
from nanokeras.ops import numpy as ops


class BatchNormalization(Layer):
    """Normalizes each feature (along `axis`) to zero mean and unit variance.

    Training (`training=True`, as in `fit`): uses the batch's mean and variance
    (gradients flow through them) and updates the non-trainable moving averages
    `moving = moving * momentum + batch * (1 - momentum)`. Inference: uses the
    moving averages. Output: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.
    A frozen layer (`trainable=False`) always runs in inference mode, as in Keras.

    Args:
        axis: the feature axis (an int; -1 for channels last).
        momentum: the moving averages' momentum.
        epsilon: added to the variance to avoid dividing by zero.
        center / scale: whether to learn the offset `beta` / the scale `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: as in Keras.

    Weights, in Keras's order: `gamma`, `beta` (trainable), `moving_mean`,
    `moving_variance` (non-trainable).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> bn = keras.layers.BatchNormalization(momentum=0.5)
        >>> x = np.array([[1.0], [3.0]], dtype="float32")
        >>> [round(float(v), 4) for v in np.asarray(bn(x, training=True)).ravel()]
        [-0.9995, 0.9995]
        >>> bn.moving_mean.numpy().tolist(), bn.moving_variance.numpy().tolist()
        ([1.0], [1.0])
    """

    _replayable = True

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized=False, **kwargs):
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(
                f"BatchNormalization: `axis` must be an int (the feature axis, e.g. -1), got {axis!r}."
            )
        for argument, value in (("momentum", momentum), ("epsilon", epsilon)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"BatchNormalization: `{argument}` must be a float, got {value!r}.")
        if epsilon <= 0:
            raise ValueError(f"BatchNormalization: `epsilon` must be positive, got epsilon={epsilon}.")
        if renorm:
            raise ValueError(
                "BatchNormalization: `renorm=True` (batch renormalization) is not supported by "
                "nanokeras; remove the argument."
            )
        if synchronized:
            raise ValueError(
                "BatchNormalization: `synchronized=True` needs the TensorFlow backend (multi-device "
                "training); remove the argument."
            )
        super().__init__(**kwargs)
        self.supports_masking = True
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        # Names become objects, as in Keras (the config holds the serialized object).
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.renorm = False
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.synchronized = False
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def build(self, input_shape):
        check_axes_in_rank(f"BatchNormalization {self.name!r}", self.axis, input_shape)
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(
                f"BatchNormalization {self.name!r}: the feature axis {self.axis} of the input must be "
                f"known, got input shape {tuple(input_shape)}."
            )
        shape = (dim,)
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma", initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta", initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer, trainable=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer, trainable=False)
        ndim = len(input_shape)
        self._reduction_axes = tuple(a for a in range(ndim) if a != self.axis % ndim)
        self.built = True

    def call(self, inputs, training=None, mask=None):
        rank = inputs.ndim
        if rank != len(self._reduction_axes) + 1 or inputs.shape[self.axis] != self.moving_mean.shape[0]:
            raise ValueError(
                f"BatchNormalization {self.name!r} was built for {len(self._reduction_axes) + 1}-D inputs "
                f"with {self.moving_mean.shape[0]} features on axis {self.axis}, "
                f"got shape {tuple(inputs.shape)}."
            )
        if training and self.trainable:
            if mask is None:
                mean, variance = nn_ops.moments(inputs, axes=self._reduction_axes)
            else:
                mean, variance = self._masked_moments(inputs, mask)
            self._update_moving_statistics(mean, variance)
        else:
            mean, variance = self.moving_mean, self.moving_variance
        return nn_ops.batch_normalization(inputs, mean, variance, axis=self.axis, offset=self.beta,
                                          scale=self.gamma, epsilon=self.epsilon)

    def _masked_moments(self, inputs, mask):
        """The batch's mean and variance over the unmasked positions only (as Keras: a masked
        timestep, padding after `Embedding(mask_zero=True)`, does not move the statistics).
        Each is a weighted sum over the count of unmasked positions plus the fuzz factor."""
        weights = core_ops.cast(mask, inputs.dtype)
        while len(weights.shape) < len(inputs.shape):  # a (batch, steps) mask over (batch, steps, features)
            weights = ops.expand_dims(weights, -1)
        axes = tuple(self._reduction_axes)
        count = ops.add(ops.sum(weights, axis=axes, keepdims=True), fuzz_factor())
        mean = ops.divide(ops.sum(ops.multiply(weights, inputs), axis=axes, keepdims=True), count)
        squares = ops.multiply(weights, ops.square(ops.subtract(ops.multiply(weights, inputs), mean)))
        variance = ops.divide(ops.sum(squares, axis=axes, keepdims=True), count)
        return ops.squeeze(mean, axes), ops.squeeze(variance, axes)

    def _update_moving_statistics(self, mean, variance):
        # A state update, never differentiated; an op, so a compiled step repeats it per batch.
        assign_moving_average(self.moving_mean, mean, self.momentum)
        assign_moving_average(self.moving_variance, variance, self.momentum)

    def compute_output_shape(self, input_shape):
        check_axes_in_rank(f"BatchNormalization {self.name!r}", self.axis, input_shape)
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": serialize_optional(self.beta_regularizer),
            "gamma_regularizer": serialize_optional(self.gamma_regularizer),
            "beta_constraint": serialize_optional(self.beta_constraint),
            "gamma_constraint": serialize_optional(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        })
        return config
