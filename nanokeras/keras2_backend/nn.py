"""Keras 2's neural-network functions: activations (`K.relu(x, alpha, max_value, threshold)`,
`K.hard_sigmoid`, `K.softmax`, ...), cross-entropies with Keras 2's clipping, `K.l2_normalize`,
`K.batch_normalization`, `K.bias_add`, `K.in_top_k`, `K.in_train_phase`.

`binary_crossentropy` and friends are elementwise (no mean over the last axis), as
Keras 2's backend functions were; probabilities are clipped to
`[epsilon(), 1 - epsilon()]` first.

Example:
    >>> import numpy as np
    >>> from nanokeras import keras2_backend as K
    >>> K.relu(np.array([-2.0, 1.0, 8.0]), alpha=0.5, max_value=6.0).tolist()
    [-1.0, 1.0, 6.0]
"""

import numpy as np

from nanokeras import ops
from nanokeras.backend import config
from nanokeras.keras2_backend.registry import keras2_function
from nanokeras.ops.gradient_utils import to_array
from nanokeras.ops.tensor import value_of


def _const(value, like):
    return np.asarray(value, dtype=to_array(like).dtype)


# ---------------------------------------------------------------- activations
@keras2_function("`keras.ops.sigmoid`")
def sigmoid(x):
    """`1 / (1 + exp(-x))`, elementwise."""
    return ops.sigmoid(x)


@keras2_function("`keras.ops.tanh`")
def tanh(x):
    """Hyperbolic tangent, elementwise."""
    return ops.tanh(x)


@keras2_function("`keras.ops.softplus`")
def softplus(x):
    """`log(1 + exp(x))`, elementwise."""
    return ops.softplus(x)


@keras2_function("`keras.ops.softsign`")
def softsign(x):
    """`x / (1 + |x|)`, elementwise."""
    return ops.softsign(x)


@keras2_function("`keras.ops.clip(0.2 * x + 0.5, 0, 1)` (Keras 3's `hard_sigmoid` is `x / 6 + 0.5`)")
def hard_sigmoid(x):
    """`0.2 * x + 0.5` limited to `[0, 1]` (Keras 2's slope)."""
    return ops.clip(ops.add(ops.multiply(x, _const(0.2, x)), _const(0.5, x)), _const(0, x), _const(1, x))


@keras2_function("`keras.activations.relu(x, negative_slope=alpha, max_value=max_value, threshold=threshold)`")
def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """`x` above `threshold` (capped at `max_value`), `alpha * (x - threshold)` below it."""
    if alpha != 0.0:
        negative = ops.relu(ops.subtract(_const(threshold, x), x))
    if threshold != 0:
        x = ops.multiply(x, ops.cast(ops.greater(x, _const(threshold, x)), to_array(x).dtype))
    else:
        x = ops.relu(x)
    if max_value is not None:
        x = ops.clip(x, _const(0, x), _const(max_value, x))
    if alpha != 0.0:
        x = ops.subtract(x, ops.multiply(_const(alpha, x), negative))
    return x


@keras2_function("`keras.ops.elu(x, alpha)`")
def elu(x, alpha=1.0):
    """`x` for positive `x`, `alpha * (exp(x) - 1)` otherwise."""
    return ops.elu(x, alpha=alpha)


@keras2_function("`keras.ops.softmax(x, axis)`")
def softmax(x, axis=-1):
    """`exp(x)` normalised to sum to 1 along `axis` (a tensor of rank 2 or more)."""
    if np.ndim(value_of(x)) <= 1:
        raise ValueError(f"Cannot apply softmax to a tensor that is 1D. Received input shape "
                         f"{np.shape(value_of(x))}.")
    if isinstance(axis, (int, np.integer)):
        return ops.softmax(x, axis=int(axis))
    axis = tuple(axis)
    numerator = ops.exp(ops.subtract(x, ops.stop_gradient(ops.max(x, axis=axis, keepdims=True))))
    return ops.divide(numerator, ops.sum(numerator, axis=axis, keepdims=True))


@keras2_function("`keras.ops.normalize(x, axis=axis)` (or `x / keras.ops.norm(x, axis=axis, keepdims=True)`)")
def l2_normalize(x, axis=None):
    """`x / sqrt(max(sum(x**2, axis), 1e-12))`: unit Euclidean norm along `axis` (all axes when None)."""
    squares = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return ops.multiply(x, ops.rsqrt(ops.maximum(squares, _const(1e-12, x))))


# ------------------------------------------------------------- cross-entropies
def _clipped(output):
    eps = config.epsilon()
    return ops.clip(output, _const(eps, output), _const(1.0 - eps, output))


@keras2_function("`keras.ops.binary_crossentropy(target, output, from_logits)` (Keras 3 clips without "
                 "Keras 2's extra `+ epsilon()` inside the logarithms)")
def binary_crossentropy(target, output, from_logits=False):
    """Binary cross-entropy of each value (no mean): probabilities clipped to `[eps, 1 - eps]`, then
    `-(target * log(output + eps) + (1 - target) * log(1 - output + eps))`."""
    if from_logits:  # max(x, 0) - x * z + log(1 + exp(-|x|)), stable for any logit
        return ops.add(ops.subtract(ops.relu(output), ops.multiply(output, target)),
                       ops.log1p(ops.exp(ops.negative(ops.abs(output)))))
    eps = _const(config.epsilon(), output)
    output = _clipped(output)
    one = _const(1, output)
    positive = ops.multiply(target, ops.log(ops.add(output, eps)))
    negative = ops.multiply(ops.subtract(one, target), ops.log(ops.add(ops.subtract(one, output), eps)))
    return ops.negative(ops.add(positive, negative))


@keras2_function("`keras.ops.categorical_crossentropy(target, output, from_logits, axis)`")
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy along `axis`: `-sum(target * log(output))`, `output` scaled to sum to 1 and clipped."""
    _same_shape(target, output, "categorical_crossentropy")
    if from_logits:
        return ops.negative(ops.sum(ops.multiply(target, ops.log_softmax(output, axis=axis)), axis=axis))
    output = _clipped(ops.divide(output, ops.sum(output, axis=axis, keepdims=True)))
    return ops.negative(ops.sum(ops.multiply(target, ops.log(output)), axis=axis))


def _same_shape(target, output, function):
    t, o = np.shape(value_of(target)), np.shape(value_of(output))
    if len(t) != len(o) or any(a != b for a, b in zip(t, o)):
        raise ValueError(f"`{function}`: `target` and `output` must have the same shape, got {t} and {o}.")


@keras2_function("`keras.ops.sparse_categorical_crossentropy(target, output, from_logits, axis)`")
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1, ignore_class=None):
    """Cross-entropy of integer labels `target` against `output` (probabilities or logits along `axis`).

    `ignore_class` labels give a loss of 0.
    """
    logits = output if from_logits else ops.log(_clipped(output))
    rank = np.ndim(value_of(logits))
    axis = axis % rank
    if axis != rank - 1:
        logits = ops.moveaxis(logits, axis, -1)
    out_shape = np.shape(value_of(logits))
    # Labels go through ops too: a replayed (compiled) step reads each batch's labels.
    labels = ops.cast(target, "int64")
    label_shape = np.shape(value_of(labels))
    if len(label_shape) == rank:  # e.g. (batch, 1) labels for (batch, classes) outputs
        labels = ops.reshape(labels, (-1,))
    labels = ops.reshape(labels, out_shape[:-1])
    values, classes = np.asarray(value_of(labels)), out_shape[-1]
    checked = values if ignore_class is None else values[values != ignore_class]
    if checked.size and (checked.min() < 0 or checked.max() >= classes):
        raise ValueError(f"`sparse_categorical_crossentropy`: labels must be in [0, {classes}), got values "
                         f"from {checked.min()} to {checked.max()}.")
    if ignore_class is not None:
        valid = ops.not_equal(labels, np.int64(ignore_class))
        labels = ops.where(valid, labels, np.int64(0))
    picked = ops.take_along_axis(ops.log_softmax(logits, axis=-1), ops.expand_dims(labels, -1), axis=-1)
    loss = ops.negative(ops.squeeze(picked, axis=-1))
    if ignore_class is not None:
        loss = ops.multiply(loss, ops.cast(valid, to_array(loss).dtype))
    return loss


@keras2_function("`keras.losses.binary_focal_crossentropy(target, output, ...)` (a mean over the last axis "
                 "in Keras 3)")
def binary_focal_crossentropy(target, output, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False):
    """Binary cross-entropy of each value, weighted by `(1 - p_t) ** gamma` (and `alpha` when balancing)."""
    probabilities = ops.sigmoid(output) if from_logits else output
    one = _const(1, probabilities)
    p_t = ops.add(ops.multiply(target, probabilities),
                  ops.multiply(ops.subtract(one, target), ops.subtract(one, probabilities)))
    focal = ops.power(ops.subtract(one, p_t), _const(gamma, p_t))
    loss = ops.multiply(focal, binary_crossentropy.__wrapped__(target, output, from_logits=from_logits))
    if apply_class_balancing:
        weight = ops.add(ops.multiply(target, _const(alpha, one)),
                         ops.multiply(ops.subtract(one, target), _const(1 - alpha, one)))
        loss = ops.multiply(weight, loss)
    return loss


@keras2_function("`keras.losses.categorical_focal_crossentropy(target, output, ...)`")
def categorical_focal_crossentropy(target, output, alpha=0.25, gamma=2.0, from_logits=False, axis=-1):
    """Categorical cross-entropy along `axis`, each class weighted by `alpha * (1 - output) ** gamma`."""
    _same_shape(target, output, "categorical_focal_crossentropy")
    if from_logits:
        output = ops.softmax(output, axis=axis)
    output = _clipped(ops.divide(output, ops.sum(output, axis=axis, keepdims=True)))
    cross_entropy = ops.negative(ops.multiply(target, ops.log(output)))
    weight = ops.multiply(ops.power(ops.subtract(_const(1, output), output), _const(gamma, output)),
                          _const(alpha, output))
    return ops.sum(ops.multiply(weight, cross_entropy), axis=axis)


# --------------------------------------------------------------- normalization
@keras2_function("`keras.ops.batch_normalization(x, mean, var, axis, offset=beta, scale=gamma, epsilon)`")
def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    """`(x - mean) / sqrt(var + epsilon) * gamma + beta`; for 4-D `x`, vectors apply along `axis`."""
    statistics = [mean, var, beta, gamma]
    if np.ndim(value_of(x)) == 4 and axis in (1, -3, 3, -1):
        channel_shape = (1, -1, 1, 1) if axis in (1, -3) else (1, 1, 1, -1)
        statistics = [None if s is None else ops.reshape(s, channel_shape) for s in statistics]
    mean, var, beta, gamma = statistics
    inverse = ops.rsqrt(ops.add(var, _const(epsilon, var)))
    if gamma is not None:
        inverse = ops.multiply(inverse, gamma)
    shift = ops.negative(ops.multiply(mean, inverse))
    if beta is not None:
        shift = ops.add(shift, beta)
    return ops.add(ops.multiply(x, inverse), shift)


@keras2_function("`keras.ops.moments(x, axes)` then `keras.ops.batch_normalization(...)`")
def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3):
    """`(normalized x, mean, variance)` over `reduction_axes` (the batch statistics)."""
    axes = tuple(int(a) % np.ndim(value_of(x)) for a in reduction_axes)
    mean, variance = ops.moments(x, axes=axes, keepdims=True)
    kept = [d for i, d in enumerate(np.shape(value_of(x))) if i not in axes]

    def broadcast(value):
        return None if value is None else ops.reshape(value, np.shape(value_of(mean)))

    inverse = ops.rsqrt(ops.add(variance, _const(epsilon, variance)))
    if gamma is not None:
        inverse = ops.multiply(inverse, broadcast(gamma))
    shift = ops.negative(ops.multiply(mean, inverse))
    if beta is not None:
        shift = ops.add(shift, broadcast(beta))
    normed = ops.add(ops.multiply(x, inverse), shift)
    return normed, ops.reshape(mean, kept), ops.reshape(variance, kept)


@keras2_function("`x + bias` (or `keras.ops.add`; `keras.layers.Dense(use_bias=True)` adds its own)")
def bias_add(x, bias, data_format=None):
    """`x + bias`, the bias along the channels axis (`data_format`, by default `image_data_format()`)."""
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Unknown data_format: {data_format!r}; expected 'channels_first' or 'channels_last'.")
    x_ndim, bias_shape = np.ndim(value_of(x)), np.shape(value_of(bias))
    if len(bias_shape) not in (1, x_ndim - 1):
        raise ValueError(f"Unexpected bias dimensions {len(bias_shape)}, expect to be 1 or {x_ndim - 1} dimensions")
    if data_format == "channels_first" and x_ndim > 2:
        if len(bias_shape) == 1:
            return ops.add(x, ops.reshape(bias, (1, -1) + (1,) * (x_ndim - 2)))
        return ops.add(x, ops.reshape(bias, (1,) + bias_shape[-1:] + bias_shape[:-1]))  # Keras 2's reshape
    return ops.add(x, bias)


@keras2_function("`keras.ops.in_top_k(targets, predictions, k)`")
def in_top_k(predictions, targets, k):
    """Whether the prediction for each target class ranks among the `k` largest of its row (ties count)."""
    return ops.in_top_k(targets, predictions, k)


@keras2_function("`x if training else alt` (with the `training` argument of the layer's `call`)", symbolic=False)
def in_train_phase(x, alt, training=None):
    """`x` when training, else `alt` (either may be a function, called only if chosen). `training=None`
    is the test phase, as Keras 2 outside `fit`."""
    chosen = x if training is not None and bool(value_of(training)) else alt
    return chosen() if callable(chosen) else chosen


@keras2_function("`alt if training else x` (with the `training` argument of the layer's `call`)", symbolic=False)
def in_test_phase(x, alt, training=None):
    """`x` in the test phase (`training` false or None), else `alt`."""
    chosen = alt if training is not None and bool(value_of(training)) else x
    return chosen() if callable(chosen) else chosen
