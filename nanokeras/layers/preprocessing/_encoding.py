"""Turns integer ids into the `one_hot` / `multi_hot` / `count` encodings of the preprocessing layers."""

import numpy as np


def encode_categorical(indices, output_mode, depth, dtype, count_weights=None):
    """Encodes an integer array as Keras's `encode_categorical_inputs` does.

    `one_hot` adds an axis of size `depth` (replacing a trailing axis of size 1);
    `multi_hot` and `count` reduce axis 1 of a batch (axis 0 of a single sample).
    Ids outside `[0, depth)` encode to all zeros.
    """
    indices = np.asarray(indices)
    if output_mode == "int":
        return indices.astype(dtype)
    if indices.ndim == 0:
        indices = indices[None]
    if output_mode == "one_hot" and indices.ndim > 1 and indices.shape[-1] == 1:
        indices = indices[..., 0]
    hot = indices[..., None] == np.arange(depth)
    if output_mode == "one_hot":
        return hot.astype(dtype)
    axis = 1 if indices.ndim > 1 else 0
    if output_mode == "multi_hot":
        return hot.any(axis=axis).astype(dtype)
    if count_weights is not None:
        weights = np.asarray(count_weights)
        return (hot * weights[..., None]).sum(axis=axis).astype(weights.dtype)
    return hot.sum(axis=axis).astype(dtype)


def encoded_shape(input_shape, output_mode, depth, drop_last_axis=False):
    """The output shape Keras declares for inputs of `input_shape` (None = unknown).

    `multi_hot`/`count` reduce axis 1; `CategoryEncoding` and the lookup layers
    declare that as dropping the last axis (`drop_last_axis=True`), which is the
    same for the usual rank-2 inputs.
    """
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    if drop_last_axis:
        return input_shape[:-1] + (depth,)
    if len(input_shape) == 1:
        return (depth,)
    return (input_shape[0],) + input_shape[2:] + (depth,)
